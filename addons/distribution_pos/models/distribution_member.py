from odoo import models


class DistributionMember(models.Model):
    _inherit = "distribution.member"

    def _apply_channel_pricelist(self):
        """A store's POS follows the store's channel pricelist when it changes."""
        res = super()._apply_channel_pricelist()
        configs = self.env["pos.config"].sudo().search([("channel_member_id", "in", self.ids)])
        for config in configs:
            pricelist = config.channel_member_id.pricelist_id
            if pricelist and config.pricelist_id != pricelist:
                config.write(config._prepare_channel_pricelist_vals(config.channel_member_id.id))
        return res
