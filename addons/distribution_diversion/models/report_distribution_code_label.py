from odoo import api, models


class ReportDistributionCodeLabel(models.AbstractModel):
    """The QR label sheet, refused beyond MAX_LABELS codes (a PDF of a million labels would
    exhaust the server; label printers take the CSV export instead)."""

    _name = "report.distribution_diversion.report_distribution_code_label"
    _description = "Code Label Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        codes = self.env["distribution.code"].browse(docids)
        codes._check_label_count()
        return {"doc_ids": codes.ids, "doc_model": "distribution.code", "docs": codes}
