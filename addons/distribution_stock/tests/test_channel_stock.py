from datetime import date, timedelta

from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon, xlsx_file

from .common import MovementExampleMixin


@tagged("post_install", "-at_install")
class TestChannelStock(MovementExampleMixin, DistributionHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        Product = cls.env["product.product"]
        cls.prod_a, cls.prod_b, cls.prod_c = Product.create(
            [
                {"name": "Stock test A", "default_code": "STK-TEST-A", "lst_price": 10.0, "is_storable": True},
                {"name": "Stock test B", "default_code": "STK-TEST-B", "lst_price": 20.0, "is_storable": True},
                {"name": "Stock test C", "barcode": "6900000000017", "lst_price": 30.0, "is_storable": True},
            ]
        )
        cls.prod_not_sold = Product.create(
            {"name": "Stock test internal", "default_code": "STK-TEST-X", "sale_ok": False}
        )
        cls.Report = cls.env["distribution.stock.report"]
        cls.Stock = cls.env["distribution.channel.stock"]
        cls.Movement = cls.env["distribution.channel.movement"]

    def _report(self, member, day, lines, submit=True):
        report = self.Report.create(
            {
                "member_id": member.id,
                "date": day,
                "line_ids": [Command.create({"product_id": p.id, "quantity": q}) for p, q in lines],
            }
        )
        if submit:
            report.action_submit()
        return report

    def _stock(self, member, env=None):
        # the view's rows keep their ids while their figures change: read them afresh
        self.env.invalidate_all()
        stock = (env or self.env)["distribution.channel.stock"].search([("member_id", "=", member.id)])
        return {row.product_id: (row.quantity, row.date, row.source) for row in stock}

    # ------------------------------------------------------------------
    # Upload validation
    # ------------------------------------------------------------------
    def test_import_rejects_bad_rows_keeps_good_ones(self):
        member = self.members["dl_hz"]
        rows = [
            (2, "STK-TEST-A", "5"),
            (3, "NO-SUCH-CODE", "3"),
            (4, "STK-TEST-B", "-2"),
            (5, "STK-TEST-B", "abc"),
            (6, " stk-test-b ", "7.5"),  # case and blanks do not matter
            (7, "STK-TEST-A", "9"),  # the product is already counted on row 2
            (8, "6900000000017", 0),  # barcode, zero is a valid count
            (9, "STK-TEST-X", "1"),  # not a product the member can order
            (10, "", "4"),
            (11, "", ""),  # an empty row is ignored
        ]
        report = self.Report.with_user(self.users["dl_hz"])._import_rows(member, rows, "upload")
        self.assertEqual(report.state, "done")
        self.assertEqual(report.source, "upload")
        self.assertEqual(report.member_id, member)
        self.assertEqual(report.date, fields.Date.context_today(report))
        self.assertEqual(
            {line.product_id: line.quantity for line in report.line_ids},
            {self.prod_a: 5.0, self.prod_b: 7.5, self.prod_c: 0.0},
        )
        rejects = {
            reject.row: (reject.product_code, reject.quantity_text, reject.reason) for reject in report.rejected_ids
        }
        self.assertEqual(sorted(rejects), [3, 4, 5, 7, 9, 10])
        self.assertEqual(rejects[3][:2], ("NO-SUCH-CODE", "3"))
        self.assertIn("Unknown product code", rejects[3][2])
        self.assertIn("Negative quantity", rejects[4][2])
        self.assertEqual(rejects[5][1], "abc")
        self.assertIn("Not a number", rejects[5][2])
        self.assertIn("Duplicate", rejects[7][2])
        self.assertIn("row 2", rejects[7][2])
        self.assertIn("Unknown product code", rejects[9][2])
        self.assertIn("Missing product code", rejects[10][2])
        # the report is the member's stock now
        today = fields.Date.context_today(report)
        self.assertEqual(
            self._stock(member),
            {
                self.prod_a: (5.0, today, "reported"),
                self.prod_b: (7.5, today, "reported"),
                self.prod_c: (0.0, today, "reported"),
            },
        )

    def test_import_nothing_valid_keeps_stock(self):
        member = self.members["dl_hz"]
        self._report(member, date.today() - timedelta(days=2), [(self.prod_a, 4)])
        report = self.Report.with_user(self.users["dl_hz"])._import_rows(
            member, [(1, "NO-SUCH-CODE", "1"), (2, "STK-TEST-A", "-1")], "portal"
        )
        self.assertEqual(report.state, "draft", "a report without a valid row does not replace the stock")
        self.assertEqual(len(report.rejected_ids), 2)
        self.assertEqual(self._stock(member)[self.prod_a][0], 4.0)
        with self.assertRaises(UserError):
            self.Report.with_user(self.users["dl_hz"])._import_rows(member, [(1, "", "")], "portal")

    def test_import_only_for_own_member(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.users["rd_zj"])._import_rows(
                self.members["dl_hz"], [(1, "STK-TEST-A", "1")], "portal"
            )
        with self.assertRaises(AccessError):
            self.Report.with_user(self.users["dl_nj"])._import_rows(
                self.members["dl_hz"], [(1, "STK-TEST-A", "1")], "portal"
            )

    def test_parse_xlsx(self):
        data = xlsx_file([["Product Code", "Quantity"], ["STK-TEST-A", 12], [6900000000017, 3.0], ["STK-TEST-B", "x"]])
        rows = self.Report._parse_xlsx(data)
        self.assertEqual(rows, [(2, "STK-TEST-A", 12), (3, "6900000000017", 3.0), (4, "STK-TEST-B", "x")])
        report = self.Report._import_rows(self.members["dl_hz"], rows, "upload")
        self.assertEqual(
            {line.product_id: line.quantity for line in report.line_ids}, {self.prod_a: 12.0, self.prod_c: 3.0}
        )
        self.assertEqual(report.rejected_ids.mapped("row"), [4])
        with self.assertRaisesRegex(UserError, "not a valid Excel"):
            self.Report._parse_xlsx(b"product,quantity\nSTK-TEST-A,1\n")
        template = self.Report._xlsx_template(self.members["dl_hz"])
        self.assertEqual(self.Report._parse_xlsx(template), [(2, "STK-TEST-A", None), (3, "6900000000017", None)])

    # ------------------------------------------------------------------
    # Channel stock view
    # ------------------------------------------------------------------
    def test_channel_stock_latest_report(self):
        member = self.members["dl_hz"]
        today = date.today()
        self._report(member, today - timedelta(days=10), [(self.prod_a, 4), (self.prod_b, 2)])
        latest = self._report(member, today - timedelta(days=3), [(self.prod_a, 6)])
        self._report(member, today - timedelta(days=1), [(self.prod_a, 99)], submit=False)  # a draft does not count
        self.assertEqual(self._stock(member), {self.prod_a: (6.0, latest.date, "reported")})
        row = self.Stock.search([("member_id", "=", member.id)])
        self.assertEqual(row.tier_id, self.tier_dl)
        self.assertEqual(row.territory_id, self.terr_hz)
        self.assertEqual(row.parent_member_id, self.members["rd_zj"])
        self.assertEqual(row.company_id, member.company_id)
        # a report dated earlier but entered later does not replace a more recent count
        self._report(member, today - timedelta(days=5), [(self.prod_b, 1)])
        self.assertEqual(self._stock(member), {self.prod_a: (6.0, latest.date, "reported")})
        with self.assertRaises(UserError):
            self._report(member, today, [])

    def test_submitted_report_is_locked(self):
        report = self._report(self.members["dl_hz"], date.today(), [(self.prod_a, 4)])
        as_user = report.with_user(self.channel_user)
        with self.assertRaisesRegex(UserError, "submitted"):
            as_user.line_ids.quantity = 40
        with self.assertRaises(AccessError):
            as_user.action_draft()
        report.with_user(self.channel_manager).action_draft()
        self.assertEqual(report.state, "draft")
        as_user.line_ids.quantity = 5
        as_user.action_submit()
        self.assertEqual(self._stock(self.members["dl_hz"])[self.prod_a][0], 5.0)

    def test_channel_stock_from_odoo_warehouse(self):
        store, distributor = self.members["st_hz"], self.members["rd_zj"]
        Warehouse = self.env["stock.warehouse"]
        # the store's warehouse is found by its address, the distributor's is set on the member
        store_wh = Warehouse.create(
            {"name": "Hangzhou store (test)", "code": "TSHZ", "partner_id": store.partner_id.id}
        )
        dist_wh = Warehouse.create({"name": "Zhejiang distributor (test)", "code": "TRZJ"})
        distributor.stock_warehouse_id = dist_wh
        self.assertEqual(
            (store | distributor | self.members["dl_hz"])._stock_warehouses(),
            {store.id: store_wh.id, distributor.id: dist_wh.id},
        )
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "usage": "internal", "location_id": store_wh.lot_stock_id.id}
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.prod_a, store_wh.lot_stock_id, 7)
        Quant._update_available_quantity(self.prod_a, shelf, 3)
        Quant._update_available_quantity(self.prod_b, store_wh.lot_stock_id, 2)
        Quant._update_available_quantity(self.prod_a, dist_wh.lot_stock_id, 40)
        main_wh = Warehouse.search([("company_id", "=", self.env.company.id)], order="id", limit=1)
        Quant._update_available_quantity(self.prod_a, main_wh.lot_stock_id, 500)  # HQ's own stock
        # the store's stock is in Odoo: its reports do not count
        self._report(store, date.today() - timedelta(days=1), [(self.prod_c, 11)])
        today = fields.Date.context_today(store)
        self.assertEqual(self._stock(store), {self.prod_a: (10.0, today, "odoo"), self.prod_b: (2.0, today, "odoo")})
        self.assertEqual(self._stock(distributor), {self.prod_a: (40.0, today, "odoo")})
        # sold from the shelf: the channel stock follows at once
        Quant._update_available_quantity(self.prod_a, shelf, -3)
        self.assertEqual(self._stock(store)[self.prod_a][0], 7.0)
        ids = self.Stock.search([]).ids
        self.assertEqual(len(ids), len(set(ids)))

    # ------------------------------------------------------------------
    # Movements
    # ------------------------------------------------------------------
    def test_channel_movements(self):
        distributor = self.members["rd_zj"]
        product = self.env["product.product"].create(
            {"name": "Movement test", "default_code": "STK-MOVE", "lst_price": 15.0, "uom_id": self.uom_unit.id}
        )
        self._movement_example(product)
        moves = self.Movement.search([("product_id", "=", product.id)])
        by_key = {}
        for move in moves:
            key = (move.member_id, move.kind, move.date)
            quantity, amount = by_key.get(key, (0.0, 0.0))
            by_key[key] = (quantity + move.quantity, amount + move.amount)
        self.assertEqual(
            by_key,
            {
                (distributor, "sell_in", date(2026, 3, 2)): (27.0, 130.0),  # 2 dozen + 3 units
                (distributor, "sell_in", date(2026, 3, 5)): (-1.0, -10.0),  # the credit note
                (distributor, "sell_through", date(2026, 3, 10)): (2.0, 30.0),  # shipped down to the dealer
            },
        )
        self.assertEqual(set(moves.mapped("territory_id")), {self.terr_zj})
        self.assertEqual(set(moves.mapped("tier_id")), {self.tier_rd})
        self.assertEqual(set(moves.mapped("parent_member_id")), {self.members["ga"]})
        self.assertEqual(set(moves.mapped("currency_id")), {self.env.company.currency_id})
        groups = self.Movement._read_group(
            [("product_id", "=", product.id)], ["kind", "date:month"], ["quantity:sum", "amount:sum"]
        )
        self.assertEqual(
            sorted((kind, month.month, qty, amount) for kind, month, qty, amount in groups),
            [("sell_in", 3, 26.0, 120.0), ("sell_through", 3, 2.0, 30.0)],
        )
        ids = self.Movement.search([]).ids
        self.assertEqual(len(ids), len(set(ids)))

    # ------------------------------------------------------------------
    # Portal isolation
    # ------------------------------------------------------------------
    def test_portal_isolation(self):
        report_zj = self._report(self.members["rd_zj"], date.today(), [(self.prod_a, 8)])
        self._report(self.members["dl_hz"], date.today(), [(self.prod_a, 5)])
        self._report(self.members["st_hz"], date.today(), [(self.prod_a, 2)])
        self._report(self.members["dl_nj"], date.today(), [(self.prod_a, 9)])
        self._report(self.members["ga"], date.today(), [(self.prod_a, 100)])
        nj = self.users["dl_nj"]
        with self.assertRaises(AccessError):
            report_zj.with_user(nj).read(["name"])
        with self.assertRaises(AccessError):
            report_zj.line_ids.with_user(nj).read(["quantity"])
        with self.assertRaises(AccessError):
            report_zj.with_user(self.users["dl_hz"]).read(["name"])  # its supplier's stock is not its business
        with self.assertRaises(AccessError):
            report_zj.with_user(self.users["rd_zj"]).write({"date": date.today()})
        # a distributor sees its own and its subtree's stock, nothing else
        zj_env = self.env(user=self.users["rd_zj"])
        stock = zj_env["distribution.channel.stock"].search([("product_id", "=", self.prod_a.id)])
        self.assertEqual(
            {row.member_id.code: row.quantity for row in stock}, {"RD_ZJ": 8.0, "DL_HZ": 5.0, "ST_HZ": 2.0}
        )
        nj_stock = self.env(user=nj)["distribution.channel.stock"].search([("product_id", "=", self.prod_a.id)])
        self.assertEqual({row.member_id.code: row.quantity for row in nj_stock}, {"DL_NJ": 9.0})
        with self.assertRaises(AccessError):
            self.Stock.search([("member_id", "=", self.members["rd_zj"].id)]).with_user(nj).read(["quantity"])
        # movements too
        moves = self.env(user=nj)["distribution.channel.movement"].search([])
        self.assertEqual(set(moves.mapped("member_id.code")), {"DL_NJ"})
        self.assertTrue(self.env(user=self.users["ga"])["distribution.channel.movement"].search_count([]) >= 6)

    def test_portal_upload_route(self):
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/stock")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Report my Stock", page.text)
        template = self.url_open("/my/stock/template.xlsx")
        self.assertEqual(template.status_code, 200)
        self.assertTrue(template.headers["Content-Type"].startswith("application/vnd.openxmlformats"))
        self.assertEqual(self.env["distribution.stock.report"]._parse_xlsx(template.content), [])
        csrf = self._csrf("/my/stock")
        data = xlsx_file(
            [
                ["Product Code", "Quantity"],
                ["STK-TEST-A", 3],
                ["NO-SUCH-CODE", 1],
                ["STK-TEST-B", -4],
                ["STK-TEST-A", 1],
            ]
        )
        response = self.url_open(
            "/my/stock/upload",
            data={"csrf_token": csrf},
            files={"file": ("stock.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        )
        self.assertEqual(response.status_code, 200)
        report = self.Report.search([("member_id", "=", self.members["dl_hz"].id)], limit=1)
        self.assertEqual(report.source, "upload")
        self.assertEqual({line.product_id: line.quantity for line in report.line_ids}, {self.prod_a: 3.0})
        self.assertEqual(report.rejected_ids.mapped("row"), [3, 4, 5])
        self.assertIn("NO-SUCH-CODE", response.text)
        self.assertIn("Negative quantity", response.text)
        # the form
        response = self.url_open(
            "/my/stock/report",
            data={"csrf_token": csrf, "product_code": ["STK-TEST-B", "STK-TEST-A", ""], "quantity": ["6", "2", ""]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self._stock(self.members["dl_hz"]),
            {self.prod_b: (6.0, date.today(), "reported"), self.prod_a: (2.0, date.today(), "reported")},
        )
        # not an xlsx: a clear message, no report
        count = self.Report.search_count([])
        response = self.url_open(
            "/my/stock/upload", data={"csrf_token": csrf}, files={"file": ("stock.csv", b"STK-TEST-A,1", "text/csv")}
        )
        self.assertIn("not a valid Excel workbook", response.text)
        self.assertEqual(self.Report.search_count([]), count)
        # another member's report page is not shown
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        response = self.url_open(f"/my/stock/reports/{report.id}")
        self.assertNotIn(report.name, response.text)
        self.assertNotIn("STK-TEST-A", self.url_open("/my/stock?member_id=all").text)

    def test_portal_stock_phone_list_in_chinese(self):
        """On a phone each stock row is a list item with the quantity beside the product, in Chinese."""
        self._report(self.members["dl_hz"], date.today(), [(self.prod_a, 8), (self.prod_b, 1234.5)])
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_stock"], ["zh_CN"], overwrite=True)
        self.users["dl_hz"].lang = "zh_CN"
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = html.fromstring(self.url_open("/my/stock").text)
        rows = page.xpath('//li[contains(@class, "o_dist_stock_row")]')
        self.assertEqual(
            {
                row.xpath('.//*[contains(@class, "o_dist_stock_product")]')[0].text_content().strip():
                row.xpath('.//*[contains(@class, "o_dist_stock_qty")]')[0].text_content().strip()
                for row in rows
            },
            {self.prod_a.display_name: "8", self.prod_b.display_name: "1234.5"},
        )
        # on a phone no table to scroll sideways: the figure is in the card itself; the table is for wide screens
        self.assertFalse(page.xpath('//div[contains(@class, "o_dist_my_stock")]//table[.//td[contains(@class, "o_dist_stock_qty")]]'))
        self.assertIn("d-md-none", page.xpath('//ul[contains(@class, "o_dist_stock_list")]')[0].get("class"))
        table = page.xpath('//div[contains(@class, "o_dist_my_stock")]//table[.//tr[contains(@class, "o_dist_stock_table_row")]]')
        self.assertEqual(len(table), 1)
        self.assertIn("d-none d-md-block", table[0].xpath("ancestor::div[contains(@class, 'd-md-block')]")[0].get("class"))
        text = page.text_content()
        self.assertIn("现有库存", text)
        self.assertIn("上报我的库存", text)
        self.assertIn("库存可售天数", text)
        for english in ("On Hand", "Report my Stock", "Days of Cover", "days of cover", "Counted on", "Product"):
            self.assertNotIn(english, text)

    def test_rejected_rows_in_the_readers_language(self):
        """A Chinese dealer's upload: its rejected rows read in Chinese for the dealer, in English for an
        English channel manager (the reason is kept as a code, not in the uploader's words)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_stock"], ["zh_CN"], overwrite=True)
        self.users["dl_hz"].lang = "zh_CN"
        rows = [(2, "STK-TEST-A", "5"), (3, "STK-TEST-A", "9"), (4, "STK-TEST-B", "-2")]
        report = self.Report.with_user(self.users["dl_hz"]).with_context(lang="zh_CN")._import_rows(
            self.members["dl_hz"], rows, "upload"
        )
        english = {reject.row: reject.reason for reject in report.with_context(lang="en_US").rejected_ids}
        self.assertEqual(english, {
            3: f"Duplicate: {self.prod_a.display_name} is already counted on row 2.",
            4: "Negative quantity: count what is on hand (0 or more).",
        })
        chinese = {reject.row: reject.reason for reject in report.with_context(lang="zh_CN").rejected_ids}
        self.assertEqual(chinese, {
            3: f"重复：{self.prod_a.display_name} 已在第 2 行盘点。",
            4: "数量为负数：请按现有库存盘点（0 或以上）。",
        })
        # the dealer's report page in the portal, and the manager's form
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open(f"/my/stock/reports/{report.id}").text
        self.assertIn("数量为负数", page)
        self.assertNotIn("Negative quantity", page)
        manager = self.env["distribution.stock.report.reject"].with_user(self.channel_manager).with_context(lang="en_US")
        self.assertIn("Negative quantity", manager.browse(report.rejected_ids.ids).mapped("reason")[1])
