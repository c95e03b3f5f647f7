from odoo import api, fields, models
from odoo.exceptions import AccessError

# the documents the DMS engines write themselves: never a sale or a return of goods
DMS_ORIGINS = [
    ("rebate_settlement", "Rebate settlement"),
    ("rebate_accrual", "Rebate accrual"),
    ("commission", "Commission payout"),
    ("penalty", "Penalty"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Member",
        related="commercial_partner_id.channel_member_id",
        store=True,
        index="btree_not_null",
    )
    dms_origin = fields.Selection(
        DMS_ORIGINS,
        string="Made by the DMS",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on the documents the DMS engines create (rebate credit notes, accruals, commission bills, "
        "penalties) and on their reversals: they are never counted as sales or returns (e.g. in a rebate's basis).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("dms_origin") for vals in vals_list):
            raise AccessError(self.env._("Only the DMS engines mark the documents they create."))
        return super().create(vals_list)

    def write(self, vals):
        if "dms_origin" in vals and not self.env.su:
            raise AccessError(self.env._("Only the DMS engines mark the documents they create."))
        return super().write(vals)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """The reversal of an engine's document is the engine's too (cancelling a rebate credit
        note is not a sale)."""
        reversals = super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)
        for reversal in reversals:
            origin = reversal.reversed_entry_id.dms_origin
            if origin and reversal.dms_origin != origin:
                reversal.sudo().dms_origin = origin
        return reversals
