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
