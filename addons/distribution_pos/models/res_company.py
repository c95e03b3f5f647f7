from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _load_pos_data_fields(self, config):
        # the till's header shows the company's logo unless it is Odoo's placeholder
        return [*super()._load_pos_data_fields(config), "uses_default_logo"]
