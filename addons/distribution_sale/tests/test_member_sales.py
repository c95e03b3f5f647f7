from odoo.tests import tagged

from .common import DistributionSaleCommon, DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestMemberSales(DistributionSaleCommon):
    """What a member buys, seen from the member: its orders, its tier's pricelist."""

    def _new_member(self, name, tier, parent=None, code=None):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        return self.env["distribution.member"].create(
            {"partner_id": partner.id, "code": code or name.replace(" ", "")[:10], "tier_id": tier.id,
             "parent_id": parent.id if parent else False, "state": "active"}
        )

    def test_orders_know_their_member(self):
        self.assertEqual(self.orders["dl_hz"].channel_member_id, self.members["dl_hz"])
        self.assertEqual(self.members["dl_hz"].sale_order_count, 1)
        action = self.members["dl_hz"].action_view_sale_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), self.orders["dl_hz"])

    def test_tier_pricelist_follows_member(self):
        pricelist = self.env["product.pricelist"].create({"name": "Dealer prices"})
        self.tier_dl.pricelist_id = pricelist
        member = self._new_member("Priced Dealer", self.tier_dl, parent=self.members["rd_zj"], code="PD")
        self.assertEqual(member.partner_id.property_product_pricelist, pricelist)
        store_prices = self.env["product.pricelist"].create({"name": "Store prices"})
        self.tier_st.pricelist_id = store_prices
        member.write({"tier_id": self.tier_st.id, "parent_id": self.members["dl_hz"].id})
        self.assertEqual(member.partner_id.property_product_pricelist, store_prices)


@tagged("post_install", "-at_install")
class TestMyChannelOrders(DistributionSaleHttpCommon):
    def test_my_channel_shows_the_orders_of_the_subtree(self):
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        response = self.url_open("/my/channel")
        self.assertIn("Orders", response.text)
        self.assertIn("o_dist_prices_link", response.text)
        # a sub-member's page lists its orders; a sibling's page is not reachable
        response = self.url_open(f"/my/channel/member/{self.members['dl_hz'].id}")
        self.assertIn(self.orders["dl_hz"].name, response.text)
        response = self.url_open(f"/my/channel/member/{self.members['dl_nj'].id}")
        self.assertNotIn(self.orders["dl_nj"].name, response.text)
        self.assertTrue(response.url.endswith("/my/channel"))

    def test_sub_member_order_rows_open_the_order(self):
        """On a sub-member's page each order links to the order's page, which the parent's portal
        user may open; a member outside that subtree is refused the same page."""
        order = self.orders["dl_hz"]
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        page = self.url_open(f"/my/channel/member/{self.members['dl_hz'].id}").text
        url = order.access_url
        row = page[page.index("o_channel_member_order"):]
        row = row[:row.index("</tr>")]
        self.assertIn(f'href="{url}"', row)
        self.assertNotIn("access_token", row, "the link opens the order to its readers only")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        response = self.url_open(url, allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
