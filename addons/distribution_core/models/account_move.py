from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Member",
        related="commercial_partner_id.channel_member_id",
        store=True,
        index="btree_not_null",
    )
