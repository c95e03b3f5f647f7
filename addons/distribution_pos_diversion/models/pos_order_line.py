from odoo import api, fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    dms_unit_codes = fields.Char(
        string="Unit Codes", readonly=True, copy=False,
        help="The unit codes scanned at the till for this line (comma-separated): marked sold when the order is paid.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "dms_unit_codes"]
