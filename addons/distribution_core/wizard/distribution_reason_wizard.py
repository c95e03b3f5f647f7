from odoo import fields, models
from odoo.exceptions import UserError


class DistributionReasonWizard(models.TransientModel):
    """Asks for the reason of a suspension, a termination or a rejection."""

    _name = "distribution.reason.wizard"
    _description = "Reason for a Channel Decision"

    action = fields.Selection(
        [("suspend", "Suspend Member"), ("terminate", "Terminate Member"), ("reject", "Reject Application"),
         ("reject_channel_order", "Reject Channel Order")],
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        model = self.env.context.get("active_model")
        records = self.env[model].browse(self.env.context.get("active_ids", [])) if model else None
        if not records:
            raise UserError(self.env._("Nothing selected."))
        if self.action == "suspend" and model == "distribution.member":
            records._action_suspend(self.reason)
        elif self.action == "terminate" and model == "distribution.member":
            records._action_terminate(self.reason)
        elif self.action == "reject" and model == "distribution.application":
            records._action_reject(self.reason)
        elif self.action == "reject_channel_order" and model == "distribution.channel.order":
            records.action_reject(self.reason)
        else:
            raise UserError(self.env._("This decision does not apply to these records."))
        return {"type": "ir.actions.act_window_close"}
