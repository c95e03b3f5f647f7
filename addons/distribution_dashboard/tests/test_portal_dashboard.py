import io
import re
from datetime import datetime

import openpyxl
from dateutil.relativedelta import relativedelta
from lxml import html

from odoo.tests import HttpCase, tagged

from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestPortalDashboard(DashboardCommon, HttpCase):
    """/my/dashboard and its XLSX: a member sees its own subtree's figures, never another member's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month = cls.today.strftime("%Y-%m")
        cls.product_a_name = cls.product_a.display_name
        cls.product_b_name = cls.product_b.display_name

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _page(self, url="/my/dashboard"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    @staticmethod
    def _number(text):
        cleaned = re.sub(r"[^0-9.\-]", "", text.replace(",", ""))
        return float(cleaned) if cleaned not in ("", "-", ".") else None

    def _table(self, page, key):
        """{first cell: [the other cells]} of the table `key` of the page."""
        section = html.fromstring(page).xpath(f'//section[@data-table="{key}"]')
        self.assertEqual(len(section), 1, key)
        rows = [
            [td.text_content().strip() for td in tr.xpath("./td")]
            for tr in section[0].xpath(".//tbody/tr")
        ]
        return {row[0]: row[1:] for row in rows}, section[0].text_content()

    def _xlsx(self, key, query=""):
        response = self.url_open(f"/my/dashboard/xlsx/{key}{query}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_portal_dashboard_shows_the_subtree_only(self):
        """Zhejiang's distributor sees its own, its dealer's and its store's sell-in (1 + 4 + 1 + 1 units of
        product_a for 100 + 200 + 100 + 100), not Jiangsu's 7 units of product_b."""
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        page = self._page()
        months, _text = self._table(page, "movement_month")
        self.assertEqual(len(months), 12)
        sell_in_qty, sell_in_amount, through_qty, _ta, out_qty, _oa = [self._number(v) for v in months[self.month]]
        self.assertEqual((sell_in_qty, sell_in_amount, through_qty, out_qty), (7.0, 500.0, 0.0, 0.0))
        products, text = self._table(page, "movement_product")
        self.assertEqual(list(products), [self.product_a_name])
        self.assertEqual([self._number(v) for v in products[self.product_a_name][:2]], [7.0, 500.0])
        self.assertNotIn(self.product_b_name, page)
        stock, _text = self._table(page, "stock")
        self.assertEqual(
            sorted((member, values[0], self._number(values[1])) for member, values in stock.items()),
            sorted([(self.members["rd_zj"].display_name, self.product_a_name, 40.0),
                    (self.members["dl_hz"].display_name, self.product_a_name, 100.0)]),
        )
        slow, _text = self._table(page, "slow")
        self.assertEqual(list(slow), [self.members["dl_hz"].display_name])
        for other in ("rd_js", "dl_nj", "ga"):
            self.assertNotIn(self.members[other].display_name, page)
        self.assertNotIn("999.00", page)

    def test_portal_dashboard_xlsx_isolation(self):
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        rows = self._xlsx("movement_product")
        self.assertEqual(rows[1][1], self.members["rd_zj"].display_name)
        header = rows.index(["Product", "Sell-in Qty", "Sell-in Amount", "Sell-through Qty", "Sell-through Amount",
                             "Sell-out Qty", "Sell-out Amount"])
        self.assertEqual(rows[header + 1:], [[self.product_a_name, 7, 500, 0, 0, 0, 0]])
        rows = self._xlsx("stock")
        names = {row[0] for row in rows[6:]}
        self.assertEqual(names, {self.members["rd_zj"].display_name, self.members["dl_hz"].display_name})
        rows = self._xlsx("slow")
        self.assertEqual([row[:3] for row in rows[6:]],
                         [[self.members["dl_hz"].display_name, self.product_a_name, 100]])
        content = str(self._xlsx("movement_month")) + str(self._xlsx("stock"))
        self.assertNotIn(self.product_b_name, content)
        self.assertNotIn(self.members["dl_nj"].display_name, content)
        # an unknown table is not found
        self.assertEqual(self.url_open("/my/dashboard/xlsx/members").status_code, 404)

    def test_portal_dashboard_member_choice_stays_in_the_subtree(self):
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        # its dealer: the dealer's and the store's figures only
        page = self._page(f"/my/dashboard?member_id={self.members['dl_hz'].id}")
        products, _text = self._table(page, "movement_product")
        self.assertEqual([self._number(v) for v in products[self.product_a_name][:2]], [2.0, 200.0])
        rows = self._xlsx("movement_product", f"?member_id={self.members['dl_hz'].id}")
        self.assertEqual(rows[1][1], self.members["dl_hz"].display_name)
        self.assertEqual(rows[-1][:3], [self.product_a_name, 2, 200])
        # another branch: ignored, the member's own subtree is shown
        page = self._page(f"/my/dashboard?member_id={self.members['rd_js'].id}")
        self.assertNotIn(self.product_b_name, page)
        products, _text = self._table(page, "movement_product")
        self.assertEqual([self._number(v) for v in products[self.product_a_name][:2]], [7.0, 500.0])
        rows = self._xlsx("movement_product", f"?member_id={self.members['rd_js'].id}")
        self.assertEqual(rows[1][1], self.members["rd_zj"].display_name)
        self.assertNotIn(self.product_b_name, str(rows))
        # Jiangsu's distributor sees its own product_b, and none of Zhejiang's
        self.authenticate("portal_rd_js", "portal_rd_js")
        page = self._page()
        products, _text = self._table(page, "movement_product")
        self.assertEqual([self._number(v) for v in products[self.product_b_name][:2]], [7.0, 350.0])
        self.assertEqual([self._number(v) for v in products[self.product_a_name][:2]], [2.0, 200.0])
        self.assertNotIn(self.members["dl_hz"].display_name, page)

    def test_portal_dashboard_rebates_and_statements(self):
        """The dealer's own rebates: last month 300 earned and settled, this month 3% of 5,100 (with the 100 of
        the common set-up) earned so far; its statement of last month confirmed."""
        agreement, settlement = self._recent_rebate("dl_hz")
        last_month_end = self.today.replace(day=1) - relativedelta(days=1)
        sent = datetime.combine(self.today.replace(day=1), datetime.min.time())
        self._statement("dl_hz", last_month_end, "confirmed", sent, sent + relativedelta(days=3))
        self._statement("dl_nj", last_month_end, "sent", sent)
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self._page()
        _rows, text = self._table(page, "rebates")
        section = html.fromstring(page).xpath('//section[@data-table="rebates"]//tbody/tr')
        rebates = sorted(
            [self._number(td.text_content()) for td in tr.xpath("./td")[3:]] for tr in section
        )
        self.assertEqual(rebates, [[153.0, 0.0, 153.0], [300.0, 300.0, 0.0]])
        self.assertIn(agreement.name, text)
        statements, text = self._table(page, "statements")
        self.assertEqual(len(statements), 1)
        self.assertIn("100.0 % (1 of 1 statements confirmed)", text)
        rows = self._xlsx("rebates")
        self.assertEqual(sorted(row[3:] for row in rows[6:]), [[153, 0, 153], [300, 300, 0]])
        # the distributor above does not see its dealer's rebates nor statements (they are the dealer's own)
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        page = self._page()
        self.assertNotIn(agreement.name, page)
        statements, _text = self._table(page, "statements")
        self.assertFalse(statements)
        self.assertEqual(self._xlsx("rebates")[6:], [])

    def test_portal_dashboard_not_a_member(self):
        self._portal_user_without_member()
        self.authenticate("walkin", "walkin")
        page = self._page()
        self.assertIn("not a member of the channel", page)
        self.assertEqual(self.url_open("/my/dashboard/xlsx/stock").status_code, 404)
        # the portal home shows the entry to members
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        self.assertIn('href="/my/dashboard"', self._page("/my"))

    def test_portal_dashboard_key_figures_first_in_chinese(self):
        """A phone shows the key figures and the monthly bars first, the tables folded behind 'show the table',
        all in Chinese: Zhejiang's 500 of sell-in this month, its dealer's slow mover, no statement in the window."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_dashboard"], ["zh_CN"], overwrite=True)
        self.users["rd_zj"].lang = "zh_CN"
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        page = self._page()
        tree = html.fromstring(page)
        kpis = {
            card.get("data-kpi"): card.xpath('.//*[contains(@class, "o_dms_dashboard_kpi_value")]')[0].text_content().strip()
            for card in tree.xpath('//*[@data-kpi]')
        }
        self.assertEqual(
            {key: self._number(value) for key, value in kpis.items()},
            {"sell_in": 500.0, "sell_through": 0.0, "sell_out": 0.0, "slow": 1.0, "to_settle": 0.0,
             "statement_rate": None},
        )
        self.assertEqual(kpis["statement_rate"], "–")
        # the figures come before the first table
        self.assertLess(page.index("o_dms_dashboard_kpis"), page.index("o_dms_dashboard_table"))
        # one bar per month and kind, this month's sell-in the tallest
        bars = tree.xpath('//svg//rect[@data-kind="sell_in"]')
        self.assertEqual(len(bars), 12)
        self.assertEqual([float(bar.get("height")) for bar in bars][-1], 100.0)
        self.assertEqual({float(bar.get("height")) for bar in bars[:-1]}, {0.0})
        # coloured on the website's portal too, which names Bootstrap's colours --primary (not --bs-primary)
        self.assertIn("var(--primary", bars[-1].get("style"))
        # every table with rows is folded, the rows still in the page (and in the XLSX)
        for key in ("movement_month", "movement_product", "stock", "slow"):
            section = tree.xpath(f'//section[@data-table="{key}"]')[0]
            self.assertTrue(section.xpath('.//details[not(@open)]//tbody/tr'), key)
        text = tree.text_content()
        for chinese in ("进货", "滞销品", "待结算返利", "对账单确认率", "每月金额", "查看明细表"):
            self.assertIn(chinese, text)
        for english in ("Show the table", "Amounts by Month", "Statements confirmed", "Rebates to settle"):
            self.assertNotIn(english, page)
        self.assertIn('aria-label="每月进货、分销出货与终端销售金额"', page)
