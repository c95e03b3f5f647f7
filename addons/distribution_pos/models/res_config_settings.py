from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The replenishment settings of the point of sale selected in Settings → Point of Sale
    (``pos_`` fields are written to ``pos_config_id``; pos.config validates them)."""

    _inherit = "res.config.settings"

    pos_channel_member_id = fields.Many2one(related="pos_config_id.channel_member_id")
    pos_dms_replenish_window_days = fields.Integer(related="pos_config_id.dms_replenish_window_days", readonly=False)
    pos_dms_replenish_lead_days = fields.Integer(related="pos_config_id.dms_replenish_lead_days", readonly=False)
    pos_dms_replenish_safety_days = fields.Integer(related="pos_config_id.dms_replenish_safety_days", readonly=False)
    pos_dms_replenish_slow_days = fields.Integer(related="pos_config_id.dms_replenish_slow_days", readonly=False)
