from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dms_rebate_journal_id = fields.Many2one(
        "account.journal", string="Rebate Accrual Journal", domain="[('type', '=', 'general')]"
    )
    dms_rebate_expense_account_id = fields.Many2one("account.account", string="Rebate Expense Account")
    dms_rebate_accrual_account_id = fields.Many2one("account.account", string="Accrued Rebate Account")
