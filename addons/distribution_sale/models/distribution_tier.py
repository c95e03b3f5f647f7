from odoo import fields, models


class DistributionTier(models.Model):
    """A tier's default pricelist and credit limit, for members that have none of their own."""

    _inherit = "distribution.tier"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Default Pricelist",
        help="Pricelist given to members of this tier when they join or change tier.",
    )
    default_credit_limit = fields.Monetary(
        help="Credit limit of the tier's members that have none of their own. 0: no limit."
    )

    def write(self, vals):
        res = super().write(vals)
        if "pricelist_id" in vals:
            self.member_ids._apply_channel_pricelist()
        return res
