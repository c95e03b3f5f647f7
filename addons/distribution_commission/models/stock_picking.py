from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        orders = self.sale_id.filtered("channel_promoter_id")
        if orders:
            self.env["distribution.commission"].sudo().search(
                [("order_id", "in", orders.ids), ("state", "=", "frozen"), ("release_date", "=", False)]
            )._schedule_release()
        return result
