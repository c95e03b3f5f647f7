from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_categ_id = fields.Many2one(related="company_id.channel_categ_id", readonly=False)
