from odoo import api, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        if read_records:
            # codes of a previous system (imported by the data migration) carry no check character
            read_records[0]["_dms_legacy_codes"] = self.env["distribution.code"].sudo()._accepts_legacy_codes()
        return read_records

    def dms_scan_code(self, code):
        """The till's unit code scan (see distribution.pos.code.scan._scan), only at a
        point of sale the cashier may open: the scan is recorded in its store's territory."""
        self.ensure_one()
        self.check_access("read")
        return self.env["distribution.pos.code.scan"]._scan(self, code)
