from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Store",
        index="btree_not_null",
        domain=[("state", "=", "active")],
        help="The store of the channel this point of sale belongs to. The POS then sells "
        "at the store's channel pricelist, with no pricelist to choose by hand.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("channel_member_id"):
                vals.update(self._prepare_channel_pricelist_vals(vals["channel_member_id"]))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("channel_member_id"):
            vals = dict(vals, **self._prepare_channel_pricelist_vals(vals["channel_member_id"]))
        return super().write(vals)

    @api.model
    def _prepare_channel_pricelist_vals(self, member_id):
        """The store's channel pricelist becomes the POS's only pricelist."""
        member = self.env["distribution.member"].browse(member_id)
        pricelist = member.pricelist_id
        if not pricelist:
            raise ValidationError(
                self.env._(
                    "Store %(store)s has no channel pricelist: give its tier a default pricelist or add a "
                    "pricelist rule for it first.",
                    store=member.display_name,
                )
            )
        return {
            "use_pricelist": True,
            "pricelist_id": pricelist.id,
            "available_pricelist_ids": [Command.set(pricelist.ids)],
        }
