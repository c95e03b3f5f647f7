from odoo import api, fields, models
from odoo.exceptions import UserError


class DistributionStockReportLine(models.Model):
    _name = "distribution.stock.report.line"
    _description = "Channel Stock Report Line"
    _order = "report_id, id"

    report_id = fields.Many2one("distribution.stock.report", required=True, ondelete="cascade", index=True)
    member_id = fields.Many2one(related="report_id.member_id", store=True, index=True)
    date = fields.Date(related="report_id.date", store=True)
    state = fields.Selection(related="report_id.state")
    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="restrict", domain=[("sale_ok", "=", True)]
    )
    default_code = fields.Char(related="product_id.default_code", string="Code")
    quantity = fields.Float(string="Counted Quantity", digits="Product Unit", required=True, default=0.0)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    company_id = fields.Many2one(related="report_id.company_id", store=True)

    _product_unique = models.Constraint(
        "UNIQUE(report_id, product_id)", "A product can be counted only once in a stock report."
    )
    _quantity_positive = models.Constraint("CHECK(quantity >= 0)", "A counted quantity cannot be negative.")

    def _check_report_open(self):
        """A submitted count is the member's stock: only a channel manager changes it."""
        if self.env.su or self.env.user.has_group("distribution_core.group_channel_manager"):
            return
        if self.report_id.filtered(lambda r: r.state == "done"):
            raise UserError(self.env._("This stock report is submitted: its lines cannot change any more."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_report_open()
        return lines

    def write(self, vals):
        self._check_report_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_report_open()
