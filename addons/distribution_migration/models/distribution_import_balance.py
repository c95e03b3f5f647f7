from odoo import fields, models


class DistributionImportBalance(models.Model):
    """One member's opening receivable balance as an import posted it: the whole balance
    the first time, the difference when a later import changes it. The member's imported
    opening balance is the sum of these lines whose journal entry is posted; it is what
    a re-import compares the file with (same amount: nothing to post)."""

    _name = "distribution.import.balance"
    _description = "Imported Opening Balance"
    _order = "date desc, id desc"
    _check_company_auto = True

    job_id = fields.Many2one("distribution.import.job", string="Import", ondelete="set null", index=True,
                             readonly=True)
    member_id = fields.Many2one("distribution.member", required=True, ondelete="cascade", index=True,
                                readonly=True, check_company=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="restrict", readonly=True)
    account_id = fields.Many2one("account.account", string="Receivable Account", required=True,
                                 ondelete="restrict", readonly=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    ref = fields.Char(string="Reference", readonly=True)
    amount = fields.Monetary(
        string="Posted Change", readonly=True,
        help="Receivable posted by this import: the whole opening balance the first time, the difference when "
        "a later import changes it.",
    )
    balance = fields.Monetary(string="Opening Balance", readonly=True,
                              help="The member's opening balance as the file gave it.")
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", ondelete="set null",
                                   index="btree_not_null", readonly=True)
    move_id = fields.Many2one(related="move_line_id.move_id", string="Journal Entry", store=True)
    parent_state = fields.Selection(related="move_line_id.parent_state", string="Entry Status")
