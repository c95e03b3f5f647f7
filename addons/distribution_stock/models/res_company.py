from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dms_stock_window_days = fields.Integer(
        string="Analysis Window (days)",
        default=90,
        help="Channel inventory: the outflow (sell-through + sell-out) of this many days, up to today, gives a "
        "member's velocity and turnover.",
    )
    dms_slow_days = fields.Integer(
        string="Slow Mover: No Outflow for (days)",
        default=60,
        help="A product a member has in stock and has not sold (sell-through or sell-out) for this many days is a "
        "slow mover.",
    )
    dms_slow_cover_days = fields.Integer(
        string="Slow Mover: Cover above (days)",
        default=180,
        help="A product whose days of cover at a member are above this figure is a slow mover.",
    )
    dms_hot_percentile = fields.Integer(
        string="Hot Item: Velocity Percentile",
        default=80,
        help="A product whose velocity at a member is above this percentile of all the company's velocities "
        "(members × products that sell), and whose days of cover are below the member's lead time, is a hot item.",
    )
    dms_lead_days = fields.Integer(
        string="Replenishment Lead Time (days)",
        default=7,
        help="Days between a member's order and the goods on its shelf, unless the member has its own.",
    )
    dms_safety_days = fields.Integer(
        string="Safety Stock (days)",
        default=7,
        help="Days of sales a member keeps on top of the lead time, unless the member has its own.",
    )

    @api.constrains(
        "dms_stock_window_days",
        "dms_slow_days",
        "dms_slow_cover_days",
        "dms_hot_percentile",
        "dms_lead_days",
        "dms_safety_days",
    )
    def _check_dms_stock_settings(self):
        for company in self:
            if company.dms_stock_window_days < 1 or company.dms_slow_days < 1 or company.dms_slow_cover_days < 1:
                raise ValidationError(
                    self.env._("The analysis window and the slow-mover thresholds must be at least one day.")
                )
            if not 1 <= company.dms_hot_percentile <= 99:
                raise ValidationError(self.env._("The hot-item percentile must be between 1 and 99."))
            if company.dms_lead_days < 0 or company.dms_safety_days < 0:
                raise ValidationError(self.env._("The lead time and the safety stock cannot be negative."))
