import base64
import json
import re
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DashboardCommon

SALES = "distribution_dashboard.spreadsheet_dashboard_channel_sales"
FINANCE = "distribution_dashboard.spreadsheet_dashboard_channel_finance"
HEALTH = "distribution_dashboard.spreadsheet_dashboard_channel_health"
PIVOT_VALUE = re.compile(r'PIVOT\.VALUE\((\d+),"(\w+)"(?:,"(\w+)","(\w+)")?\)')
CELL = re.compile(r"\b([A-Z]+[0-9]+)\b")


@tagged("post_install", "-at_install")
class TestDashboardDrilldowns(DashboardCommon):
    """Each card of the Channel dashboards shows the figure of the records it opens: the card's pivot over the
    dashboard's default period (this year) and the card's action with its default filters, read as a channel
    manager, give the same number, and not zero on a channel with sales, rebates settled today, commissions,
    statements, diversion incidents and approvals decided in 90 minutes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="drill_manager", groups="distribution_core.group_channel_manager,base.group_user",
            company_id=cls.env.company.id,
        )
        cls.now = fields.Datetime.now()

    # ------------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------------
    def _realistic_channel(self):
        env = self.env
        company = env.company
        # a rebate settled today and this month's accrual
        self._recent_rebate("dl_hz")
        # commissions of today
        partner = env["res.partner"].create({"name": "推广员 甲"})
        promoter = env["distribution.promoter"].sudo().create({"partner_id": partner.id})
        env["distribution.commission"].sudo().create([
            {"promoter_id": promoter.id, "company_id": company.id, "level": "1", "state": state,
             "date": self.today, "base_amount": 1000.0, "rate": 5.0, "amount": amount}
            for state, amount in (("available", 50.0), ("frozen", 30.0))
        ])
        # statements of this month: one of two confirmed
        month_end = self.today + relativedelta(day=31)
        sent = datetime.combine(self.today, time(9))
        self._statement("dl_hz", month_end, "confirmed", sent, sent + timedelta(hours=5))
        self._statement("dl_nj", month_end, "sent", sent)
        # 4 units of the Hangzhou dealer scanned this month, one of them diverted (a confirmed incident)
        codes = env["distribution.code"].create([
            {"name": f"DASHDRILL{index:04d}", "kind": "unit", "product_id": self.product_a.id}
            for index in range(4)
        ])
        dealer = self.members["dl_hz"]
        codes.write({"member_id": dealer.id, "territory_id": dealer.territory_id.id, "level": dealer.depth,
                     "state": "bound"})
        env["distribution.code.scan"].sudo().create([
            {"code_id": code.id, "result": "genuine", "date": self.now, "bound_member_id": dealer.id,
             "bound_territory_id": dealer.territory_id.id, "company_id": company.id}
            for code in codes
        ])
        env["distribution.diversion.incident"].create({
            "code_id": codes[0].id, "expected_member_id": dealer.id, "expected_territory_id": dealer.territory_id.id,
            "seen_territory_id": self.members["rd_js"].territory_id.id, "date": self.now, "state": "confirmed",
            "penalty_amount": 100.0,
        })
        # two approvals decided 90 minutes after they were requested
        reviews = env["tier.review"].sudo().create([
            {"model": "distribution.member", "res_id": dealer.id, "status": "pending"} for _i in range(2)
        ])
        env.flush_all()
        env.cr.execute("UPDATE tier_review SET create_date = %s WHERE id = ANY(%s)",
                       [self.now - timedelta(minutes=90), reviews.ids])
        reviews.invalidate_recordset()
        reviews.write({"status": "approved", "reviewed_date": self.now})
        self.assertEqual(reviews.mapped("dms_lead_time_hours"), [1.5, 1.5])
        # a hot item of the Hangzhou dealer (selling fast, 4 days of cover)
        env["distribution.stock.analysis"].sudo().create({
            "member_id": dealer.id, "tier_id": dealer.tier_id.id, "territory_id": dealer.territory_id.id,
            "product_id": self.product_b.id, "categ_id": self.product_b.categ_id.id, "company_id": company.id,
            "on_hand": 20.0, "velocity": 5.0, "days_cover": 4.0, "outflow_qty": 450.0, "is_hot": True,
            "suggested_qty": 60.0,
        })
        # the sell-in of today (the set-up's and the rebate's invoices), in the monthly aggregate the sales
        # dashboard reads (the nightly job)
        env["distribution.channel.sales.member"]._refresh_all(company)

    # ------------------------------------------------------------------
    # the card: its pivot over the dashboard's default period
    # ------------------------------------------------------------------
    def _data(self, xmlid):
        return json.loads(base64.b64decode(self.env.ref(xmlid).spreadsheet_binary_data))

    def _card(self, data, title):
        """(figure, formulas behind its key value) of the card `title`."""
        [figure] = [f for sheet in data["sheets"] for f in sheet["figures"]
                    if f["data"]["type"] == "scorecard" and f["data"]["title"]["text"] == title]
        cells = {sheet["name"]: sheet["cells"] for sheet in data["sheets"]}
        formulas, todo, seen = [], [figure["data"]["keyValue"]], set()
        while todo:
            ref = todo.pop()
            sheet_name, cell = ref.split("!") if "!" in ref else ("Data", ref)
            if (sheet_name, cell) in seen:
                continue
            seen.add((sheet_name, cell))
            formula = cells[sheet_name].get(cell, "")
            formulas.append(formula)
            todo += [f"{sheet_name}!{ref}" for ref in CELL.findall(formula.replace("PIVOT.VALUE", ""))]
        return figure, " ".join(formulas)

    def _period_domain(self, field):
        """The dashboards' default period, this year, on a date or datetime field (datetimes in the user's
        time zone, as the dashboards and the search view's date filter both read them)."""
        first, last = self.today + relativedelta(month=1, day=1), self.today + relativedelta(month=12, day=31)
        if field.type == "date":
            return [(field.name, ">=", first), (field.name, "<=", last)]
        tz = pytz.timezone(self.manager.tz or "UTC")

        def utc(day, at):
            return fields.Datetime.to_string(tz.localize(datetime.combine(day, at)).astimezone(pytz.UTC))

        return [(field.name, ">=", utc(first, time.min)), (field.name, "<=", utc(last, time(23, 59, 59)))]

    def _card_figure(self, data, title, measure):
        figure, formulas = self._card(data, title)
        uses = [match for match in PIVOT_VALUE.findall(formulas) if match[1] == measure]
        self.assertTrue(uses, f"{title}: the card reads {measure}: {formulas}")
        pivot_id, _measure, group_field, group_value = uses[0]
        pivot = data["pivots"][pivot_id]
        Model = self.env[pivot["model"]].with_user(self.manager)
        domain = list(pivot["domain"])
        if group_field:
            domain.append((group_field, "=", group_value))
        period = next(f for f in data["globalFilters"] if f["type"] == "date")
        self.assertEqual(period["defaultValue"], "this_year")
        match = pivot["fieldMatching"].get(period["id"])
        if match:
            domain += self._period_domain(Model._fields[match["chain"]])
        return figure, Model, self._aggregate(Model, domain, measure)

    @staticmethod
    def _aggregate(Model, domain, measure):
        spec = "__count" if measure == "__count" else f"{measure}:{Model._fields[measure].aggregator}"
        [(value,)] = Model._read_group(domain, [], [spec])
        return value or 0.0

    # ------------------------------------------------------------------
    # the drill-down: the action of the card's menu, with its default filters
    # ------------------------------------------------------------------
    def _drilldown_domain(self, data, figure, Model):
        menu = self.env.ref(data["chartOdooMenusReferences"][figure["id"]])
        action = menu.action.sudo()
        self.assertEqual(action.res_model, Model._name, menu.name)
        eval_context = {"uid": self.manager.id, "context_today": lambda: self.today,
                        "relativedelta": relativedelta, "datetime": datetime}
        domain = safe_eval(action.domain or "[]", eval_context)
        context = safe_eval(action.context or "{}", eval_context)
        defaults = {key[len("search_default_"):] for key, value in context.items()
                    if key.startswith("search_default_") and value}
        arch = Model.get_view(action.search_view_id.id, "search")["arch"]
        filters = {node.get("name"): node for node in etree.fromstring(arch).iter("filter")}
        # a default that is no filter of the view (a field's value, a renamed filter) would narrow or not the
        # records the user sees without this test noticing: every default must be a filter read below
        self.assertLessEqual(defaults, set(filters), f"{menu.name}: default filters not in its search view")
        for node in filters.values():
            if node.get("name") not in defaults or "group_by" in (node.get("context") or ""):
                continue
            if node.get("date"):
                self.assertEqual(node.get("default_period"), "year", f"{menu.name}: {node.get('name')}")
                domain += self._period_domain(Model._fields[node.get("date")])
            else:
                domain += safe_eval(node.get("domain"), eval_context)
        return domain

    def _assert_card_agrees(self, xmlid, title, measure):
        data = self._data(xmlid)
        figure, Model, card = self._card_figure(data, title, measure)
        drilled = self._aggregate(Model, self._drilldown_domain(data, figure, Model), measure)
        self.assertAlmostEqual(card, drilled, places=6, msg=f"{title}: card {card}, drill-down {drilled}")
        self.assertTrue(card, f"{title}: no figure on a channel with figures")
        return card

    def test_cards_agree_with_their_drilldowns(self):
        self._realistic_channel()
        # Channel Sales: this year's sell-in, with the dealer's 5,000 of today
        self.assertGreater(self._assert_card_agrees(SALES, "Sell-in", "amount"), 5000.0)
        # Channel Finance
        accrued = self._assert_card_agrees(FINANCE, "Rebates Accrued", "accrued_amount")
        self.assertGreaterEqual(accrued, 153.0)
        # the rebate settled today counts (Odoo's "last 12 months" would have left it out)
        self.assertEqual(self._assert_card_agrees(FINANCE, "Rebates Settled", "settled_amount"), 300.0)
        self.assertEqual(self._assert_card_agrees(FINANCE, "Commissions", "amount"), 80.0)
        self.assertEqual(self._assert_card_agrees(FINANCE, "Statement Confirmation Rate", "confirmation_rate"), 50.0)
        # Channel Health
        self.assertEqual(self._assert_card_agrees(HEALTH, "Slow Movers", "__count"), 2)
        self.assertEqual(self._assert_card_agrees(HEALTH, "Hot Items", "__count"), 1)
        self.assertEqual(self._assert_card_agrees(HEALTH, "Diversion Rate", "diversion_rate"), 25.0)
        self.assertEqual(self._assert_card_agrees(HEALTH, "Approval Lead Time", "dms_lead_time_hours"), 1.5)
