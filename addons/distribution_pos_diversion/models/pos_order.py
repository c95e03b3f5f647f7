from odoo import models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def read_pos_data(self, data, config):
        # the orders of this sync that were not closed before it (see distribution_pos's sync_from_ui):
        # the unit codes of those now paid are sold
        to_check = self.env.context.get("channel_floor_check_uuids")
        if to_check:
            self.env["distribution.pos.code.scan"]._mark_sold(self.filtered(lambda order: order.uuid in to_check))
        return super().read_pos_data(data, config)
