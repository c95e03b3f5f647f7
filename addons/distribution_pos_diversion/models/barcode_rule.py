from odoo import fields, models


class BarcodeRule(models.Model):
    _inherit = "barcode.rule"

    type = fields.Selection(
        selection_add=[("dms_unit_code", "Channel Unit Code")], ondelete={"dms_unit_code": "set default"}
    )
