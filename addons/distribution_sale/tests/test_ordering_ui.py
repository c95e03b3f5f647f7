from odoo import Command
from odoo.tests import tagged

from .common import DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestOrderingPortal(DistributionSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.product_a.default_code = "PA-001"
        cls.product_b.default_code = "PB-002"
        cls.env["tier.definition"].create(
            {
                "name": "Distributor approves",
                "model_id": cls.env.ref("distribution_sale.model_distribution_channel_order").id,
                "review_type": "parent_portal",
                "definition_domain": "[]",
            }
        )

    def test_dealer_orders_distributor_approves_in_portal(self):
        self.start_tour("/my/channel/order", "distribution_portal_order_paste", login="portal_dl_hz")
        order = self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.members["dl_hz"].id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "submitted")
        self.assertEqual(
            {(line.product_id, line.product_uom_qty) for line in order.line_ids},
            {(self.product_a, 3.0), (self.product_b, 1.0)},
        )
        self.assertEqual(order.review_ids.reviewer_ids, self.users["rd_zj"])

        # another distributor neither sees nor decides it
        self.authenticate("portal_rd_js", "portal_rd_js")
        self.assertEqual(self.url_open(f"/my/channel/orders/{order.id}").status_code, 404)
        csrf = self._csrf("/my/channel/order")
        response = self.url_open(f"/my/channel/orders/{order.id}/approve", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        review = order.review_ids
        response = self.url_open(f"/my/approvals/{review.id}/approve", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(order.state, "submitted")

        self.start_tour("/my/approvals", "distribution_portal_approve", login="portal_rd_zj")
        self.assertEqual(order.state, "approved")
        self.assertEqual(review.done_by, self.users["rd_zj"])

    def test_paste_with_unknown_code_keeps_the_text(self):
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        csrf = self._csrf("/my/channel/order")
        response = self.url_open(
            "/my/channel/order", data={"csrf_token": csrf, "lines": "PA-001,2\nNOPE-1,4"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("no product with code NOPE-1", response.text)
        self.assertIn("NOPE-1,4", response.text, "what the dealer typed is kept")
        self.assertFalse(self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.members["dl_hz"].id)]))

    def test_reorder_prefills(self):
        order = self.members["dl_hz"].with_user(self.users["dl_hz"])._portal_submit_order([(self.product_a, 7)])
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        reorder_url = f"/my/channel/order?reorder_model=distribution.channel.order&amp;reorder_id={order.id}"
        catalogue = self.url_open("/my/channel/order").text
        self.assertIn("o_channel_reorder_link", catalogue, "the catalogue offers the last orders to order again")
        self.assertIn(reorder_url, catalogue)
        response = self.url_open(f"/my/channel/order?reorder_model=distribution.channel.order&reorder_id={order.id}")
        self.assertIn("PA-001,7", response.text)
        # someone else's order cannot be copied
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        self.assertNotIn(reorder_url, self.url_open("/my/channel/order").text)
        response = self.url_open(f"/my/channel/order?reorder_model=distribution.channel.order&reorder_id={order.id}")
        self.assertNotIn("PA-001,7", response.text)


@tagged("post_install", "-at_install")
class TestPhoneApprovalTour(DistributionSaleHttpCommon):
    """My Approvals on a phone: a distributor approves its dealer's order with a tap."""

    browser_size = "390x844"
    touch_enabled = True

    def test_distributor_approves_on_a_phone(self):
        self.env["tier.definition"].search([]).active = False
        self.env["tier.definition"].create(
            {
                "name": "Distributor approves",
                "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
                "review_type": "parent_portal",
                "definition_domain": "[]",
            }
        )
        order = self.members["dl_hz"].with_user(self.users["dl_hz"])._portal_submit_order([(self.product_a, 3)])
        self.assertEqual((order.state, order.review_ids.reviewer_ids), ("submitted", self.users["rd_zj"]))
        self.start_tour("/my/approvals", "distribution_portal_approve_phone", login="portal_rd_zj")
        self.assertEqual(order.state, "approved")
        self.assertEqual(order.review_ids.done_by, self.users["rd_zj"])


@tagged("post_install", "-at_install")
class TestSellInApprovalTour(DistributionSaleHttpCommon):
    def test_channel_manager_approves_large_order(self):
        self.env["tier.definition"].search([]).active = False
        self.env["tier.definition"].create(
            {
                "name": "Large sell-in order",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "review_type": "channel_manager",
                "definition_domain": "[('amount_total', '>', 10000)]",
            }
        )
        self.channel_manager.sudo().group_ids = [Command.link(self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.members["ga"].partner_id.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 20})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.validation_status, "pending")
        self.start_tour("/odoo", "distribution_backend_approve_sell_in", login="dist_manager")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.review_ids.done_by, self.channel_manager)


@tagged("post_install", "-at_install")
class TestOrderingCatalogue(DistributionSaleHttpCommon):
    """The phone catalogue: category filter, pictures only of orderable products."""

    def test_category_filter_and_images(self):
        drinks = self.env["product.category"].create({"name": "Drinks"})
        self.product_a.write({"default_code": "PA-001", "categ_id": drinks.id})
        self.product_b.default_code = "PB-002"
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open(f"/my/channel/order?category={drinks.id}").text
        self.assertIn("PA-001", page)
        self.assertNotIn("PB-002", page, "another category's product is filtered out")
        self.assertIn("Drinks", page, "the category chips list the member's categories")
        response = self.url_open(f"/my/channel/product/{self.product_a.id}/image")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/"))
        hidden = self.env["product.product"].create({"name": "Not for sale", "sale_ok": False})
        self.assertEqual(self.url_open(f"/my/channel/product/{hidden.id}/image").status_code, 404)

    def test_catalogue_in_chinese(self):
        """A zh_CN member reads the ordering page in Chinese, cart bar included."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_core", "distribution_sale"], ["zh_CN"], overwrite=True)
        self.users["dl_hz"].lang = "zh_CN"
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/channel/order").text
        for chinese in ("购物车中", "粘贴或扫码录入", "搜索商品名称、编码或条码", "再来一单："):
            self.assertIn(chinese, page)
        for english in ("products in the cart", "Paste or scan codes", "Submit Order", "Search a product", "Order again"):
            self.assertNotIn(english, page)


@tagged("post_install", "-at_install")
class TestOrderingPhone(DistributionSaleHttpCommon):
    """A dealer orders from the catalogue on a phone (390 × 844, touch): category, picture, member
    price and pack size, search, a cart bar with the running total that stays in view, submit, the
    success message, the order among its orders, cancel with a confirmation."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.env["tier.definition"].create(
            {
                "name": "Distributor approves",
                "model_id": cls.env.ref("distribution_sale.model_distribution_channel_order").id,
                "review_type": "parent_portal",
                "definition_domain": "[]",
            }
        )
        drinks = cls.env["product.category"].create({"name": "Tour Drinks"})
        cls.product_a.write(
            {"default_code": "PA-001", "categ_id": drinks.id, "uom_ids": [Command.link(cls.env.ref("uom.product_uom_pack_6").id)]}
        )
        cls.product_b.default_code = "PB-002"
        # a catalogue longer than a phone's screen
        cls.env["product.product"].create(
            [{"name": f"Filler product {n:02d}", "default_code": f"FL-{n:02d}", "type": "consu", "list_price": 10.0}
             for n in range(20)]
        )

    def test_dealer_orders_on_a_phone(self):
        self.start_tour("/my/channel/order", "distribution_portal_phone_order", login="portal_dl_hz")
        order = self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.members["dl_hz"].id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(
            {(line.product_id, line.product_uom_qty) for line in order.line_ids},
            {(self.product_a, 6.0), (self.product_b, 1.0)},
            "a pack of PA-001 picked in its category, PB-002 found by search: the search kept the first",
        )
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.supplier_member_id, self.members["rd_zj"])


@tagged("post_install", "-at_install")
class TestLongCatalogue(DistributionSaleHttpCommon):
    """More products than the ordering page holds (200): a search fetches the matches without reloading
    the page, so what is in the cart stays in it."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["product.product"].create(
            [{"name": f"Bulk product {n:03d}", "default_code": f"BK-{n:03d}", "type": "consu", "list_price": 10.0}
             for n in range(1, 251)]
        )

    def test_search_a_long_catalogue_keeps_the_cart(self):
        self.start_tour("/my/channel/order", "distribution_portal_long_catalogue", login="portal_dl_hz")
