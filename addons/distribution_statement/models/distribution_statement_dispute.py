from odoo import api, fields, models
from odoo.exceptions import UserError


class DistributionStatementDispute(models.Model):
    _name = "distribution.statement.dispute"
    _description = "Statement Dispute"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "statement_id"

    statement_id = fields.Many2one("distribution.statement", required=True, ondelete="cascade", index=True, readonly=True)
    member_id = fields.Many2one(related="statement_id.member_id", store=True)
    partner_id = fields.Many2one(related="statement_id.partner_id")
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    line_ids = fields.Many2many(
        "distribution.statement.line", "distribution_statement_dispute_line_rel", "dispute_id", "line_id",
        string="Disputed Entries", readonly=True,
    )
    move_line_ids = fields.Many2many("account.move.line", compute="_compute_move_line_ids", string="Journal Items")
    disputed_amount = fields.Monetary(compute="_compute_move_line_ids")
    comment = fields.Text(required=True, readonly=True)
    attachment_ids = fields.Many2many("ir.attachment", readonly=True)
    disputed_by_id = fields.Many2one("res.users", readonly=True)
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], default="open", required=True, tracking=True)
    resolution = fields.Selection(
        [("explanation", "Explanation"), ("adjustment", "Adjusting entry"), ("correction", "Corrected statement")],
        tracking=True,
    )
    answer = fields.Text(help="Shown to the member in the portal.")
    adjustment_move_id = fields.Many2one("account.move", string="Adjusting Entry")
    corrected_statement_id = fields.Many2one("distribution.statement", readonly=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_date = fields.Datetime(readonly=True)

    @api.depends("line_ids")
    def _compute_move_line_ids(self):
        for dispute in self:
            dispute.move_line_ids = dispute.line_ids.move_line_id
            dispute.disputed_amount = sum(dispute.line_ids.mapped("debit")) - sum(dispute.line_ids.mapped("credit"))

    def action_resolve(self):
        """Answer the member: with an explanation, an adjusting entry, or a corrected statement."""
        for dispute in self:
            if dispute.state != "open":
                raise UserError(self.env._("This dispute is already resolved."))
            if not dispute.resolution:
                raise UserError(self.env._("Choose how the dispute is resolved."))
            if not (dispute.answer or "").strip():
                raise UserError(self.env._("Write the answer the member will read."))
            if dispute.resolution == "adjustment" and (
                not dispute.adjustment_move_id or dispute.adjustment_move_id.state != "posted"
            ):
                raise UserError(self.env._("Choose the posted adjusting entry."))
            statement = dispute.statement_id
            values = {"state": "resolved", "resolved_by_id": self.env.user.id, "resolved_date": fields.Datetime.now()}
            if dispute.resolution == "correction":
                values["corrected_statement_id"] = statement.action_issue_correction().id
            dispute.write(values)
            if statement.state == "disputed" and not statement.dispute_ids.filtered(lambda d: d.state == "open"):
                statement._set_state("resolved")
            statement.activity_feedback(["distribution_statement.mail_activity_statement_dispute"])
            # the member reads it: in the member's language, whoever answers
            statement.message_post(
                body=statement._for_recipient().env._("Your dispute was answered: %s", dispute.answer),
                partner_ids=statement.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.statement",
            "res_id": self.statement_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
