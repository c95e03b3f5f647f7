from odoo import fields, models


class DistributionChannelSalesProduct(models.Model):
    """Monthly channel sales per product and kind (sell-in, sell-through, sell-out)."""

    _name = "distribution.channel.sales.product"
    _inherit = ["distribution.channel.sales.mixin", "distribution.product.rank.mixin"]
    _description = "Channel Sales by Product"
    _rec_name = "product_id"
    _log_access = False

    _sales_dimensions = ("product_id", "categ_id")
    _sales_drilldown_field = "product_id"

    product_id = fields.Many2one("product.product", readonly=True, index=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
