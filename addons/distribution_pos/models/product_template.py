from odoo import api, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def _load_pos_data_domain(self, data, config):
        """The till of a channel store sells the channel catalogue only (Settings → Sales → Channel
        Catalogue); Odoo still adds the special products (discounts of promotions, tips) itself."""
        domain = super()._load_pos_data_domain(data, config)
        categ = config.channel_member_id and config.company_id.channel_categ_id
        if categ:
            domain = [*domain, ("categ_id", "child_of", categ.ids)]
        return domain
