from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dms_referral_window_days = fields.Integer(
        string="Attribution Window (days)", default=30,
        help="A customer is attached to a promoter if he signs up or orders within this many days of the click.",
    )
    dms_commission_levels = fields.Selection(
        [("1", "1 level (the promoter)"), ("2", "2 levels (and who recruited him)")], string="Commission Levels",
        default="2", required=True,
    )
    dms_commission_return_days = fields.Integer(
        string="Return Window (days)", default=7,
        help="A commission is frozen until this many days after the delivery, then available.",
    )
    dms_commission_min_withdrawal = fields.Monetary(string="Minimum Withdrawal", default=100.0)
    dms_commission_expense_account_id = fields.Many2one("account.account", string="Commission Expense Account")
    dms_commission_withholding_account_id = fields.Many2one("account.account", string="Withholding Tax Account")
    dms_commission_journal_id = fields.Many2one(
        "account.journal", string="Commission Journal", domain="[('type', '=', 'purchase')]"
    )
