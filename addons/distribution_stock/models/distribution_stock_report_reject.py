from odoo import api, fields, models

from odoo.addons.distribution_core.tools.safe_io import MAX_NUMBER


class DistributionStockReportReject(models.Model):
    _name = "distribution.stock.report.reject"
    _description = "Channel Stock Report Rejected Row"
    _order = "report_id, row, id"

    report_id = fields.Many2one("distribution.stock.report", required=True, ondelete="cascade", index=True)
    member_id = fields.Many2one(related="report_id.member_id", store=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    row = fields.Integer()
    product_code = fields.Char()
    quantity_text = fields.Char(string="Quantity")
    # kept as a code and its figures, said in the language of whoever reads it (the uploader's language
    # is not the reader's: a Chinese dealer's upload read by an English manager, and the other way round)
    reason_code = fields.Selection(
        [("no_code", "Missing product code"), ("unknown_code", "Unknown product code"),
         ("no_quantity", "Missing quantity"), ("not_number", "Not a number"), ("too_large", "Quantity too large"),
         ("negative", "Negative quantity"), ("duplicate", "Duplicate")],
        required=True,
    )
    reason_params = fields.Json()
    reason = fields.Char(compute="_compute_reason")

    @api.depends("reason_code", "reason_params")
    @api.depends_context("lang")
    def _compute_reason(self):
        products = self.env["product.product"].sudo().browse(
            {(reject.reason_params or {}).get("product_id") for reject in self} - {None}
        ).exists()
        names = {product.id: product.display_name for product in products}
        for reject in self:
            params = reject.reason_params or {}
            reject.reason = reject._reason_text(
                reject.reason_code, product=names.get(params.get("product_id"), ""), row=params.get("row")
            )

    def _reason_text(self, code, product="", row=None):
        """Why the row was rejected, in the language of the context."""
        if code == "no_code":
            return self.env._("Missing product code.")
        if code == "unknown_code":
            return self.env._("Unknown product code: no product you can order has this reference or barcode.")
        if code == "no_quantity":
            return self.env._("Missing quantity.")
        if code == "not_number":
            return self.env._("Not a number.")
        if code == "too_large":
            return self.env._("A quantity above %(max)s: check the cell.", max=f"{MAX_NUMBER:,.0f}")
        if code == "negative":
            return self.env._("Negative quantity: count what is on hand (0 or more).")
        if code == "duplicate":
            return self.env._("Duplicate: %(product)s is already counted on row %(row)s.", product=product, row=row)
        return ""
