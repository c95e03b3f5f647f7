from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionSaleCommon


@tagged("post_install", "-at_install")
class TestSalePortalScopes(DistributionSaleCommon):
    """A portal user reads nothing of another region through a pricing record it may read."""

    def test_price_floors_of_own_territory_only(self):
        Floor = self.env["distribution.price.floor"]
        everywhere, zhejiang, hangzhou, jiangsu = Floor.create([
            {"product_id": self.product_a.id, "sell_in_floor": 1.0},
            {"product_id": self.product_a.id, "territory_id": self.terr_zj.id, "sell_in_floor": 2.0},
            {"product_id": self.product_a.id, "territory_id": self.terr_hz.id, "sell_in_floor": 3.0},
            {"product_id": self.product_a.id, "territory_id": self.terr_js.id, "sell_in_floor": 4.0},
        ])
        floors = everywhere | zhejiang | hangzhou | jiangsu
        # the Hangzhou dealer: the floors that apply to it (everywhere, Zhejiang, Hangzhou), not Jiangsu's
        seen = Floor.with_user(self.users["dl_hz"]).search([("id", "in", floors.ids)])
        self.assertEqual(seen, everywhere | zhejiang | hangzhou)
        with self.assertRaises(AccessError):
            jiangsu.with_user(self.users["dl_hz"]).read(["sell_in_floor"])
        seen = Floor.with_user(self.users["dl_nj"]).search([("id", "in", floors.ids)])
        self.assertEqual(seen, everywhere | jiangsu)
        # back-office users still read them all
        self.assertEqual(Floor.with_user(self.channel_user).search([("id", "in", floors.ids)]), floors)
