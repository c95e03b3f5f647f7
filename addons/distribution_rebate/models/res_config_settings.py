from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_rebate_journal_id = fields.Many2one(related="company_id.dms_rebate_journal_id", readonly=False)
    dms_rebate_expense_account_id = fields.Many2one(related="company_id.dms_rebate_expense_account_id", readonly=False)
    dms_rebate_accrual_account_id = fields.Many2one(related="company_id.dms_rebate_accrual_account_id", readonly=False)
