from odoo import fields, models


class DistributionDiversionConfirm(models.TransientModel):
    """The decision on diversion incidents: confirm with a penalty, or dismiss with a reason."""

    _name = "distribution.diversion.confirm"
    _description = "Diversion Incident Decision"

    incident_ids = fields.Many2many(
        "distribution.diversion.incident", "distribution_diversion_confirm_incident_rel", "wizard_id", "incident_id",
        string="Incidents", required=True,
    )
    decision = fields.Selection([("confirm", "Confirm"), ("dismiss", "Dismiss")], required=True, default="confirm")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    penalty_amount = fields.Monetary(string="Penalty", help="Per incident, in the company's currency.")
    reason = fields.Text(string="Reason / Note")

    def action_apply(self):
        self.ensure_one()
        if self.decision == "confirm":
            self.incident_ids._confirm(self.penalty_amount, self.reason)
        else:
            self.incident_ids._dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
