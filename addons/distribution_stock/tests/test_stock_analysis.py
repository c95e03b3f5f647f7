from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon, DistributionHttpCommon


class StockAnalysisScenario:
    """A channel with known stock counts, sell-through and open orders, analysed with:
    window 30 days, slow movers: no outflow for 20 days or cover above 60 days, hot items:
    velocity above the median (50th percentile), lead time 5 + safety 3 days (company), the
    Hangzhou dealer with its own lead time 10 + safety 2.

    Zhejiang distributor (RD_ZJ), reported stock, reports on D-45 (outside the window), D-20, D-5:

        product  D-45  D-20  D-5   sold to its dealer (sell-through)   on order (to GA)
        SAP1      100    14    6   30 on D-10, 30 on D-2              4 (submitted)
        SAP2      100    30   10   30 on D-25
        SAP3        -     -   90   30 on D-3
        SAP4        -     7    7   -

    Hangzhou dealer (DL_HZ): one report on D-4: SAP1 3; sold SAP1 15 on D-5 to its store.
    General agent (GA, directly under HQ): no stock report; sold SAP5 45 on D-1 to RD_ZJ; a
    confirmed HQ sale order of 10 SAP5 not delivered yet.
    """

    @classmethod
    def _setup_stock_scenario(cls):
        cls.env["tier.definition"].search([]).active = False
        cls.company = cls.env.company
        cls.company.write(
            {
                "dms_stock_window_days": 30,
                "dms_slow_days": 20,
                "dms_slow_cover_days": 60,
                "dms_hot_percentile": 50,
                "dms_lead_days": 5,
                "dms_safety_days": 3,
            }
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5 = cls.env["product.product"].create(
            [
                {
                    "name": f"Stock test product {n}",
                    "default_code": f"SAP{n}",
                    "type": "consu",
                    "sale_ok": True,
                    "list_price": 10.0 * n,
                }
                for n in range(1, 6)
            ]
        )
        cls.rd, cls.dl, cls.st, cls.ga = (cls.members[k] for k in ("rd_zj", "dl_hz", "st_hz", "ga"))
        cls.dl.write({"stock_lead_days": 10, "stock_safety_days": 2})
        cls._report(cls.rd, 45, {cls.p1: 100, cls.p2: 100})
        cls._report(cls.rd, 20, {cls.p1: 14, cls.p2: 30, cls.p4: 7})
        cls._report(cls.rd, 5, {cls.p1: 6, cls.p2: 10, cls.p3: 90, cls.p4: 7})
        cls._report(cls.dl, 4, {cls.p1: 3})
        cls._channel_order(cls.dl, {cls.p1: 30}, "received", 10)
        cls._channel_order(cls.dl, {cls.p1: 30}, "received", 2)
        cls._channel_order(cls.dl, {cls.p2: 30}, "shipped", 25)
        cls._channel_order(cls.dl, {cls.p3: 30}, "received", 3)
        cls._channel_order(cls.rd, {cls.p1: 4}, "submitted")
        cls._channel_order(cls.st, {cls.p1: 15}, "received", 5)
        cls._channel_order(cls.rd, {cls.p5: 45}, "received", 1)
        cls.ga_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.ga.partner_id.id,
                "order_line": [Command.create({"product_id": cls.p5.id, "product_uom_qty": 10})],
            }
        )
        cls.ga_order.action_confirm()
        cls.Analysis = cls.env["distribution.stock.analysis"]

    @classmethod
    def _day(cls, days_ago):
        return cls.today - timedelta(days=days_ago)

    @classmethod
    def _report(cls, member, days_ago, quantities):
        report = cls.env["distribution.stock.report"].create(
            {
                "member_id": member.id,
                "date": cls._day(days_ago),
                "line_ids": [Command.create({"product_id": p.id, "quantity": q}) for p, q in quantities.items()],
            }
        )
        report.action_submit()
        return report

    @classmethod
    def _channel_order(cls, buyer, quantities, state, days_ago=None):
        order = cls.env["distribution.channel.order"].create(
            {
                "buyer_member_id": buyer.id,
                "line_ids": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in quantities.items()],
            }
        )
        order.action_submit()
        if state in ("approved", "shipped", "received"):
            order.action_approve()
        if state in ("shipped", "received"):
            order.action_ship()
            # mid-morning UTC: the same day in the members' time zones
            order.write({"date_shipped": datetime.combine(cls._day(days_ago), time(6, 0))})
        if state == "received":
            order.action_receive()
        return order

    def _refresh(self):
        self.Analysis._cron_refresh(today=self.today)

    def _line(self, member, product):
        line = self.Analysis.search([("member_id", "=", member.id), ("product_id", "=", product.id)])
        self.assertEqual(len(line), 1, f"one analysis line for {member.code} / {product.default_code}")
        return line

    def _flag_messages(self, member):
        return self.env["mail.message"].search(
            [
                ("model", "=", "distribution.member"),
                ("res_id", "=", member.id),
                ("subject", "=", "Channel inventory: new slow movers and hot items"),
            ]
        )

    def _flag_activities(self, member):
        return self.env["mail.activity"].search(
            [("res_model", "=", "distribution.member"), ("res_id", "=", member.id), ("summary", "like", "new slow")]
        )


@tagged("post_install", "-at_install")
class TestStockAnalysis(StockAnalysisScenario, DistributionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stock_scenario()

    def assertLine(self, line, **expected):
        for name, value in expected.items():
            if isinstance(value, float):
                self.assertAlmostEqual(line[name], value, places=4, msg=f"{line.display_name}: {name}")
            else:
                self.assertEqual(line[name], value, f"{line.display_name}: {name}")

    def test_formulas_on_hand_computed_example(self):
        self._refresh()
        lines = self.Analysis.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(line.member_id.code, line.product_id.default_code) for line in lines},
            {
                ("RD_ZJ", "SAP1"),
                ("RD_ZJ", "SAP2"),
                ("RD_ZJ", "SAP3"),
                ("RD_ZJ", "SAP4"),
                ("DL_HZ", "SAP1"),
                ("GA", "SAP5"),
            },
            "a line per member and product with stock or outflow in the window",
        )
        # hot: velocity 60 / 30 = 2 per day above the median velocity (1), cover 6 / 2 = 3 days < lead 5;
        # average stock = counts of the window (14 on D-20, 6 on D-5) / 2 = 10, turnover 60 / 10 = 6;
        # suggested = 2 × (5 + 3) − 6 on hand − 4 on order = 6
        self.assertLine(
            self._line(self.rd, self.p1),
            on_hand=6.0,
            on_hand_date=self._day(5),
            on_order=4.0,
            outflow_qty=60.0,
            velocity=2.0,
            days_cover=3.0,
            average_stock=10.0,
            turnover=6.0,
            last_outflow_date=self._day(2),
            lead_days=5,
            safety_days=3,
            is_slow=False,
            is_hot=True,
            suggested_qty=6.0,
            tier_id=self.tier_rd,
            territory_id=self.terr_zj,
            parent_member_id=self.ga,
        )
        # slow: last outflow on D-25, nothing for 20 days; cover 10 / 1 = 10; turnover 30 / ((30 + 10) / 2) = 1.5;
        # suggested 1 × 8 − 10 < 0 → 0. The dealer has not received its order: on order for the dealer only.
        self.assertLine(
            self._line(self.rd, self.p2),
            on_hand=10.0,
            on_order=0.0,
            outflow_qty=30.0,
            velocity=1.0,
            days_cover=10.0,
            average_stock=20.0,
            turnover=1.5,
            last_outflow_date=self._day(25),
            is_slow=True,
            is_hot=False,
            suggested_qty=0.0,
        )
        # slow by cover: 90 / 1 = 90 days > 60; SAP3 missing from the D-20 count counts 0: average (0 + 90) / 2
        self.assertLine(
            self._line(self.rd, self.p3),
            on_hand=90.0,
            outflow_qty=30.0,
            velocity=1.0,
            days_cover=90.0,
            average_stock=45.0,
            turnover=30 / 45,
            last_outflow_date=self._day(3),
            is_slow=True,
            is_hot=False,
            suggested_qty=0.0,
        )
        # in stock, never sold: slow, no cover (velocity 0), turnover 0
        self.assertLine(
            self._line(self.rd, self.p4),
            on_hand=7.0,
            outflow_qty=0.0,
            velocity=0.0,
            average_stock=7.0,
            turnover=0.0,
            last_outflow_date=False,
            is_slow=True,
            is_hot=False,
            suggested_qty=0.0,
        )
        self.env.cr.execute(
            "SELECT days_cover FROM distribution_stock_analysis WHERE id = %s", [self._line(self.rd, self.p4).id]
        )
        self.assertIsNone(self.env.cr.fetchone()[0], "no cover without outflow")
        # one count only: average stock = on hand; the dealer's own lead time 10 + safety 2:
        # velocity 15 / 30 = 0.5, cover 3 / 0.5 = 6, turnover 15 / 3 = 5, suggested 0.5 × 12 − 3 = 3;
        # its received orders are not on order any more. Cover 6 < lead 10 but 0.5 is below the median: not hot.
        self.assertLine(
            self._line(self.dl, self.p1),
            on_hand=3.0,
            on_order=0.0,
            outflow_qty=15.0,
            velocity=0.5,
            days_cover=6.0,
            average_stock=3.0,
            turnover=5.0,
            lead_days=10,
            safety_days=2,
            is_slow=False,
            is_hot=False,
            suggested_qty=3.0,
        )
        # directly under HQ: the undelivered HQ sale order is on order; no stock: cover 0, no turnover;
        # suggested = 45 / 30 × 8 − 0 − 10 = 2
        self.assertLine(
            self._line(self.ga, self.p5),
            on_hand=0.0,
            on_hand_date=False,
            on_order=10.0,
            outflow_qty=45.0,
            velocity=1.5,
            days_cover=0.0,
            average_stock=0.0,
            turnover=0.0,
            is_slow=False,
            is_hot=True,
            suggested_qty=2.0,
        )

    def test_suggestion_rounds_up_and_partial_delivery(self):
        """Suggestions are whole units, rounded up; a partly delivered HQ order counts its rest only."""
        self.company.dms_safety_days = 4  # GA: 1.5 × (5 + 4) = 13.5 − 10 = 3.5 → 4
        self._refresh()
        self.assertEqual(self._line(self.ga, self.p5).suggested_qty, 4.0)
        picking = self.ga_order.picking_ids
        picking.move_ids.write({"quantity": 7.0, "picked": True})
        picking.with_context(cancel_backorder=False)._action_done()  # 7 delivered, 3 to follow
        self.assertEqual(self.ga_order.order_line.qty_delivered, 7.0)
        self._refresh()
        self.assertLine(self._line(self.ga, self.p5), on_order=3.0, suggested_qty=11.0)  # 13.5 − 3 → 10.5 → 11

    def test_notify_new_flags_once(self):
        self._refresh()
        message = self._flag_messages(self.rd)
        self.assertEqual(len(message), 1, "one message per member for all its new flags")
        self.assertEqual(message.partner_ids, self.users["rd_zj"].partner_id, "sent to the member's portal users")
        for code in ("SAP1", "SAP2", "SAP3", "SAP4"):
            self.assertIn(code, message.body)
        self.assertIn("New hot items", message.body)
        self.assertIn("New slow movers", message.body)
        activity = self._flag_activities(self.rd)
        self.assertEqual(activity.user_id, self.channel_manager, "an activity for its channel manager")
        self.assertEqual(activity.summary, "Zhejiang Distributor: 3 new slow mover(s), 1 new hot item(s)")
        self.assertIn("SAP5", self._flag_messages(self.ga).body)
        self.assertFalse(self._flag_messages(self.dl), "nothing new for the dealer")
        self.assertFalse(self.Analysis.search_count([("flag_notified", "=", False)]))

        # the same flags the next night: nobody is told again
        self._refresh()
        self.assertEqual(len(self._flag_messages(self.rd)), 1)
        self.assertEqual(len(self._flag_activities(self.rd)), 1)
        self.assertEqual(len(self._flag_messages(self.ga)), 1)

        # a lower cover limit makes the dealer's SAP1 (6 days) slow: only that is new
        self.company.dms_slow_cover_days = 5
        self._refresh()
        self.assertEqual(len(self._flag_messages(self.rd)), 1)
        message = self._flag_messages(self.dl)
        self.assertEqual(len(message), 1)
        self.assertIn("SAP1", message.body)
        self.assertEqual(message.partner_ids, self.users["dl_hz"].partner_id)
        self.assertEqual(self._flag_activities(self.dl).user_id, self.channel_user)

        # a flag that goes away and comes back is new again
        self.company.dms_slow_cover_days = 60
        self._refresh()
        self.assertFalse(self._line(self.dl, self.p1).is_slow)
        self.company.dms_slow_cover_days = 5
        self._refresh()
        self.assertEqual(len(self._flag_messages(self.dl)), 2)

    def test_notice_in_each_recipients_language(self):
        """The nightly notice goes out in the language of the member it is for, dates in its format
        and time zone (#29): the Zhejiang distributor reads Chinese, the general agent English; the
        channel manager's to-do is in the manager's (English) whoever the member is."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_stock"], ["zh_CN"], overwrite=True)
        self.rd.partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        self.users["rd_zj"].partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        self.ga.partner_id.write({"lang": "en_US", "tz": "UTC"})
        self.users["ga"].partner_id.write({"lang": "en_US", "tz": "UTC"})
        self.channel_manager.sudo().write({"lang": "en_US", "tz": "UTC"})
        self._refresh()
        chinese = self.env["mail.message"].search(
            [("model", "=", "distribution.member"), ("res_id", "=", self.rd.id), ("subject", "=", "渠道库存：新增滞销品与畅销品")]
        )
        self.assertEqual(len(chinese), 1)
        body = str(chinese.body)
        for word in ("新增滞销品", "新增畅销品", "现有库存", "建议订货"):
            self.assertIn(word, body)
        for word in ("New slow movers", "New hot items", "on hand", "last sold", "days of cover", "suggested order"):
            self.assertNotIn(word, body)
        # SAP2, last sold 25 days ago: the date in the Chinese format
        self.assertIn(self._day(25).strftime("%Y/%m/%d"), body)
        english = self._flag_messages(self.ga)
        self.assertEqual(len(english), 1)
        self.assertIn("New hot items", str(english.body))
        self.assertNotIn("新增", str(english.body))
        # the manager's to-do about the Chinese member: in English
        activity = self._flag_activities(self.rd)
        self.assertEqual(activity.summary, "Zhejiang Distributor: 3 new slow mover(s), 1 new hot item(s)")
        self.assertIn("New slow movers", str(activity.note))
        self.assertIn(self._day(25).strftime("%m/%d/%Y"), str(activity.note))

    def test_notifications_in_batches(self):
        """Members left over by a batch are notified by the next one (the follow-up job)."""
        self.Analysis._refresh_company(self.company, today=self.today)
        self.assertTrue(self.Analysis._notify_new_flags(limit=1), "a member is left for the next batch")
        self.assertEqual(len(self._flag_messages(self.rd)) + len(self._flag_messages(self.ga)), 1)
        self.assertFalse(self.Analysis._notify_new_flags(limit=1), "nobody left")
        self.assertEqual((len(self._flag_messages(self.rd)), len(self._flag_messages(self.ga))), (1, 1))

    def test_portal_member_orders_suggestions_from_its_supplier(self):
        self._refresh()
        user = self.users["rd_zj"]
        order = self.Analysis.with_user(user)._order_suggestions(self.rd)
        self.assertEqual(order._name, "distribution.channel.order")
        self.assertEqual(order.supplier_member_id, self.ga)
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.requested_by_id, user)
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.line_ids], [(self.p1, 6.0)])
        line = self._line(self.rd, self.p1)
        self.assertEqual((line.on_order, line.suggested_qty), (10.0, 0.0), "ordered: no suggestion left")
        with self.assertRaisesRegex(UserError, "no replenishment suggestion"):
            self.Analysis.with_user(user)._order_suggestions(self.rd)
        # the next night the open order is on order: 4 + 6
        self._refresh()
        self.assertEqual(
            (self._line(self.rd, self.p1).on_order, self._line(self.rd, self.p1).suggested_qty), (10.0, 0.0)
        )

    def test_member_under_hq_orders_with_a_sale_order(self):
        self._refresh()
        order = self.Analysis.with_user(self.users["ga"])._order_suggestions(self.ga, quantities={self.p5.id: 5})
        self.assertEqual(order._name, "sale.order")
        self.assertEqual(order.partner_id, self.ga.partner_id)
        self.assertEqual(order.state, "sale")
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line], [(self.p5, 5.0)])
        self._refresh()
        self.assertLine(self._line(self.ga, self.p5), on_order=15.0, suggested_qty=0.0)

    def test_portal_isolation(self):
        self._refresh()
        Analysis = self.Analysis.with_user(self.users["dl_nj"])
        self.assertFalse(Analysis.search([]), "the Nanjing dealer has no line: it sees nothing of Zhejiang's")
        with self.assertRaises(AccessError):
            Analysis.browse(self._line(self.rd, self.p1).id).read(["on_hand"])
        with self.assertRaises(AccessError):
            Analysis._order_suggestions(self.rd)
        # a distributor reads its own subtree, and orders for itself only
        Analysis = self.Analysis.with_user(self.users["rd_zj"])
        self.assertEqual(
            set(Analysis.search([]).sudo().mapped(lambda line: (line.member_id.code, line.product_id.default_code))),
            {("RD_ZJ", "SAP1"), ("RD_ZJ", "SAP2"), ("RD_ZJ", "SAP3"), ("RD_ZJ", "SAP4"), ("DL_HZ", "SAP1")},
        )
        with self.assertRaisesRegex(AccessError, "only order for your own company"):
            Analysis._order_suggestions(self.dl)
        self.assertFalse(
            self.env["distribution.channel.order"].search(
                [("buyer_member_id", "=", self.dl.id), ("state", "=", "submitted")]
            )
        )
        with self.assertRaises(AccessError):
            Analysis.browse(self._line(self.rd, self.p1).id).write({"suggested_qty": 99})

    def test_backend_order_button(self):
        self._refresh()
        Analysis = self.Analysis.with_user(self.channel_user)
        lines = Analysis.search([("suggested_qty", ">", 0)])
        self.assertEqual(lines.member_id, self.rd | self.dl | self.ga)
        with self.assertRaisesRegex(UserError, "one member at a time"):
            lines.action_order_suggestions()
        action = lines.filtered(lambda line: line.member_id == self.dl).action_order_suggestions()
        order = self.env["distribution.channel.order"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "distribution.channel.order")
        self.assertEqual(order.buyer_member_id, self.dl)
        self.assertEqual(order.supplier_member_id, self.rd)
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.line_ids], [(self.p1, 3.0)])
        with self.assertRaises(AccessError):
            lines.action_refresh()  # channel managers only

    def test_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "percentile"):
            self.company.dms_hot_percentile = 100
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.company.dms_stock_window_days = 0
        settings = self.env["res.config.settings"].create({"dms_lead_days": 12, "dms_safety_days": 4})
        settings.execute()
        self.assertEqual((self.company.dms_lead_days, self.company.dms_safety_days), (12, 4))


@tagged("post_install", "-at_install")
class TestStockSuggestionTour(StockAnalysisScenario, DistributionHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stock_scenario()

    def test_member_turns_suggestion_into_order(self):
        self._refresh()
        self.start_tour("/my/stock/suggestions", "distribution_stock_suggestion", login="portal_rd_zj")
        order = self.env["distribution.channel.order"].search(
            [("buyer_member_id", "=", self.rd.id), ("requested_by_id", "=", self.users["rd_zj"].id)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "submitted")
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.line_ids], [(self.p1, 6.0)])
        self.assertEqual(order.note, "Replenishment suggestions")

    def test_portal_page_is_for_members_only(self):
        self._refresh()
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        self.assertIn("/my/stock/suggestions", self.url_open("/my").text, "an entry on the portal home")
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        response = self.url_open("/my/stock/suggestions")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing to reorder", response.text)
        self.assertNotIn("SAP1", response.text, "another member's suggestions are not shown")
        # posting another member's product orders nothing
        csrf = self._csrf("/my/channel/order")
        response = self.url_open("/my/stock/suggestions/order", data={"csrf_token": csrf, f"select_{self.p1.id}": "on"})
        self.assertIn("no replenishment suggestion", response.text)
        self.assertFalse(
            self.env["distribution.channel.order"].search(
                [("buyer_member_id", "=", self.members["dl_nj"].id), ("state", "=", "submitted")]
            )
        )
        self.authenticate("dist_manager", "dist_manager")
        self.assertEqual(self.url_open("/my/stock/suggestions").status_code, 404, "not a channel member")
