from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestPricingTour(DistributionSaleHttpCommon):
    def test_publish_then_portal_sees_prices(self):
        dealers = self.env["product.pricelist"].create(
            {"name": "Dealers", "item_ids": [Command.create(
                {"applied_on": "0_product_variant", "product_id": self.product_a.id,
                 "compute_price": "fixed", "fixed_price": 800.0})]}
        )
        self.env["distribution.pricelist.rule"].create({"tier_id": self.tier_dl.id, "pricelist_id": dealers.id})
        publication = self.env["distribution.price.publication"].with_user(self.channel_user).create(
            {
                "name": "Spring dealer prices",
                "effective_date": fields.Date.today() + timedelta(days=3),
                "line_ids": [Command.create({"pricelist_id": dealers.id, "product_id": self.product_a.id,
                                             "new_price": 850.0})],
            }
        )
        self.start_tour("/odoo", "distribution_price_publish", login="dist_manager")
        self.assertEqual(publication.state, "published")
        self.assertEqual(publication.published_by_id, self.channel_manager)
        self.start_tour("/my/channel", "distribution_portal_my_prices", login="portal_dl_hz")
