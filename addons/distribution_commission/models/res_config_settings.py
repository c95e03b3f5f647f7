from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_referral_window_days = fields.Integer(related="company_id.dms_referral_window_days", readonly=False)
    dms_commission_levels = fields.Selection(related="company_id.dms_commission_levels", readonly=False)
    dms_commission_return_days = fields.Integer(related="company_id.dms_commission_return_days", readonly=False)
    dms_commission_min_withdrawal = fields.Monetary(related="company_id.dms_commission_min_withdrawal", readonly=False)
    dms_commission_expense_account_id = fields.Many2one(related="company_id.dms_commission_expense_account_id", readonly=False)
    dms_commission_withholding_account_id = fields.Many2one(
        related="company_id.dms_commission_withholding_account_id", readonly=False
    )
    dms_commission_journal_id = fields.Many2one(related="company_id.dms_commission_journal_id", readonly=False)
