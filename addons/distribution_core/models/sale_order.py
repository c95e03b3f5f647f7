from odoo import api, fields, models


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
    channel_below_floor = fields.Boolean(
        string="Below Price Floor",
        compute="_compute_channel_below_floor",
        store=True,
        help="At least one line is priced under the channel's minimum sell-in price.",
    )

    @api.depends("order_line.channel_below_floor")
    def _compute_channel_below_floor(self):
        for order in self:
            order.channel_below_floor = any(order.order_line.mapped("channel_below_floor"))

    def _confirmation_error_message(self):
        """Below-floor orders wait for a channel manager (until an approval rule
        takes over this decision)."""
        error = super()._confirmation_error_message()
        if error or not self.channel_below_floor:
            return error
        if self.env.user.has_group("distribution_core.group_channel_manager"):
            return False
        lines = self.order_line.filtered("channel_below_floor")
        return self.env._(
            "%(order)s has %(count)s line(s) below the channel price floor (e.g. %(product)s at %(price)s, floor "
            "%(floor)s). Only a Channel Manager can confirm it.",
            order=self.name,
            count=len(lines),
            product=lines[0].product_id.display_name,
            price=self.currency_id.format(lines[0]._channel_net_price()),
            floor=self.currency_id.format(lines[0].channel_floor_price),
        )
