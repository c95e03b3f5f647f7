from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_stock_window_days = fields.Integer(related="company_id.dms_stock_window_days", readonly=False)
    dms_slow_days = fields.Integer(related="company_id.dms_slow_days", readonly=False)
    dms_slow_cover_days = fields.Integer(related="company_id.dms_slow_cover_days", readonly=False)
    dms_hot_percentile = fields.Integer(related="company_id.dms_hot_percentile", readonly=False)
    dms_lead_days = fields.Integer(
        related="company_id.dms_lead_days", readonly=False, string="Channel Lead Time (days)"
    )
    dms_safety_days = fields.Integer(
        related="company_id.dms_safety_days", readonly=False, string="Channel Safety Stock (days)"
    )
