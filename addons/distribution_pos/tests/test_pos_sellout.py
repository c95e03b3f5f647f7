from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_core.tests.common import refund_pos_order
from odoo.addons.point_of_sale.tests.common import CommonPosTest


class StorePosCommon(CommonPosTest):
    """Odoo's POS test set-up with a small channel: a dealer and its two stores A and B
    (in China's time zone); the USD POS belongs to store A, a copy of it to store B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        cls.env["tier.definition"].sudo().search([]).active = False
        cls.store_prices = cls.env["product.pricelist"].create({"name": "Store prices (sell-out test)"})
        Tier = cls.env["distribution.tier"]
        tier_dl = Tier.create({"name": "Dealer (sell-out)", "code": "SDL", "sequence": 230})
        tier_st = Tier.create(
            {"name": "Store (sell-out)", "code": "SST", "sequence": 240, "exclusive_territory": False,
             "pricelist_id": cls.store_prices.id}
        )
        territory = cls.env["distribution.territory"].create(
            {"name": "Hangzhou (sell-out)", "territory_type": "custom", "country_id": cls.env.ref("base.cn").id}
        )
        Member = cls.env["distribution.member"]

        def member(key, tier, parent=None, tz=False):
            partner = cls.env["res.partner"].create({"name": key, "is_company": True, "tz": tz})
            return Member.create(
                {"partner_id": partner.id, "code": key.upper(), "tier_id": tier.id, "territory_id": territory.id,
                 "parent_id": parent.id if parent else False, "state": "active"}
            )

        cls.dealer = member("so_dealer", tier_dl)
        cls.store_a = member("so_store_a", tier_st, cls.dealer, tz="Asia/Shanghai")
        cls.store_b = member("so_store_b", tier_st, cls.dealer, tz="Asia/Shanghai")
        cls.pos_config_usd.channel_member_id = cls.store_a
        cls.config_b = cls.pos_config_usd.copy(
            {"name": "Store B till", "channel_member_id": cls.store_b.id,
             "payment_method_ids": [Command.set(cls.bank_payment_method.ids)]}
        )
        cls.goods = cls.ten_dollars_with_15_excl.product_variant_id  # 10.00, tax excluded
        cls.other = cls.twenty_dollars_with_15_excl.product_variant_id  # 20.00, tax excluded

    def _sell(self, lines, config=None, when=None):
        """lines: [(product, qty)]; returns the paid order."""
        order, _refund = self.create_backend_pos_order(
            {
                "pos_config": config or self.pos_config_usd,
                "line_data": [{"product_id": p.id, "qty": q} for p, q in lines],
                "payment_data": [{"payment_method_id": self.bank_payment_method.id}],
            }
        )
        if when:
            order.date_order = when
        self.assertEqual(order.state, "paid")
        return order

    def _refund(self, order, qty):
        return refund_pos_order(order, qty, self.bank_payment_method)


@tagged("post_install", "-at_install")
class TestStoreSellout(StorePosCommon):
    """Sell-out of the stores: POS orders by store, product and day, the basis of sell-out
    rebates; store staff see only their store's orders."""

    def _sellout(self, domain):
        groups = self.env["distribution.sellout"]._read_group(
            domain, ["member_id", "product_id"], ["quantity:sum", "amount:sum", "line_count:sum"]
        )
        return {(m, p): (q, a, n) for m, p, q, a, n in groups}

    def test_sellout_equals_pos_order_lines(self):
        first = self._sell([(self.goods, 3)])  # 30.00 untaxed
        self._sell([(self.goods, 2), (self.other, 1)])  # 20.00 + 20.00
        self._refund(first, 1)  # one unit of goods back: -10.00
        self._sell([(self.goods, 7)], config=self.config_b)  # the other store
        plain_config = self.pos_config_usd.copy(
            {"name": "HQ counter (no store)", "channel_member_id": False,
             "payment_method_ids": [Command.set(self.bank_payment_method.ids)]}
        )
        self._sell([(self.goods, 5)], config=plain_config)  # no store: not sell-out
        sellout = self._sellout([])
        self.assertEqual(
            sellout,
            {
                (self.store_a, self.goods): (4.0, 40.0, 3),
                (self.store_a, self.other): (1.0, 20.0, 1),
                (self.store_b, self.goods): (7.0, 70.0, 1),
            },
        )
        # the same figures as the stores' POS order lines, untaxed
        lines = self.env["pos.order.line"].search([("order_id.config_id.channel_member_id", "!=", False)])
        self.assertEqual(sum(lines.mapped("price_subtotal")), sum(a for _q, a, _n in sellout.values()))
        self.assertEqual(sum(lines.mapped("qty")), sum(q for q, _a, _n in sellout.values()))

    def test_sellout_day_is_the_store_local_day(self):
        # 18:30 UTC on 1 March is 02:30 on 2 March in Hangzhou
        self._sell([(self.goods, 1)], when=datetime(2026, 3, 1, 18, 30))
        self._sell([(self.goods, 2)], when=datetime(2026, 3, 1, 15, 0))  # 23:00 on 1 March there
        days = self.env["distribution.sellout"]._read_group(
            [("member_id", "=", self.store_a.id)], ["date:day"], ["quantity:sum"]
        )
        self.assertEqual(
            {day.date() if isinstance(day, datetime) else day: qty for day, qty in days},
            {date(2026, 3, 1): 2.0, date(2026, 3, 2): 1.0},
        )

    def test_store_staff_sees_only_own_store(self):
        order_a = self._sell([(self.goods, 1)])
        order_b = self._sell([(self.goods, 1)], config=self.config_b)
        contact_a = self.env["res.partner"].create({"name": "Cashier A", "parent_id": self.store_a.partner_id.id})
        cashier = new_test_user(
            self.env, login="store_a_cashier", groups="distribution_pos.group_store_staff", partner_id=contact_a.id
        )
        Order = self.env["pos.order"].with_user(cashier)
        self.assertEqual(Order.search([("id", "in", (order_a | order_b).ids)]), order_a)
        self.assertEqual(Order.browse(order_a.id).amount_total, order_a.amount_total)
        with self.assertRaises(AccessError):
            Order.browse(order_b.id).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.env["pos.order.line"].with_user(cashier).browse(order_b.lines.ids).read(["qty"])
        with self.assertRaises(AccessError):
            self.env["pos.session"].with_user(cashier).browse(order_b.session_id.id).read(["name"])
        self.assertEqual(
            self.env["pos.config"].with_user(cashier).search([("id", "in", (self.pos_config_usd | self.config_b).ids)]),
            self.pos_config_usd,
        )
        # warehouses: the store's own (its address is the store), nothing of HQ or other stores
        own = self.env["stock.warehouse"].create(
            {"name": "Store A stock", "code": "SSA", "partner_id": self.store_a.partner_id.id}
        )
        other = self.env["stock.warehouse"].create(
            {"name": "Store B stock", "code": "SSB", "partner_id": self.config_b.channel_member_id.partner_id.id}
        )
        hq = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1) - own - other
        Warehouse = self.env["stock.warehouse"].with_user(cashier)
        self.assertEqual(Warehouse.search([("id", "in", (own | other | hq).ids)]), own)
        with self.assertRaises(AccessError):
            Warehouse.browse(other.id).read(["name"])
        with self.assertRaises(AccessError):
            Warehouse.browse(hq.id).read(["name"])

    def test_sellout_rebate_of_the_dealer(self):
        """A sell-out rebate for the dealer counts what its stores sold, returns deducted."""
        if "distribution.rebate.agreement" not in self.env:
            self.skipTest("distribution_rebate is not installed")
        with freeze_time("2026-02-10 04:00:00"):
            first = self._sell([(self.goods, 3)])  # 30.00
            self._sell([(self.other, 2)])  # 40.00, not in the agreement
            self._sell([(self.goods, 4)], config=self.config_b)  # 40.00 (the dealer's other store)
            self._refund(first, 1)  # -10.00
            self._sell([(self.goods, 9)], when=datetime(2026, 4, 2, 3, 0))  # next quarter
        agreement = self.env["distribution.rebate.agreement"].create(
            {
                "name": "Sell-out bonus",
                "scope": "member",
                "member_id": self.dealer.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
                "period_type": "quarter",
                "basis_source": "sell_out",
                "rebate_type": "flat",
                "rate": 5.0,
                "product_ids": [Command.set(self.goods.ids)],
            }
        )
        agreement.action_approve()
        agreement.action_start()
        self.env["distribution.rebate.computation"]._compute_agreements(agreement, up_to=date(2026, 6, 30))
        q1, q2 = agreement.computation_ids.sorted("date_from")
        self.assertEqual((q1.date_from, q1.basis, q1.amount), (date(2026, 1, 1), 60.0, 3.0))
        self.assertEqual((q2.date_from, q2.basis, q2.amount), (date(2026, 4, 1), 90.0, 4.5))
        action = q1.action_view_lines()
        self.assertEqual(action["res_model"], "distribution.sellout")
        rows = self.env["distribution.sellout"].search(action["domain"])
        self.assertEqual(sum(rows.mapped("amount")), 60.0)
        self.assertEqual(set(rows.member_id.ids), {self.store_a.id, self.store_b.id})
        self.assertEqual(fields.Date.to_date(q1.date_to), date(2026, 3, 31))
