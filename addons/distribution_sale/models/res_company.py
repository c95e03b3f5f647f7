from odoo import fields, models
from odoo.fields import Domain


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_categ_id = fields.Many2one(
        "product.category",
        string="Channel Catalogue",
        help="The product category (with its subcategories) of the brand's channel products: members order "
        "only these in the portal, and the points of sale of channel stores sell only these. Empty: every "
        "saleable good of the company.",
    )

    def _channel_product_domain(self):
        """Domain of the products the channel sells for this company: saleable goods (no services such as
        deposits or down payments), of the channel catalogue's category when one is set."""
        self.ensure_one()
        domain = (
            Domain("sale_ok", "=", True)
            & Domain("type", "=", "consu")
            & Domain("company_id", "in", [False, self.id])
        )
        if self.channel_categ_id:
            domain &= Domain("categ_id", "child_of", self.channel_categ_id.ids)
        return domain
