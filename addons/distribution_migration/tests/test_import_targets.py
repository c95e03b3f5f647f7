import base64
from datetime import date, datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon


class ImportTargetCase(DistributionCommon):
    """Imports of legacy CSV files (Chinese headers, mapped by the fields' aliases)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("product.group_product_manager").id)]

    def _profile(self, target, **vals):
        return self.env["distribution.import.profile"].create(
            {"name": f"Legacy ERP – {target}", "source_system": "Legacy ERP", "target": target, **vals}
        )

    def _job(self, profile, lines):
        job = self.env["distribution.import.job"].create(
            {
                "profile_id": profile.id,
                "file": base64.b64encode(("\n".join(lines) + "\n").encode()),
                "file_name": f"{profile.target}.csv",
            }
        )
        job.action_read_file()
        return job

    def _import(self, profile, lines):
        job = self._job(profile, lines)
        job.action_import()
        return job

    def assertCounts(self, job, read, create=0, update=0, unchanged=0, merge=0, reject=0):
        self.assertEqual(
            (job.rows_read, job.rows_create, job.rows_update, job.rows_unchanged, job.rows_merge, job.rows_reject),
            (read, create, update, unchanged, merge, reject),
        )
        self.assertEqual(job.rows_read, job.rows_create + job.rows_update + job.rows_merge + job.rows_reject)
        self.assertEqual(len(job.reject_ids), job.rows_reject)

    def _reasons(self, job):
        return {reject.row: reject.reason for reject in job.reject_ids}

    def _no_write(self, target):
        """Patch the target's _write: a re-import with nothing to change must not call it."""
        return patch.object(
            type(self.env[f"distribution.import.target.{target}"]), "_write", side_effect=AssertionError("written")
        )


@tagged("post_install", "-at_install")
class TestImportProducts(ImportTargetCase):
    HEADER = "商品编码,品名,条码,商品类别,单位,单价,成本,类型"
    FILE = [
        HEADER,
        "p-001,乌龙茶 250g,6901234567892,Drinks / Tea,个,35.5,20,goods",  # 2: new, new categories
        "P-002,每日坚果,6901234567908,migration test goods,kg,88,60.25,库存商品",  # 3: existing category
        "P-003,Installation,,Services (mig),Hours,120,,service",  # 4: new category, service
        "P-001,Oolong again,,,,36,,",  # 5: duplicate code
        "P-005,Broken,,,,-5,,",  # 6: negative price
        "P-006,Carton,,,箱,10,,",  # 7: unknown unit
        "P-007,Gift box,,,,99,,combo",  # 8: combo
        "P-008,Old tea renamed,6900000000017,,,12,,",  # 9: new code, barcode of an existing product
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ = cls.env["product.category"].create({"name": "Migration Test Goods"})
        cls.old = cls.env["product.product"].create(
            {"name": "Old tea", "default_code": "OLD-1", "barcode": "6900000000017", "list_price": 10.0}
        )

    def test_first_import_then_reimport(self):
        profile = self._profile("product")
        job = self._import(profile, self.FILE)
        self.assertEqual(job.state, "done")
        self.assertCounts(job, read=8, create=3, merge=1, reject=4)
        reasons = self._reasons(job)
        self.assertEqual(set(reasons), {5, 6, 7, 8})
        self.assertIn("Duplicate of row 2", reasons[5])
        self.assertIn("-5 is below the minimum", reasons[6])
        self.assertIn("Unknown unit of measure 箱", reasons[7])
        self.assertIn("combo", reasons[8])

        Product = self.env["product.product"].with_context(active_test=False)
        tea = Product.search([("default_code", "=", "P-001")])
        self.assertRecordValues(tea, [{
            "name": "乌龙茶 250g", "barcode": "6901234567892", "list_price": 35.5, "standard_price": 20.0,
            "type": "consu", "is_storable": False, "uom_id": self.env.ref("uom.product_uom_unit").id,
        }])
        self.assertEqual(tea.categ_id.complete_name, "Drinks / Tea")
        nuts = Product.search([("default_code", "=", "P-002")])
        self.assertRecordValues(nuts, [{
            "categ_id": self.categ.id, "uom_id": self.env.ref("uom.product_uom_kgm").id, "list_price": 88.0,
            "standard_price": 60.25, "type": "consu", "is_storable": True,
        }])
        service = Product.search([("default_code", "=", "P-003")])
        self.assertRecordValues(service, [{"type": "service", "list_price": 120.0,
                                           "uom_id": self.env.ref("uom.product_uom_hour").id}])
        self.assertEqual(service.categ_id.complete_name, "Services (mig)")
        # merged by barcode: the existing product took the new code and values, nothing duplicated
        self.assertRecordValues(self.old, [{"default_code": "P-008", "name": "Old tea renamed", "list_price": 12.0}])
        self.assertEqual(Product.search_count([("barcode", "=", "6900000000017")]), 1)
        self.assertFalse(Product.search([("default_code", "in", ["P-005", "P-006", "P-007"])]))

        # the same file again: every accepted row unchanged, nothing written, no category added
        categories = self.env["product.category"].search_count([])
        with self._no_write("product"):
            again = self._import(profile, self.FILE)
        self.assertCounts(again, read=8, update=4, unchanged=4, reject=4)
        self.assertEqual(self.env["product.category"].search_count([]), categories)
        self.assertEqual(Product.search_count([("default_code", "in", ["P-001", "P-002", "P-003", "P-008"])]), 4)

        # a changed price updates that product only
        changed = [self.HEADER, "P-001,乌龙茶 250g,6901234567892,Drinks / Tea,个,36,20,goods",
                   "P-002,每日坚果,6901234567908,migration test goods,kg,88,60.25,库存商品"]
        job = self._import(profile, changed)
        self.assertCounts(job, read=2, update=2, unchanged=1)
        self.assertEqual(tea.list_price, 36.0)

    def test_dry_run_writes_nothing(self):
        profile = self._profile("product")
        products = self.env["product.product"].search_count([])
        categories = self.env["product.category"].search_count([])
        job = self._job(profile, self.FILE)
        job.action_dry_run()
        self.assertEqual(job.state, "checked")
        self.assertCounts(job, read=8, create=3, merge=1, reject=4)
        self.assertEqual(self.env["product.product"].search_count([]), products)
        self.assertEqual(self.env["product.category"].search_count([]), categories)
        self.assertEqual(self.old.default_code, "OLD-1")
        preview = job.preview_ids.filtered(lambda p: p.row == 2)
        self.assertIn("Drinks / Tea", preview.message)

    def test_barcode_of_another_product_and_reject_policy(self):
        self.env["product.product"].create({"name": "Other", "default_code": "P-100", "barcode": "6900000000024"})
        profile = self._profile("product", dup_db_policy="reject")
        job = self._import(profile, [
            "商品编码,品名,条码",
            "P-100,Other,6900000000017",  # 2: existing code, barcode of OLD-1
            "P-101,New,6900000000024",  # 3: new code, barcode of P-100, policy reject
        ])
        self.assertCounts(job, read=2, reject=2)
        reasons = self._reasons(job)
        self.assertIn("6900000000017 is already used by product [OLD-1] Old tea", reasons[2])
        self.assertIn("6900000000024 is already used by product [P-100] Other", reasons[3])


@tagged("post_install", "-at_install")
class TestImportPrices(ImportTargetCase):
    HEADER = "商品编码,区域,层级,客户编码,单价,最低供货价,最低零售价"
    FILE = [
        HEADER,
        "PR-1,Zhejiang,TRD,,80,,",  # 2: regional distributors of Zhejiang → their rule's pricelist
        "PR-1,,TDL,,90,,",  # 3: dealers → the dealers' rule
        "PR-1,,,dl_hz,85,,",  # 4: one member → its own rule
        "PR-1,East (test),,,,60,95",  # 5: floors in the East
        "PR-2,Zhejiang,TRD,,25,,",  # 6: below the sell-in floor of the East (30)
        "PR-2,Jiangsu,TRD,,40,,",  # 7: no pricelist rule for this scope
        "PR-X,Zhejiang,TRD,,40,,",  # 8: unknown product
        "PR-1,Atlantis,TRD,,40,,",  # 9: unknown territory
        "PR-1,ZJ,Regional Distributor (test),,81,,",  # 10: same key as row 2 (by code and by name)
        "PR-2,Zhejiang,,,,120,",  # 11: floor above the list price (50)
        "PR-2,,TDL,,-3,,",  # 12: negative price
        "PR-2,,TDL,,45,,",  # 13: dealers
        "PR-1,East (test),TRD,,,50,",  # 14: floors with a tier
        "PR-2,East (test),,,,35,",  # 15: the existing floor of the East raised
        "PR-2,,,dl_hz,20000000,,",  # 16: absurd price
        "PR-2,Jiangsu,,,30,40,",  # 17: price below the row's own floor (and no pricelist for Jiangsu)
        "PR-1,,Emperor,,10,,",  # 18: unknown tier
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terr_zj.code = "ZJ"
        Product = cls.env["product.product"]
        cls.pr1 = Product.create({"name": "Green tea", "default_code": "PR-1", "list_price": 100.0})
        cls.pr2 = Product.create({"name": "Black tea", "default_code": "PR-2", "list_price": 50.0})
        Pricelist = cls.env["product.pricelist"]
        cls.pl_rd_zj = Pricelist.create({"name": "RD Zhejiang (mig)"})
        cls.pl_dl = Pricelist.create({"name": "Dealers (mig)"})
        cls.pl_vip = Pricelist.create({"name": "VIP Hangzhou (mig)"})
        cls.env["distribution.pricelist.rule"].create([
            {"tier_id": cls.tier_rd.id, "territory_id": cls.terr_zj.id, "pricelist_id": cls.pl_rd_zj.id},
            {"tier_id": cls.tier_dl.id, "pricelist_id": cls.pl_dl.id},
            {"member_id": cls.members["dl_hz"].id, "pricelist_id": cls.pl_vip.id, "priority": 20},
        ])
        cls.floor_east = cls.env["distribution.price.floor"].create(
            {"product_id": cls.pr2.id, "territory_id": cls.terr_east.id, "sell_in_floor": 30.0}
        )

    def _items(self, pricelist, product):
        return pricelist.item_ids.filtered(lambda item: item.product_id == product)

    def test_first_import_then_reimport(self):
        profile = self._profile("price")
        job = self._import(profile, self.FILE)
        self.assertCounts(job, read=17, create=5, update=1, reject=11)
        reasons = self._reasons(job)
        self.assertEqual(set(reasons), {6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18})
        self.assertIn("below the minimum sell-in price of [PR-2] Black tea @ East (test)", reasons[6])
        self.assertIn("No channel pricelist is assigned to TRD / Jiangsu", reasons[7])
        self.assertIn("Unknown product PR-X", reasons[8])
        self.assertIn("Unknown territory Atlantis", reasons[9])
        self.assertIn("Duplicate of row 2", reasons[10])
        self.assertIn("above the list price", reasons[11])
        self.assertIn("-3 is below the minimum", reasons[12])
        self.assertIn("per product and territory", reasons[14])
        self.assertIn("20000000 is above the maximum", reasons[16])
        self.assertIn("below the minimum sell-in price", reasons[17])
        self.assertIn("of the same row", reasons[17])
        self.assertIn("No channel pricelist is assigned to Jiangsu", reasons[17])
        self.assertIn("Unknown tier Emperor", reasons[18])

        self.assertEqual(self._items(self.pl_rd_zj, self.pr1).mapped("fixed_price"), [80.0])
        self.assertEqual(self._items(self.pl_dl, self.pr1).mapped("fixed_price"), [90.0])
        self.assertEqual(self._items(self.pl_vip, self.pr1).mapped("fixed_price"), [85.0])
        self.assertEqual(self._items(self.pl_dl, self.pr2).mapped("fixed_price"), [45.0])
        self.assertFalse(self._items(self.pl_rd_zj, self.pr2))
        Floor = self.env["distribution.price.floor"]
        self.assertRecordValues(
            Floor.search([("product_id", "=", self.pr1.id)]),
            [{"territory_id": self.terr_east.id, "sell_in_floor": 60.0, "resale_floor": 95.0}],
        )
        self.assertRecordValues(self.floor_east, [{"sell_in_floor": 35.0, "resale_floor": 0.0}])
        # what members are quoted: the imported price of their pricelist
        for key, price in (("rd_zj", 80.0), ("dl_nj", 90.0), ("dl_hz", 85.0)):
            order = self.env["sale.order"].create({
                "partner_id": self.members[key].partner_id.id,
                "order_line": [Command.create({"product_id": self.pr1.id, "product_uom_qty": 1})],
            })
            self.assertEqual(order.order_line.price_unit, price, key)

        # the same file again: nothing to write
        with self._no_write("price"):
            again = self._import(profile, self.FILE)
        self.assertCounts(again, read=17, update=6, unchanged=6, reject=11)

        # a changed price updates the item in place
        job = self._import(profile, [self.HEADER, "PR-1,Zhejiang,TRD,,82,,", "PR-1,,TDL,,90,,"])
        self.assertCounts(job, read=2, update=2, unchanged=1)
        self.assertEqual(self._items(self.pl_rd_zj, self.pr1).mapped("fixed_price"), [82.0])


@tagged("post_install", "-at_install")
class TestImportBalances(ImportTargetCase):
    HEADER = "客户编码,期初余额,日期,摘要"
    FILE = [
        HEADER,
        'm-b1,"1,200.50",2025-12-31,legacy A',  # 2: owes 1,200.50
        "M-B2,-300,2025-12-31,prepaid",  # 3: prepaid 300
        "M-B3,0,2025-12-31,",  # 4: nothing to post
        "M-X,100,2025-12-31,",  # 5: unknown member
        "M-B2,50,2025-12-31,",  # 6: duplicate
        "M-B4,20000000,2025-12-31,",  # 7: absurd
        "M-B5,10,1999-12-31,",  # 8: date out of range
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.balance_members = {}
        for number in range(1, 6):
            partner = cls.env["res.partner"].create({"name": f"Balance member {number}", "is_company": True})
            cls.balance_members[number] = cls.env["distribution.member"].create({
                "partner_id": partner.id, "code": f"M-B{number}", "tier_id": cls.tier_st.id, "state": "active",
            })
        cls.journal = cls.company_data["default_journal_misc"]
        cls.equity = cls.env["account.account"].search([
            *cls.env["account.account"]._check_company_domain(cls.env.company),
            ("account_type", "=", "equity_unaffected"),
        ], limit=1)

    def _moves(self):
        return self.env["account.move"].search([("journal_id", "=", self.journal.id), ("ref", "like", "Opening")],
                                               order="id")

    def _receivable(self, number):
        """The member's receivable from posted journal entries."""
        partner = self.balance_members[number].partner_id
        lines = self.env["account.move.line"].search([
            ("partner_id", "=", partner.id), ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
        ])
        return round(sum(lines.mapped("balance")), 2)

    def test_first_import_adjustment_and_reimport(self):
        profile = self._profile("balance")
        job = self._import(profile, self.FILE)
        self.assertCounts(job, read=7, create=2, update=1, unchanged=1, reject=4)
        reasons = self._reasons(job)
        self.assertEqual(set(reasons), {5, 6, 7, 8})
        self.assertIn("Unknown member M-X", reasons[5])
        self.assertIn("Duplicate of row 3", reasons[6])
        self.assertIn("beyond the maximum", reasons[7])
        self.assertIn("before 2000-01-01", reasons[8])

        move = self._moves()
        self.assertEqual(len(move), 1)
        self.assertRecordValues(move, [{"state": "posted", "date": date(2025, 12, 31), "move_type": "entry"}])
        receivable_b1 = self.balance_members[1].partner_id.property_account_receivable_id
        self.assertRecordValues(move.line_ids.sorted("balance"), [
            {"account_id": self.equity.id, "partner_id": False, "debit": 0.0, "credit": 900.50},
            {"account_id": receivable_b1.id, "partner_id": self.balance_members[2].partner_id.id,
             "debit": 0.0, "credit": 300.0},
            {"account_id": receivable_b1.id, "partner_id": self.balance_members[1].partner_id.id,
             "debit": 1200.50, "credit": 0.0},
        ])
        self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        self.assertEqual([self._receivable(n) for n in (1, 2, 3)], [1200.50, -300.0, 0.0])

        # the same file again: no entry, every accepted row unchanged
        with self._no_write("balance"):
            again = self._import(profile, self.FILE)
        self.assertCounts(again, read=7, update=3, unchanged=3, reject=4)
        self.assertEqual(len(self._moves()), 1)

        # B1 lowered, B3 given a balance: one adjusting entry of the differences only
        changed = [self.HEADER, "M-B1,1000,2026-01-05,", "M-B2,-300,2026-01-05,", "M-B3,250,2026-01-05,"]
        job = self._import(profile, changed)
        self.assertCounts(job, read=3, create=1, update=2, unchanged=1)
        moves = self._moves()
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves[0], move)
        self.assertRecordValues(move, [{"state": "posted"}])
        self.assertEqual(sum(move.line_ids.mapped("debit")), 1200.50)
        adjustment = moves[1]
        self.assertRecordValues(adjustment, [{"state": "posted", "date": date(2026, 1, 5)}])
        self.assertRecordValues(adjustment.line_ids.sorted("balance"), [
            {"partner_id": self.balance_members[1].partner_id.id, "debit": 0.0, "credit": 200.50},
            {"partner_id": False, "debit": 0.0, "credit": 49.50},
            {"partner_id": self.balance_members[3].partner_id.id, "debit": 250.0, "credit": 0.0},
        ])
        self.assertEqual([self._receivable(n) for n in (1, 2, 3)], [1000.0, -300.0, 250.0])
        with self._no_write("balance"):
            job = self._import(profile, changed)
        self.assertCounts(job, read=3, update=3, unchanged=3)

    def test_entry_reset_to_draft_no_longer_counts(self):
        profile = self._profile("balance")
        self._import(profile, [self.HEADER, "M-B1,500,2025-12-31,"])
        self._moves().button_draft()
        job = self._import(profile, [self.HEADER, "M-B1,500,2025-12-31,"])
        self.assertCounts(job, read=1, create=1)
        self.assertEqual(self._receivable(1), 500.0)

    def test_locked_period_rejected(self):
        self.env.company.sudo().fiscalyear_lock_date = date(2025, 12, 31)
        job = self._job(self._profile("balance"), [self.HEADER, "M-B1,500,2025-12-31,", "M-B2,10,2026-01-02,"])
        job.action_dry_run()
        self.assertCounts(job, read=2, create=1, reject=1)
        self.assertIn("locked period", self._reasons(job)[2])


@tagged("post_install", "-at_install")
class TestImportCodes(ImportTargetCase):
    HEADER = "防伪码,商品编码,批号,客户编码,区域,日期,状态"
    FILE = [
        HEADER,
        "ab-c0-01,PC-1,L1,dl_hz,,2025-11-02,",  # 2: bound to the Hangzhou dealer
        "XYZ-0002,PC-1,,,,,",  # 3: not delivered yet
        "XYZ-0003,PC-1,,RD_ZJ,Zhejiang,2025-11-03,已售",  # 4: sold
        "abc 0-01,PC-1,,,,,",  # 5: the same code as row 2
        "XTRA0001,PC-1,,DL_HZ,,2025-11-04,",  # 6: a known unbound code, now bound
        "BNDX0001,PC-1,,DL_HZ,,,",  # 7: already bound to another member
        "XYZ-0004,PS-1,,,,,",  # 8: a service
        "XYZ-0005,PC-1,L9,,,,",  # 9: unknown lot
        "XYZ-0006,PC-1,,NOPE,,,",  # 10: unknown member
        "XYZ-0007,PC-1,,DL_HZ,,,新建",  # 11: new yet bound
        "XYZ#0008,PC-1,,,,,",  # 12: not a code
        "XYZ-0009,PC-1,,,,1999-01-01,",  # 13: date out of range
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.goods = Product.create({"name": "Tea tin", "default_code": "PC-1", "type": "consu"})
        cls.service = Product.create({"name": "Tasting", "default_code": "PS-1", "type": "service"})
        cls.lot = cls.env["stock.lot"].create({"name": "L1", "product_id": cls.goods.id})
        Code = cls.env["distribution.code"]
        cls.known = Code.create({"name": "XTRA0001", "product_id": cls.goods.id})
        cls.bound_elsewhere = Code.create({"name": "BNDX0001", "product_id": cls.goods.id})
        cls.bound_elsewhere._bind(cls.members["dl_nj"])

    def _code(self, name):
        return self.env["distribution.code"].search([("name", "=", name)])

    def test_first_import_then_reimport(self):
        profile = self._profile("code")
        job = self._import(profile, self.FILE)
        self.assertCounts(job, read=12, create=3, update=1, reject=8)
        reasons = self._reasons(job)
        self.assertEqual(set(reasons), {5, 7, 8, 9, 10, 11, 12, 13})
        self.assertIn("Duplicate of row 2", reasons[5])
        self.assertIn("already bound to [DL_NJ] Nanjing Dealer", reasons[7])
        self.assertIn("not goods", reasons[8])
        self.assertIn("Lot L9", reasons[9])
        self.assertIn("Unknown member NOPE", reasons[10])
        self.assertIn("not bound yet", reasons[11])
        self.assertIn("cannot be a unit code", reasons[12])
        self.assertIn("before 2000-01-01", reasons[13])

        dl_hz, rd_zj = self.members["dl_hz"], self.members["rd_zj"]
        bound = self._code("ABC001")
        self.assertRecordValues(bound, [{
            "product_id": self.goods.id, "lot_id": self.lot.id, "member_id": dl_hz.id,
            "territory_id": self.terr_hz.id, "level": 3, "state": "bound", "kind": "unit",
        }])
        self.assertRecordValues(bound.binding_ids, [{
            "member_id": dl_hz.id, "territory_id": self.terr_hz.id, "level": 3, "date": datetime(2025, 11, 2),
        }])
        self.assertRecordValues(self._code("XYZ0002"), [{"state": "new", "member_id": False, "level": 0}])
        self.assertFalse(self._code("XYZ0002").binding_ids)
        sold = self._code("XYZ0003")
        self.assertRecordValues(sold, [{
            "state": "sold", "member_id": rd_zj.id, "territory_id": self.terr_zj.id, "level": 2,
            "date_sold": datetime(2025, 11, 3),
        }])
        self.assertEqual(sold.binding_ids.level, 2)
        self.assertRecordValues(self.known, [{"state": "bound", "member_id": dl_hz.id, "level": 3}])
        self.assertEqual(self.known.binding_ids.member_id, dl_hz)
        self.assertRecordValues(self.bound_elsewhere, [{"member_id": self.members["dl_nj"].id}])
        # core goes on from the imported binding: the dealer delivers the unit to its store
        bound._bind(self.members["st_hz"])
        self.assertEqual(bound.binding_ids.mapped("level"), [3, 4])

        # the same file again: nothing written, although the database is now ahead of the file for
        # ABC001 (delivered on to the store since): the dealer's delivery is recorded, so unchanged
        bindings = self.env["distribution.code.binding"].search_count([])
        with self._no_write("code"):
            again = self._import(profile, self.FILE)
        self.assertCounts(again, read=12, update=4, unchanged=4, reject=8)
        self.assertEqual(self.env["distribution.code.binding"].search_count([]), bindings)

        # the unbound code delivered since: bound by the next import
        job = self._import(profile, [self.HEADER, "XYZ-0002,PC-1,,DL_HZ,,2025-12-01,"])
        self.assertCounts(job, read=1, update=1)
        self.assertRecordValues(self._code("XYZ0002"), [{"state": "bound", "member_id": dl_hz.id, "level": 3}])

        # the codes carry no check character of ours: the scans now look such codes up
        self.assertEqual(self.env["ir.config_parameter"].get_param("distribution_diversion.legacy_codes"), "1")
        public = self.env["distribution.code.scan"].with_user(self.env.ref("base.public_user")).sudo()
        self.assertEqual(public._record_scan("abc-001", "public")["result"], "genuine")
        # a code no scan would find is refused
        job = self._import(profile, [self.HEADER, "AB-12,PC-1,,,,,"])
        self.assertCounts(job, read=1, reject=1)
        self.assertIn("cannot be scanned", self._reasons(job)[2])
