from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rebate_journal_id = fields.Many2one(
        "account.journal", string="Rebate Accrual Journal", domain="[('type', '=', 'general')]"
    )
    rebate_expense_account_id = fields.Many2one("account.account")
    rebate_accrual_account_id = fields.Many2one("account.account", string="Accrued Rebate Account")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rebate_journal_id = fields.Many2one(related="company_id.rebate_journal_id", readonly=False)
    rebate_expense_account_id = fields.Many2one(related="company_id.rebate_expense_account_id", readonly=False)
    rebate_accrual_account_id = fields.Many2one(related="company_id.rebate_accrual_account_id", readonly=False)


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + [
            "distribution.rebate.agreement",
            "distribution.rebate.settlement",
        ]
