from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def read_pos_data(self, data, config):
        # the orders of this sync that were not closed before it (see distribution_pos's sync_from_ui):
        # the unit codes of those now paid are sold
        to_check = self.env.context.get("channel_floor_check_uuids")
        if to_check:
            self.env["distribution.pos.code.scan"]._mark_sold(self.filtered(lambda order: order.uuid in to_check))
        return super().read_pos_data(data, config)


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    dms_unit_codes = fields.Char(
        string="Unit Codes", readonly=True, copy=False,
        help="The unit codes scanned at the till for this line (comma-separated): marked sold when the order is paid.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "dms_unit_codes"]
