from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .test_pos_sellout import StorePosCommon


@tagged("post_install", "-at_install")
class TestPosReplenishment(StorePosCommon):
    """The till's Replenish screen: suggestions from the store's own sales, stock and open
    orders, and the order it sends to the store's supplier through the approvals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.pos_config_usd
        cls.config.write(
            {"dms_replenish_window_days": 28, "dms_replenish_lead_days": 3, "dms_replenish_safety_days": 2,
             "dms_replenish_slow_days": 30}
        )
        cls.third = cls.env["product.product"].create(
            {"name": "Dusty item", "list_price": 5.0, "available_in_pos": True, "is_storable": True, "taxes_id": False}
        )
        (cls.goods | cls.other).is_storable = True
        cls.location = cls.config.picking_type_id.default_location_src_id
        contact = cls.env["res.partner"].create({"name": "Cashier A", "parent_id": cls.store_a.partner_id.id})
        cls.cashier = new_test_user(
            cls.env, login="replenish_cashier", groups="distribution_pos.group_store_staff", partner_id=contact.id
        )

    def _stock(self, product, qty):
        quant = self.env["stock.quant"].with_context(inventory_mode=True).create(
            {"product_id": product.id, "location_id": self.location.id, "inventory_quantity": qty}
        )
        quant.action_apply_inventory()

    def _days_ago(self, days):
        return fields.Datetime.now() - timedelta(days=days)

    def _line(self, lines, product):
        return next(line for line in lines if line["product_id"] == product.id)

    def test_suggestion_formula(self):
        # 60 sold in the window, 4 returned: 56 in 28 days = 2 a day
        sale = self._sell([(self.goods, 30)], when=self._days_ago(10))
        self._sell([(self.goods, 30)], when=self._days_ago(2))
        self._refund(sale, 4)
        self._sell([(self.goods, 100)], when=self._days_ago(40))  # before the window: not counted
        self._sell([(self.third, 1)], when=self._days_ago(45))  # last sold 45 days ago
        self._stock(self.goods, 3)
        self._stock(self.other, 4)  # never sold here
        self._stock(self.third, 2)
        # 2 already ordered from the dealer, not received yet
        self.store_a.with_user(1)._portal_submit_order([(self.goods, 2)])
        lines = self.config.with_user(self.cashier).dms_replenishment_lines()
        goods = self._line(lines, self.goods)
        # 2/day x (3 lead + 2 safety) - 3 on hand - 2 on order = 5
        self.assertEqual(
            (goods["sold"], goods["average"], goods["on_hand"], goods["on_order"], goods["suggested"]),
            (56.0, 2.0, 3.0, 2.0, 5.0),
        )
        self.assertFalse(goods["slow_mover"])
        other, third = self._line(lines, self.other), self._line(lines, self.third)
        self.assertEqual((other["suggested"], other["slow_mover"], other["last_sale"]), (0.0, True, False))
        self.assertEqual((third["average"], third["suggested"], third["slow_mover"]), (0.0, 0.0, True))
        self.assertEqual(lines[0]["product_id"], self.goods.id, "what to order comes first")
        # a shorter window: 30 sold in 7 days, minus stock and order
        self.config.dms_replenish_window_days = 7
        goods = self._line(self.config.with_user(self.cashier).dms_replenishment_lines(), self.goods)
        # 26/7 a day x 5 = 18.57 - 5 = 13.57, rounded up to whole units
        self.assertEqual((goods["sold"], goods["suggested"]), (26.0, 14.0))

    def test_submit_creates_channel_order_waiting_for_approval(self):
        self.env["tier.definition"].create(
            {"name": "Channel manager approves store orders",
             "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "individual", "reviewer_id": self.env.user.id, "definition_domain": "[]"}
        )
        result = self.config.with_user(self.cashier).dms_submit_replenishment(
            [{"product_id": self.goods.id, "qty": 6}, {"product_id": self.other.id, "qty": 0},
             {"product_id": self.goods.id, "qty": 1.5}]
        )
        order = self.env[result["model"]].browse(result["id"])
        self.assertEqual(order._name, "distribution.channel.order")
        self.assertEqual((order.buyer_member_id, order.supplier_member_id), (self.store_a, self.dealer))
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.requested_by_id, self.cashier)
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.line_ids], [(self.goods, 7.5)])
        self.assertEqual(result["name"], order.name)
        # and it is on order the next time the screen opens
        goods = self._line(self.config.with_user(self.cashier).dms_replenishment_lines(), self.goods)
        self.assertEqual(goods["on_order"], 7.5)

    def test_bad_submissions_refused(self):
        with self.assertRaisesRegex(UserError, "Nothing to order"):
            self.config.with_user(self.cashier).dms_submit_replenishment([{"product_id": self.goods.id, "qty": -2}])
        self.other.sale_ok = False
        with self.assertRaisesRegex(UserError, "cannot be ordered"):
            self.config.with_user(self.cashier).dms_submit_replenishment([{"product_id": self.other.id, "qty": 1}])
        plain = self.config.copy({"name": "HQ counter", "channel_member_id": False,
                                  "payment_method_ids": [Command.set(self.bank_payment_method.ids)]})
        with self.assertRaisesRegex(UserError, "belongs to no channel store"):
            plain.dms_replenishment_lines()
        # store staff cannot replenish another store from its point of sale
        with self.assertRaises(AccessError):
            self.config_b.with_user(self.cashier).dms_submit_replenishment([{"product_id": self.goods.id, "qty": 1}])
        self.assertFalse(self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.store_b.id)]))

    def test_settings_validated(self):
        with self.assertRaises(ValidationError) as catcher:
            self.config.dms_replenish_window_days = 0
        self.assertIn("at least one day", str(catcher.exception))
        with self.assertRaises(ValidationError) as catcher:
            self.config.dms_replenish_safety_days = -1
        self.assertIn("cannot be negative", str(catcher.exception))


@tagged("post_install", "-at_install")
class TestPosReplenishTour(TestPointOfSaleHttpCommon):
    """From the till: open Replenish, adjust the suggestion, send the order to the supplier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].sudo().search([]).active = False
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        prices = cls.env["product.pricelist"].create(
            {"name": "Tour store prices", "currency_id": cls.main_pos_config.currency_id.id}
        )
        Tier = cls.env["distribution.tier"]
        tier_dealer = Tier.create({"name": "Dealer (replenish tour)", "code": "RT_DL", "sequence": 210})
        tier_store = Tier.create(
            {"name": "Store (replenish tour)", "code": "RT_ST", "sequence": 220, "pricelist_id": prices.id,
             "exclusive_territory": False}
        )
        Member = cls.env["distribution.member"]
        cls.dealer = Member.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Tour Dealer", "is_company": True}).id,
             "code": "RT_DEALER", "tier_id": tier_dealer.id, "state": "active"}
        )
        cls.store = Member.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Tour Store", "is_company": True}).id,
             "code": "RT_STORE", "tier_id": tier_store.id, "parent_id": cls.dealer.id, "state": "active"}
        )
        cls.main_pos_config.write(
            {"channel_member_id": cls.store.id, "dms_replenish_window_days": 28, "dms_replenish_lead_days": 3,
             "dms_replenish_safety_days": 2}
        )
        Product = cls.env["product.product"]
        cls.tea = Product.create(
            {"name": "Replenish Tea", "list_price": 10.0, "available_in_pos": True, "is_storable": True,
             "taxes_id": False}
        )
        vase = Product.create(
            {"name": "Dusty Vase", "list_price": 30.0, "available_in_pos": True, "is_storable": True,
             "taxes_id": False}
        )
        location = cls.main_pos_config.picking_type_id.default_location_src_id
        Quant = cls.env["stock.quant"].with_context(inventory_mode=True)
        Quant.create({"product_id": cls.tea.id, "location_id": location.id, "inventory_quantity": 4})
        Quant.create({"product_id": vase.id, "location_id": location.id, "inventory_quantity": 3})
        Quant.search([("location_id", "=", location.id)]).action_apply_inventory()
        # 56 teas sold last week at the store's back counter (another POS of the same store): 2 a day
        counter = cls.env["pos.config"].create(
            {"name": "Back counter", "channel_member_id": cls.store.id,
             "payment_method_ids": [Command.set(cls.bank_payment_method.ids)]}
        )
        counter.open_ui()
        order = cls.env["pos.order"].create(
            {
                "session_id": counter.current_session_id.id,
                "date_order": fields.Datetime.now() - timedelta(days=7),
                "amount_total": 560.0, "amount_paid": 0.0, "amount_tax": 0.0, "amount_return": 0.0,
                "lines": [Command.create({"product_id": cls.tea.id, "qty": 56, "price_unit": 10.0,
                                          "price_subtotal": 560.0, "price_subtotal_incl": 560.0})],
            }
        )
        order.add_payment(
            {"pos_order_id": order.id, "amount": 560.0, "payment_method_id": cls.bank_payment_method.id}
        )
        order.action_pos_order_paid()

    def test_replenish_from_the_till(self):
        self.start_pos_tour("DistributionPosReplenishTour", login="pos_user")
        order = self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.store.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual((order.supplier_member_id, order.state), (self.dealer, "submitted"))
        self.assertEqual(order.requested_by_id, self.pos_user)
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.line_ids], [(self.tea, 8.0)])
