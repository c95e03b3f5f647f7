from odoo import api, fields, models


class DistributionCodeScan(models.Model):
    _inherit = "distribution.code.scan"

    pos_config_id = fields.Many2one(
        "pos.config", string="Point of Sale", readonly=True, index="btree_not_null", ondelete="set null",
        help="The store's till where the unit code was scanned when selling.",
    )

    @api.model
    def _prepare_scan_row(self, info):
        row = super()._prepare_scan_row(info)
        row["pos_config_id"] = info["pos_config"].id if info.get("pos_config") else None
        return row
