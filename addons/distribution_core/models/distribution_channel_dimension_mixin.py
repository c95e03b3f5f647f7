from odoo import fields, models


class DistributionMemberDimensionMixin(models.AbstractModel):
    """The channel dimensions of a figure about one member: the member, its tier, its territory and
    its supplier (parent member). Reports and aggregates of every addon (sell-out, movements, stock,
    monthly sales) group and filter by these same fields, with the same labels and translations."""

    _name = "distribution.member.dimension.mixin"
    _description = "Channel Member Dimensions"

    member_id = fields.Many2one("distribution.member", readonly=True)
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    parent_member_id = fields.Many2one("distribution.member", string="Supplier", readonly=True)


class DistributionChannelDimensionMixin(models.AbstractModel):
    """The channel dimensions of a figure about one member and one product: the member's (see
    `distribution.member.dimension.mixin`), the product and its category, and the company."""

    _name = "distribution.channel.dimension.mixin"
    _inherit = ["distribution.member.dimension.mixin"]
    _description = "Channel Dimensions"

    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
