from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dms_rebate_journal_id = fields.Many2one(
        "account.journal", string="Rebate Accrual Journal", domain="[('type', '=', 'general')]"
    )
    dms_rebate_expense_account_id = fields.Many2one("account.account", string="Rebate Expense Account")
    dms_rebate_accrual_account_id = fields.Many2one("account.account", string="Accrued Rebate Account")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_rebate_journal_id = fields.Many2one(related="company_id.dms_rebate_journal_id", readonly=False)
    dms_rebate_expense_account_id = fields.Many2one(related="company_id.dms_rebate_expense_account_id", readonly=False)
    dms_rebate_accrual_account_id = fields.Many2one(related="company_id.dms_rebate_accrual_account_id", readonly=False)


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + [
            "distribution.rebate.agreement",
            "distribution.rebate.settlement",
        ]
