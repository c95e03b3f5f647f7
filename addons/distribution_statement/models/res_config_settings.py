from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_statement_reminder_days = fields.Integer(related="company_id.dms_statement_reminder_days", readonly=False)
    dms_statement_user_id = fields.Many2one(related="company_id.dms_statement_user_id", readonly=False)
