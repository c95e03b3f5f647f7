from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon


@tagged("post_install", "-at_install")
class TestPosStore(DistributionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("point_of_sale.group_pos_manager").id)]

    def test_store_pos_sells_at_channel_pricelist(self):
        store_prices = self.env["product.pricelist"].create({"name": "Store prices (test)"})
        self.tier_st.pricelist_id = store_prices
        config = self.env["pos.config"].create(
            {"name": "Hangzhou Store POS", "channel_member_id": self.members["st_hz"].id}
        )
        self.assertTrue(config.use_pricelist)
        self.assertEqual(config.pricelist_id, store_prices)
        self.assertEqual(config.available_pricelist_ids, store_prices, "no other pricelist to pick by mistake")

    def test_existing_pos_follows_its_new_store(self):
        dealer_prices = self.env["product.pricelist"].create({"name": "Dealer prices (test)"})
        self.tier_dl.pricelist_id = dealer_prices
        config = self.env["pos.config"].create({"name": "Nanjing counter"})
        self.assertFalse(config.channel_member_id)
        config.channel_member_id = self.members["dl_nj"]
        self.assertEqual(config.pricelist_id, dealer_prices)
        self.assertEqual(config.available_pricelist_ids, dealer_prices)

    def test_pos_follows_store_pricelist_changes(self):
        store_prices = self.env["product.pricelist"].create({"name": "Store prices (test)"})
        self.tier_st.pricelist_id = store_prices
        config = self.env["pos.config"].create({"name": "Hangzhou till", "channel_member_id": self.members["st_hz"].id})
        self.assertEqual(config.pricelist_id, store_prices)
        promo = self.env["product.pricelist"].create({"name": "Hangzhou stores"})
        self.env["distribution.pricelist.rule"].create(
            {"tier_id": self.tier_st.id, "territory_id": self.terr_hz.id, "pricelist_id": promo.id}
        )
        self.assertEqual(config.pricelist_id, promo)
        self.assertEqual(config.available_pricelist_ids, promo)

    def test_store_without_pricelist_refused(self):
        self.assertFalse(self.members["st_hz"].pricelist_id)
        with self.assertRaisesRegex(ValidationError, "has no channel pricelist"):
            self.env["pos.config"].create({"name": "No prices", "channel_member_id": self.members["st_hz"].id})
