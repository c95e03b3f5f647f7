"""Documents for the tests of this addon only (registered by the tests, never installed):
one that opts in to the reinforcements, with lines, and one that does not (OCA behaviour)."""

from odoo import api, fields, models


class ApprovalTester(models.Model):
    _name = "dms.approval.tester"
    _description = "Approval Tester"
    _inherit = ["tier.validation", "mail.thread"]
    _tier_validation_manual_config = True
    _state_from = ["draft"]
    _state_to = ["done"]
    _cancel_state = "cancel"
    _dms_approval = True
    _dms_approval_fields = ("partner_id",)

    name = fields.Char(default="Tester")
    state = fields.Selection([("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")], default="draft")
    partner_id = fields.Many2one("res.partner")
    manager_id = fields.Many2one("res.users", help="Stands for the channel manager of the document's member.")
    amount = fields.Float(compute="_compute_amount", store=True)
    line_ids = fields.One2many("dms.approval.tester.line", "order_id")

    @api.depends("line_ids.amount")
    def _compute_amount(self):
        for record in self:
            record.amount = sum(record.line_ids.mapped("amount"))

    def _dms_review_context(self):
        return {"member": None, "manager": self.manager_id, "territory": None, "parent": None}

    def _dms_on_validated(self):
        self.with_context(skip_validation_check=True).write({"state": "done"})

    def action_done(self):
        """Done, or sent for approval when a rule matches (as sale orders' Confirm)."""
        ready = self._dms_request_or_pass()
        ready.write({"state": "done"})
        return True


class ApprovalTesterLine(models.Model):
    _name = "dms.approval.tester.line"
    _description = "Approval Tester Line"
    _inherit = ["distribution.approval.line.mixin"]
    _dms_approval_line_fields = ("amount",)

    order_id = fields.Many2one("dms.approval.tester", required=True, ondelete="cascade")
    amount = fields.Float()


class ApprovalTesterPlain(models.Model):
    _name = "dms.approval.tester.plain"
    _description = "Approval Tester (OCA behaviour)"
    _inherit = ["tier.validation", "mail.thread"]
    _tier_validation_manual_config = True
    _state_from = ["draft"]
    _state_to = ["done"]

    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    amount = fields.Float()
