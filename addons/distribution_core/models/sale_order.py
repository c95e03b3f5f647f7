from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Member",
        related="partner_id.commercial_partner_id.channel_member_id",
        store=True,
        index="btree_not_null",
    )
    channel_tier_id = fields.Many2one(related="channel_member_id.tier_id", string="Channel Tier")
    channel_territory_id = fields.Many2one(related="channel_member_id.territory_id", string="Sales Territory")
