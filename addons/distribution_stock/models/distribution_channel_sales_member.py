from odoo import fields, models


class DistributionChannelSalesMember(models.Model):
    """Monthly channel sales per member and kind (sell-in, sell-through, sell-out)."""

    _name = "distribution.channel.sales.member"
    _inherit = ["distribution.channel.sales.mixin", "distribution.member.dimension.mixin"]
    _description = "Channel Sales by Member"
    _rec_name = "member_id"
    _log_access = False

    _sales_dimensions = ("member_id", "tier_id", "territory_id", "parent_member_id")
    _sales_drilldown_field = "member_id"

    member_id = fields.Many2one(index=True)
