from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistributionRebateTierLine(models.Model):
    _name = "distribution.rebate.tier.line"
    _inherit = ["distribution.approval.line.mixin"]
    _dms_approval_parent = "agreement_id"
    _dms_approval_line_fields = ("threshold", "rate")
    _description = "Rebate Tier"
    _order = "agreement_id, threshold"

    agreement_id = fields.Many2one("distribution.rebate.agreement", required=True, ondelete="cascade", index=True)
    threshold = fields.Float(required=True, help="Basis from which this tier applies (amount or quantity).")
    rate = fields.Float(
        required=True, digits=(16, 4), help="Percentage of the amount (amount basis) or amount per unit (quantity basis)."
    )
    rate_display = fields.Char(string="Rate Shown", compute="_compute_rate_display")

    _threshold_unique = models.Constraint("UNIQUE(agreement_id, threshold)", "Two tiers cannot start at the same basis.")

    @api.constrains("threshold", "rate")
    def _check_values(self):
        for line in self:
            if line.threshold < 0 or line.rate < 0:
                raise ValidationError(self.env._("Tier thresholds and rates cannot be negative."))

    @api.depends("rate", "agreement_id.basis", "agreement_id.company_id.currency_id")
    @api.depends_context("lang")
    def _compute_rate_display(self):
        for line in self:
            line.rate_display = line.agreement_id._format_rate(line.rate) if line.agreement_id else ""
