from odoo import api, fields, models

from .distribution_territory import has_parent_cycle


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_member_ids = fields.One2many("distribution.member", "partner_id", string="Channel Memberships")
    channel_member_id = fields.Many2one(
        "distribution.member",
        compute="_compute_channel_member_id",
        store=True,
        index="btree_not_null",
        help="The channel membership of this company (set on the company, not on its contacts).",
    )
    channel_tier_id = fields.Many2one(related="channel_member_id.tier_id", string="Channel Tier")
    channel_territory_id = fields.Many2one(related="channel_member_id.territory_id", string="Sales Territory")

    @api.depends("channel_member_ids")
    def _compute_channel_member_id(self):
        for partner in self:
            partner.channel_member_id = partner.channel_member_ids[:1]

    def _has_cycle(self, field_name=None):
        # base's parent constraint runs on every contact created under a company: walked level by
        # level, its cost does not grow with the number of partners (see has_parent_cycle)
        if field_name in (None, self._parent_name):
            return has_parent_cycle(self)
        return super()._has_cycle(field_name)

    def action_view_channel_member(self):
        self.ensure_one()
        member = self.commercial_partner_id.channel_member_id
        action = {
            "type": "ir.actions.act_window",
            "res_model": "distribution.member",
            "view_mode": "form",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
        if member:
            action["res_id"] = member.id
        return action
