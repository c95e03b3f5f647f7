from odoo import fields, models


class DistributionChannelDimensionMixin(models.AbstractModel):
    """The channel dimensions of a figure about one member and one product: the member's (see
    `distribution.member.dimension.mixin`), the product and its category, and the company."""

    _name = "distribution.channel.dimension.mixin"
    _inherit = ["distribution.member.dimension.mixin"]
    _description = "Channel Dimensions"

    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
