from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    channel_promoter_id = fields.Many2one(
        "distribution.promoter", string="Promoter", compute="_compute_channel_promoter_id", store=True, readonly=False,
        index="btree_not_null", help="Earns the commission on this order's goods once it is paid.",
    )

    @api.depends("partner_id")
    def _compute_channel_promoter_id(self):
        for order in self:
            if order.state == "draft" or not order.channel_promoter_id:
                order.channel_promoter_id = order.partner_id.commercial_partner_id.channel_referrer_id or order.partner_id.channel_referrer_id

    def action_pos_order_paid(self):
        result = super().action_pos_order_paid()
        self.env["distribution.commission"]._create_for_pos_orders(self)
        return result
