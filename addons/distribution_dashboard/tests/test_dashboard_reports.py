from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestDashboardReports(DashboardCommon):
    """The two SQL views of the dashboards on hand-built examples, and who may read them."""

    def test_statement_confirmation_rate(self):
        statements = self._statements()
        Kpi = self.env["distribution.statement.kpi"]
        rows = Kpi.search([("member_id", "in", [m.id for m in self.members.values()])])
        # drafts were never sent; a superseded version counts through its replacement
        self.assertEqual(
            rows.statement_id,
            statements["jan_confirmed"] | statements["jan_sent"] | statements["jan_disputed"]
            | statements["feb_confirmed"] | statements["feb_js"],
        )
        by_month = {
            month: (sent, confirmed, disputed, open_, rate)
            for month, sent, confirmed, disputed, open_, rate in Kpi._read_group(
                [("id", "in", rows.ids)], ["month:month"],
                ["sent_count:sum", "confirmed_count:sum", "disputed_count:sum", "open_count:sum",
                 "confirmation_rate:sum"],
            )
        }
        jan_sent, jan_confirmed, jan_disputed, jan_open, jan_rate = by_month[date(2025, 1, 1)]
        self.assertEqual((jan_sent, jan_confirmed, jan_disputed, jan_open), (3, 1, 1, 2))
        self.assertAlmostEqual(jan_rate, 100.0 / 3, places=4)
        self.assertEqual(by_month[date(2025, 2, 1)], (2, 2, 0, 0, 100.0))
        # a group's rate is the ratio of its totals (3 of 5), not the sum nor the mean of the months' rates
        [(total_rate, days)] = Kpi._read_group(
            [("id", "in", rows.ids)], [], ["confirmation_rate:sum", "days_to_confirm:avg"]
        )
        self.assertAlmostEqual(total_rate, 60.0, places=4)
        # days from sending to confirmation, for the confirmed ones: 2, 4 and 1 days
        self.assertAlmostEqual(days, 7 / 3, places=4)
        by_member = dict(Kpi._read_group([("id", "in", rows.ids)], ["member_id"], ["confirmation_rate:sum"]))
        self.assertAlmostEqual(by_member[self.members["dl_hz"]], 200.0 / 3, places=4)
        self.assertEqual(by_member[self.members["rd_zj"]], 0.0)
        self.assertEqual(by_member[self.members["rd_js"]], 100.0)
        # drill-down: the row opens its statement
        action = rows.filtered(lambda r: r.statement_id == statements["jan_sent"]).action_open_statement()
        self.assertEqual((action["res_model"], action["res_id"]), ("distribution.statement", statements["jan_sent"].id))

    def test_rebates_accrued_vs_settled(self):
        agreement, settlement = self._settled_rebate()
        Report = self.env["distribution.rebate.report"]
        rows = Report.search([("agreement_id", "=", agreement.id)])
        accrued = rows.filtered(lambda r: r.kind == "accrued")
        self.assertEqual(
            sorted((r.date, r.accrued_amount) for r in accrued if r.accrued_amount),
            [(date(2025, 3, 31), 300.0), (date(2025, 6, 30), 150.0)],
        )
        settled = rows.filtered(lambda r: r.kind == "settled")
        self.assertEqual(settled.settlement_id, settlement)
        self.assertEqual((settled.date, settled.settled_amount, settled.balance_amount),
                         (settlement.date, 300.0, -300.0))
        self.assertEqual(settled.computation_id.date_from, date(2025, 1, 1))
        [(member, earned, paid, to_settle)] = Report._read_group(
            [("agreement_id", "=", agreement.id)], ["member_id"],
            ["accrued_amount:sum", "settled_amount:sum", "balance_amount:sum"],
        )
        self.assertEqual((member, earned, paid, to_settle), (self.members["dl_hz"], 450.0, 300.0, 150.0))
        # the same per period: Q1 is settled, Q2 is still owed
        by_period = dict(
            Report._read_group([("agreement_id", "=", agreement.id)], ["date_from:day"], ["balance_amount:sum"])
        )
        self.assertEqual(by_period[date(2025, 1, 1)], 0.0)
        self.assertEqual(by_period[date(2025, 4, 1)], 150.0)
        # a cancelled settlement no longer counts as settled
        settlement.action_cancel()
        [(paid,)] = Report._read_group([("agreement_id", "=", agreement.id)], [], ["settled_amount:sum"])
        self.assertEqual(paid, 0.0)
        # drill-down: each row opens its source document
        self.assertEqual(accrued[:1].action_open_source()["res_model"], "distribution.rebate.computation")

    def test_portal_reads_only_its_own_figures(self):
        self._statements()
        agreement, _settlement = self._settled_rebate()
        other = self._agreement(name="Nanjing 3%", member_id=self.members["dl_nj"].id)
        self._invoice("dl_nj", "2025-02-10", [(self.product_b, 10, 100.0)])
        self._compute(other, up_to=date(2025, 3, 31))
        hangzhou = self.users["dl_hz"]
        Kpi = self.env["distribution.statement.kpi"].with_user(hangzhou)
        self.assertEqual(Kpi.search([]).member_id, self.members["dl_hz"])
        Report = self.env["distribution.rebate.report"].with_user(hangzhou)
        self.assertEqual(Report.search([]).member_id, self.members["dl_hz"])
        [(total,)] = Report._read_group([], [], ["accrued_amount:sum"])
        self.assertEqual(total, 450.0)
        nanjing_rows = self.env["distribution.rebate.report"].search([("agreement_id", "=", other.id)])
        self.assertTrue(nanjing_rows)
        with self.assertRaises(AccessError):
            nanjing_rows.with_user(hangzhou).read(["accrued_amount"])
        nanjing_statement = self.env["distribution.statement.kpi"].search(
            [("member_id", "=", self.members["rd_js"].id)], limit=1
        )
        with self.assertRaises(AccessError):
            nanjing_statement.with_user(hangzhou).read(["state"])
        # the parent distributor does not read its dealer's rebates either (as in distribution_rebate)
        self.assertFalse(
            self.env["distribution.rebate.report"].with_user(self.users["rd_zj"]).search(
                [("agreement_id", "=", agreement.id)]
            )
        )
