from odoo import api, fields, models
from odoo.exceptions import UserError

from .distribution_statement import DOCUMENT_TYPES


class DistributionStatementLine(models.Model):
    _name = "distribution.statement.line"
    _description = "Statement Entry"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one("distribution.statement", required=True, ondelete="cascade", index=True)
    member_id = fields.Many2one(related="statement_id.member_id")
    state = fields.Selection(related="statement_id.state", string="Statement State")
    currency_id = fields.Many2one(related="statement_id.currency_id")
    company_currency_id = fields.Many2one(related="statement_id.company_currency_id")
    sequence = fields.Integer()
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", index=True, ondelete="set null")
    move_id = fields.Many2one("account.move", string="Entry", ondelete="set null")
    dms_origin = fields.Selection(
        related="move_id.dms_origin",
        help="The entry was written by a DMS engine (a rebate credit note or vendor bill, its bill-back, a "
        "commission bill, a penalty), not by hand.",
    )
    date = fields.Date()
    date_maturity = fields.Date(string="Due Date")
    reference = fields.Char(string="Document")
    name = fields.Char(string="Description")
    document_type = fields.Selection(DOCUMENT_TYPES, string="Type")
    debit = fields.Monetary()
    credit = fields.Monetary()
    cumulative = fields.Monetary(string="Balance")
    amount_company = fields.Monetary(string="Amount (Company Currency)", currency_field="company_currency_id")
    foreign_currency_id = fields.Many2one(
        "res.currency", string="Own Currency",
        help="The currency of an item on a statement of another currency (a USD payment of a CNY invoice): the "
        "statement shows it at its booked amount, and its own amount here.",
    )
    amount_currency = fields.Monetary(
        string="Amount in Own Currency", currency_field="foreign_currency_id",
        help="The item's amount in its own currency, when it differs from the statement's.",
    )
    dispute_ids = fields.Many2many(
        "distribution.statement.dispute", "distribution_statement_dispute_line_rel", "line_id", "dispute_id",
        string="Disputes",
    )
    disputed = fields.Boolean(compute="_compute_disputed", search="_search_disputed")
    dispute_comment = fields.Text(compute="_compute_disputed")

    def _compute_disputed(self):
        for line in self:
            disputes = line.dispute_ids
            line.disputed = bool(disputes)
            line.dispute_comment = "\n".join(disputes.mapped("comment"))

    def _search_disputed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        return [("dispute_ids", "!=" if positive else "=", False)]

    @api.model_create_multi
    def create(self, vals_list):
        statements = self.env["distribution.statement"].browse(
            {vals.get("statement_id") for vals in vals_list if vals.get("statement_id")}
        )
        if any(statement.state != "draft" for statement in statements):
            raise UserError(self.env._("No entry can be added to a sent statement: issue a corrected version instead."))
        return super().create(vals_list)

    def write(self, vals):
        statements = self.statement_id
        if vals.get("statement_id"):
            statements |= self.env["distribution.statement"].browse(vals["statement_id"])
        if any(statement.state != "draft" for statement in statements):
            raise UserError(self.env._("The entries of a sent statement cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(line.statement_id.state != "draft" for line in self):
            raise UserError(self.env._("The entries of a sent statement cannot be deleted."))

    def action_open_entry(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
