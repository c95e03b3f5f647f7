from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


def _promotion_vals(name, products, discount, **extra):
    """An automatic promotion: ``discount`` % off the order when it contains
    at least one of ``products``."""
    return {
        "name": name,
        "program_type": "promotion",
        "trigger": "auto",
        "applies_on": "current",
        "pos_ok": True,
        "rule_ids": [Command.create({"product_ids": [Command.set(products.ids)], "reward_point_mode": "order"})],
        "reward_ids": [
            Command.create(
                {
                    "reward_type": "discount",
                    "discount": discount,
                    "discount_mode": "percent",
                    "discount_applicability": "order",
                }
            )
        ],
        **extra,
    }


@tagged("post_install", "-at_install")
class TestPosPromotion(DistributionCommon):
    """HQ promotions published to tiers and territories of stores."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("point_of_sale.group_pos_manager").id)]
        # only the programs of these tests (those of other companies too: sessions load as superuser)
        cls.env["loyalty.program"].sudo().search([]).write({"active": False})
        channel_prices = cls.env["product.pricelist"].create({"name": "Channel prices (test)"})
        (cls.tier_st | cls.tier_dl).pricelist_id = channel_prices
        company = cls.env["res.partner"].create({"name": "Nanjing Store", "is_company": True})
        cls.members["st_nj"] = cls.env["distribution.member"].create(
            {
                "partner_id": company.id,
                "code": "ST_NJ",
                "tier_id": cls.tier_st.id,
                "parent_id": cls.members["dl_nj"].id,
                "territory_id": cls.terr_nj.id,
                "state": "active",
            }
        )
        PosConfig = cls.env["pos.config"]
        cls.pos_hz = PosConfig.create({"name": "Hangzhou store till", "channel_member_id": cls.members["st_hz"].id})
        cls.pos_nj = PosConfig.create({"name": "Nanjing store till", "channel_member_id": cls.members["st_nj"].id})
        cls.pos_dealer = PosConfig.create({"name": "Hangzhou dealer till", "channel_member_id": cls.members["dl_hz"].id})
        cls.pos_hq = PosConfig.create({"name": "HQ shop"})

        cls.categ_drinks = cls.env["product.category"].create({"name": "Drinks (test)"})
        cls.categ_tea = cls.env["product.category"].create({"name": "Tea (test)", "parent_id": cls.categ_drinks.id})
        Product = cls.env["product.product"]
        cls.green_tea = Product.create(
            {"name": "Green Tea", "list_price": 50.0, "available_in_pos": True, "categ_id": cls.categ_tea.id,
             "taxes_id": False}
        )
        cls.teapot = Product.create({"name": "Teapot", "list_price": 80.0, "available_in_pos": True, "taxes_id": False})

        # tier "store" + the East region: Hangzhou and Nanjing stores, not the dealers, not HQ's own shop
        cls.spring_promo = cls.env["loyalty.program"].create(
            _promotion_vals(
                "Spring tea festival", cls.green_tea, 10,
                channel_tier_ids=[Command.set(cls.tier_st.ids)],
                channel_territory_ids=[Command.set(cls.terr_zj.ids)],
            )
        )
        # rule on the category (sub-categories included), at least 2 units
        cls.spring_promo.rule_ids.write(
            {"product_ids": [Command.clear()], "product_category_id": cls.categ_drinks.id, "minimum_qty": 2}
        )
        cls.everywhere_promo = cls.env["loyalty.program"].create(_promotion_vals("Teapot week", cls.teapot, 5))

    def _loaded_programs(self, config):
        """The programs the POS of ``config`` receives when a session loads its data."""
        session = config.current_session_id or self.env["pos.session"].create(
            {"config_id": config.id, "user_id": self.env.uid}
        )
        return self.env["loyalty.program"].browse(p["id"] for p in session.load_data(["loyalty.program"])["loyalty.program"])

    # ------------------------------------------------------------------
    # Eligibility
    # ------------------------------------------------------------------
    def test_published_program_reaches_stores_of_tier_and_territory(self):
        self.assertEqual(self._loaded_programs(self.pos_hz), self.spring_promo | self.everywhere_promo,
                         "a store of the tier in a sub-territory of Zhejiang gets the promotion")
        self.assertEqual(self._loaded_programs(self.pos_nj), self.everywhere_promo, "Jiangsu is not in Zhejiang")
        self.assertEqual(self._loaded_programs(self.pos_dealer), self.everywhere_promo,
                         "a dealer in Hangzhou is not of the store tier")
        self.assertEqual(self._loaded_programs(self.pos_hq), self.everywhere_promo,
                         "a POS without store gets only unpublished programs")
        # the rules and rewards sent to the POS follow the programs
        session = self.pos_nj.current_session_id
        rules = session.load_data(["loyalty.rule", "loyalty.reward"])
        self.assertEqual({r["program_id"] for r in rules["loyalty.rule"]}, {self.everywhere_promo.id})
        self.assertEqual({r["program_id"] for r in rules["loyalty.reward"]}, {self.everywhere_promo.id})
        # the form lists where it runs
        self.assertEqual(self.spring_promo.channel_pos_config_ids, self.pos_hz)
        self.assertFalse(self.everywhere_promo.channel_published)

    def test_publication_by_tier_only_or_territory_only(self):
        self.spring_promo.channel_territory_ids = False
        self.assertEqual(self.spring_promo.channel_pos_config_ids, self.pos_hz | self.pos_nj)
        self.assertIn(self.spring_promo, self._loaded_programs(self.pos_nj))
        self.assertNotIn(self.spring_promo, self._loaded_programs(self.pos_dealer))
        self.spring_promo.write({"channel_tier_ids": False, "channel_territory_ids": [Command.set(self.terr_hz.ids)]})
        self.assertEqual(self.spring_promo.channel_pos_config_ids, self.pos_hz | self.pos_dealer)
        self.assertIn(self.spring_promo, self._loaded_programs(self.pos_dealer))
        self.assertNotIn(self.spring_promo, self._loaded_programs(self.pos_hq))
        # the POS chosen on the program restrict the publication further
        self.spring_promo.pos_config_ids = self.pos_dealer
        self.assertEqual(self.spring_promo.channel_pos_config_ids, self.pos_dealer)
        self.assertNotIn(self.spring_promo, self._loaded_programs(self.pos_hz))

    def test_store_moving_territory_changes_its_promotions(self):
        self.assertIn(self.spring_promo, self._loaded_programs(self.pos_hz))
        self.members["st_hz"].territory_id = self.terr_nj
        self.assertNotIn(self.spring_promo, self._loaded_programs(self.pos_hz))
        self.assertIn(self.everywhere_promo, self._loaded_programs(self.pos_hz))
        self.members["st_nj"].territory_id = self.terr_hz
        self.assertIn(self.spring_promo, self._loaded_programs(self.pos_nj))
        self.assertEqual(self.spring_promo.channel_pos_config_ids, self.pos_nj)
        # a suspended store no longer runs HQ's promotions
        self.members["st_nj"].state = "suspended"
        self.assertNotIn(self.spring_promo, self._loaded_programs(self.pos_nj))

    def test_promotion_code_refused_in_other_stores(self):
        """The server applies the publication too: a coupon of a program
        published to Zhejiang is refused at a Nanjing till."""
        coupons = self.env["loyalty.program"].create(
            {
                "name": "Zhejiang coupons",
                "program_type": "coupons",
                "trigger": "with_code",
                "pos_ok": True,
                "channel_territory_ids": [Command.set(self.terr_zj.ids)],
                "rule_ids": [Command.create({"reward_point_mode": "order", "reward_point_amount": 1})],
                "reward_ids": [Command.create({"reward_type": "discount", "discount": 20, "required_points": 1})],
            }
        )
        card = self.env["loyalty.card"].create({"program_id": coupons.id, "points": 1, "code": "ZJ-2026-0001"})
        now = fields.Datetime.to_string(fields.Datetime.now())
        pricelist_id = self.pos_hz.pricelist_id.id
        refused = self.pos_nj.use_coupon_code(card.code, now, False, pricelist_id)
        self.assertFalse(refused["successful"])
        accepted = self.pos_hz.use_coupon_code(card.code, now, False, pricelist_id)
        self.assertTrue(accepted["successful"])
        self.assertEqual(accepted["payload"]["program_id"], coupons.id)

    # ------------------------------------------------------------------
    # Execution report
    # ------------------------------------------------------------------
    def _make_order(self, config, lines, reward=None, state="paid"):
        """A POS order of (product, qty) lines, with the reward line of
        ``reward`` (10% of the goods) if given."""
        session = config.current_session_id or self.env["pos.session"].create(
            {"config_id": config.id, "user_id": self.env.uid}
        )
        line_vals = [
            Command.create(
                {"product_id": product.id, "qty": qty, "price_unit": product.lst_price,
                 "price_subtotal": product.lst_price * qty, "price_subtotal_incl": product.lst_price * qty}
            )
            for product, qty in lines
        ]
        total = sum(product.lst_price * qty for product, qty in lines)
        if reward:
            discount = -round(total * reward.discount / 100, 2)
            line_vals.append(
                Command.create(
                    {"product_id": reward.discount_line_product_id.id, "qty": 1, "price_unit": discount,
                     "price_subtotal": discount, "price_subtotal_incl": discount,
                     "reward_id": reward.id, "is_reward_line": True}
                )
            )
            total += discount
        order = self.env["pos.order"].create(
            {"session_id": session.id, "lines": line_vals, "amount_tax": 0.0, "amount_total": total,
             "amount_paid": total, "amount_return": 0.0}
        )
        order.state = state
        return order

    def test_execution_rate_per_store(self):
        reward = self.spring_promo.reward_ids
        # Hangzhou store: 4 orders qualify (2+ units of tea), the cashier applied the promotion to 3
        self._make_order(self.pos_hz, [(self.green_tea, 2)], reward)
        self._make_order(self.pos_hz, [(self.green_tea, 3), (self.teapot, 1)], reward)
        self._make_order(self.pos_hz, [(self.green_tea, 2)], reward, state="done")
        self._make_order(self.pos_hz, [(self.green_tea, 2)])
        # not eligible: no tea, too little tea, not paid
        self._make_order(self.pos_hz, [(self.teapot, 2)])
        self._make_order(self.pos_hz, [(self.green_tea, 1), (self.teapot, 1)])
        self._make_order(self.pos_hz, [(self.green_tea, 5)], reward, state="draft")
        # Nanjing is not in Zhejiang: its orders are not counted
        self._make_order(self.pos_nj, [(self.green_tea, 2)], reward)
        self._make_order(self.pos_nj, [(self.green_tea, 2)])
        self.env.flush_all()

        Report = self.env["distribution.promotion.execution"].with_user(self.channel_user)
        rows = Report.search([("program_id", "=", self.spring_promo.id)])
        self.assertEqual(rows.config_id, self.pos_hz, "only the points of sale the promotion is published to")
        self.assertEqual(
            (rows.member_id, rows.tier_id, rows.territory_id), (self.members["st_hz"], self.tier_st, self.terr_hz)
        )
        self.assertEqual((rows.eligible_order_count, rows.applied_order_count), (4, 3))
        self.assertAlmostEqual(rows.execution_rate, 75.0)
        self.assertFalse(Report.search([("program_id", "=", self.everywhere_promo.id)]),
                         "a program not published to the channel is not an HQ promotion")

        # grouped by territory (the pivot), the rate is the ratio of the sums, not an average of rates
        self.spring_promo.channel_territory_ids = self.terr_east
        self.env.flush_all()
        groups = Report._read_group(
            [("program_id", "=", self.spring_promo.id)], ["member_id"],
            ["eligible_order_count:sum", "applied_order_count:sum", "execution_rate:avg"],
        )
        by_store = {member: (eligible, applied, rate) for member, eligible, applied, rate in groups}
        self.assertEqual(by_store[self.members["st_hz"]], (4, 3, 75.0))
        self.assertEqual(by_store[self.members["st_nj"]], (2, 1, 50.0))
        [(eligible, applied, rate)] = Report._read_group(
            [("program_id", "=", self.spring_promo.id)], [],
            ["eligible_order_count:sum", "applied_order_count:sum", "execution_rate:avg"],
        )
        self.assertEqual((eligible, applied), (6, 4))
        self.assertAlmostEqual(rate, 66.7, msg="4 applied of 6 eligible orders, not (75 + 50) / 2")

    def test_execution_counts_what_the_till_runs(self):
        """An archived promotion and a suspended store are not counted: the till does not run the promotion
        there (while the Hangzhou store is suspended, the Nanjing store's 1 of 2 stays)."""
        reward = self.spring_promo.reward_ids
        self.spring_promo.channel_territory_ids = self.terr_east
        self._make_order(self.pos_hz, [(self.green_tea, 2)], reward)
        self._make_order(self.pos_nj, [(self.green_tea, 2)], reward)
        self._make_order(self.pos_nj, [(self.green_tea, 2)])
        Report = self.env["distribution.promotion.execution"].with_user(self.channel_user)

        def by_store():
            self.env.flush_all()
            return {
                member: (eligible, applied)
                for member, eligible, applied in Report._read_group(
                    [("program_id", "=", self.spring_promo.id)], ["member_id"],
                    ["eligible_order_count:sum", "applied_order_count:sum"],
                )
            }

        self.assertEqual(by_store(), {self.members["st_hz"]: (1, 1), self.members["st_nj"]: (2, 1)})
        self.members["st_hz"].state = "suspended"
        self.assertFalse(self.spring_promo._is_published_to_store(self.members["st_hz"]))
        self.assertEqual(by_store(), {self.members["st_nj"]: (2, 1)})
        self.members["st_hz"].state = "active"
        self.spring_promo.active = False
        self.assertEqual(by_store(), {})

    def test_execution_respects_validity_dates(self):
        reward = self.spring_promo.reward_ids
        old = self._make_order(self.pos_hz, [(self.green_tea, 2)])
        old.date_order = "2020-01-15 10:00:00"
        self._make_order(self.pos_hz, [(self.green_tea, 2)], reward)
        self.spring_promo.date_from = "2021-01-01"
        self.env.flush_all()
        row = self.env["distribution.promotion.execution"].search([("program_id", "=", self.spring_promo.id)])
        self.assertEqual((row.eligible_order_count, row.applied_order_count, row.execution_rate), (1, 1, 100.0))


@tagged("post_install", "-at_install")
class TestPosPromotionTour(TestPointOfSaleHttpCommon):
    """A cashier of a store the promotion is published to sells the targeted
    product: the POS applies the promotion by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        currency = cls.main_pos_config.currency_id
        store_prices = cls.env["product.pricelist"].create({"name": "Store prices (tour)", "currency_id": currency.id})
        tier_store = cls.env["distribution.tier"].create(
            {"name": "Store (tour)", "code": "TOUR_ST", "sequence": 200, "pricelist_id": store_prices.id,
             "exclusive_territory": False}
        )
        Territory = cls.env["distribution.territory"]
        cls.terr_east = Territory.create({"name": "East (tour)"})
        cls.terr_hz = Territory.create({"name": "Hangzhou (tour)", "parent_id": cls.terr_east.id})
        terr_west = Territory.create({"name": "West (tour)"})
        partner = cls.env["res.partner"].create({"name": "West Lake Store", "is_company": True})
        cls.store = cls.env["distribution.member"].create(
            {"partner_id": partner.id, "code": "TOUR_WL", "tier_id": tier_store.id,
             "territory_id": cls.terr_hz.id, "state": "active"}
        )
        cls.main_pos_config.channel_member_id = cls.store

        cls.promo_tea = cls.env["product.product"].create(
            {"name": "Longjing Tea", "list_price": 100.0, "available_in_pos": True, "taxes_id": False}
        )
        cls.east_promo = cls.env["loyalty.program"].create(
            _promotion_vals(
                "East tea days", cls.promo_tea, 10,
                channel_tier_ids=[Command.set(tier_store.ids)],
                channel_territory_ids=[Command.set(cls.terr_east.ids)],
            )
        )
        # a bigger promotion for another region: it must not reach this store
        cls.env["loyalty.program"].create(
            _promotion_vals("West tea days", cls.promo_tea, 50, channel_territory_ids=[Command.set(terr_west.ids)])
        )

    def test_promotion_applied_at_the_till(self):
        self.start_pos_tour("DistributionPosPromotionTour", login="pos_user")
        order = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertAlmostEqual(order.amount_total, 90.0)
        reward_line = order.lines.filtered("reward_id")
        self.assertEqual(reward_line.reward_id, self.east_promo.reward_ids)
        self.assertAlmostEqual(reward_line.price_subtotal_incl, -10.0)
        self.env.flush_all()
        row = self.env["distribution.promotion.execution"].search(
            [("program_id", "=", self.east_promo.id), ("config_id", "=", self.main_pos_config.id)]
        )
        self.assertEqual((row.member_id, row.territory_id), (self.store, self.terr_hz))
        self.assertEqual((row.eligible_order_count, row.applied_order_count, row.execution_rate), (1, 1, 100.0))
