import base64
import io
import json
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MigrationCommon

HEADER = ["客户编码", "客户名称", "渠道层级", "上级客户编码", "销售区域", "税号", "手机", "邮箱", "地址", "城市", "联系人",
          "状态", "信用额度"]


@tagged("post_install", "-at_install")
class TestImportMember(MigrationCommon):
    def _member_snapshot(self, codes):
        members = self.env["distribution.member"].search([("code", "in", codes)])
        return {
            member.code: (member.write_date, member.partner_id.write_date, member.partner_id.child_ids.write_date)
            for member in members
        }

    # ------------------------------------------------------------------
    # Creating, order of parents, what the SQL create does
    # ------------------------------------------------------------------
    def test_create_members_parents_in_any_order(self):
        rows = [
            HEADER,
            # a store whose dealer comes LATER in the file
            ["st-1", "西湖 门店", "MST", "DL-1", "Mig Hangzhou", "", "13800138001", "", "湖滨路 1 号", "杭州", "王五",
             "正常", "0"],
            ["DL-1", "杭州 经销商", "Mig Dealer", "MIG-RD", "MHZ", "91330100DL00000011", "0571-88888888",
             "dl1@example.cn", "延安路 2 号", "杭州", "李四", "", "50,000"],
            ["DL-2", "苏州 经销商", "MDL", "MIG-RD", "Mig East / Mig Jiangsu", "", "", "", "", "", "", "暂停", ""],
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(job.state, "done")
        self.assertEqual(self._counts(job), {"read": 3, "create": 3, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 0})
        dealer, store, dealer2 = self._member("DL-1"), self._member("ST-1"), self._member("DL-2")
        self.assertEqual(store.parent_id, dealer)
        self.assertEqual(dealer.parent_id, self.rd)
        self.assertEqual(store.parent_path, f"{self.ga.id}/{self.rd.id}/{dealer.id}/{store.id}/")
        self.assertEqual(dealer.parent_path, f"{self.ga.id}/{self.rd.id}/{dealer.id}/")
        self.assertEqual(self.rd.child_ids, dealer | dealer2)
        self.assertEqual(dealer.territory_id, self.terr_hz)
        self.assertEqual(dealer2.territory_id, self.terr_js)
        self.assertEqual(dealer.tier_id, self.tier_dl)
        self.assertEqual((dealer.state, store.state, dealer2.state), ("active", "active", "suspended"))
        self.assertTrue(dealer.date_activated and dealer2.date_suspended)
        self.assertEqual(dealer.credit_limit, 50000.0)
        self.assertEqual(dealer.company_id, self.env.company)
        self.assertEqual(dealer.manager_id, self.env.user)
        # the company partner, as the ORM would have made it
        partner = dealer.partner_id
        self.assertEqual(dealer.name, "杭州 经销商")
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.commercial_partner_id, partner)
        self.assertEqual(partner.complete_name, "杭州 经销商")
        self.assertEqual(partner.vat, "91330100DL00000011")
        self.assertEqual(partner.phone, "+8657188888888")
        self.assertEqual(partner.email, "dl1@example.cn")
        self.assertEqual(partner.email_normalized, "dl1@example.cn")
        self.assertEqual((partner.street, partner.city), ("延安路 2 号", "杭州"))
        self.assertEqual(partner.channel_member_id, dealer)
        self.assertEqual(partner.channel_tier_id, self.tier_dl)
        # the contact person
        contact = partner.child_ids
        self.assertEqual(contact.name, "李四")
        self.assertEqual(contact.commercial_partner_id, partner)
        self.assertEqual(contact.complete_name, "杭州 经销商, 李四")
        self.assertEqual(contact.vat, partner.vat)
        self.assertEqual(contact.city, "杭州")
        # stored computes depending on members are up to date
        self.assertEqual(self.terr_hz.member_count, 2)  # the dealer and the store
        self.assertTrue(self.terr_hz.covered)
        self.assertEqual(self.env["distribution.member"].search([("id", "child_of", self.rd.id)]),
                         self.rd | dealer | dealer2 | store)
        # the log
        self.assertTrue(job.name.startswith("IMP/"))
        self.assertIn("3 rows read: 3 created", job.message_ids[0].body)
        self.assertTrue(job.date_done)

    def test_sql_create_matches_orm_create(self):
        """The fast path leaves the same records as core's create would."""
        pricelist = self.env["product.pricelist"].create({"name": "Mig dealer prices"})
        self.tier_dl.pricelist_id = pricelist
        rows = [
            ["code", "name", "tier", "parent", "territory", "vat", "phone", "email", "contact", "status", "credit limit"],
            ["{p}1", "Dealer {p}", "MDL", "MIG-RD", "MHZ", "91330100{p}0000001", "1380013800{n}", "A@Example.cn",
             "Contact {p}", "application", "10"],
            ["{p}2", "Store {p}", "MST", "{p}1", "", "", "", "", "", "terminated", ""],
        ]

        def file(prefix, number):
            return self._csv([[cell.format(p=prefix, n=number) for cell in row] for row in rows])

        self._import(file("SQL", 1))
        orm_job = self._job(file("ORM", 2))
        orm_job.with_context(distribution_import_orm=True).action_import()
        self.assertEqual(orm_job.rows_create, 2, self._reasons(orm_job))
        self.env.invalidate_all()

        def snapshot(prefix):
            result = []
            for code in (f"{prefix}1", f"{prefix}2"):
                member = self._member(code)
                partner = member.partner_id
                result.append({
                    "name": member.name.replace(prefix, ""),
                    "parent": member.parent_id.code and member.parent_id.code.replace(prefix, ""),
                    "depth": member.parent_path.count("/"),
                    "tier": member.tier_id, "tier_sequence": member.tier_sequence, "territory": member.territory_id,
                    "state": member.state, "date_applied": member.date_applied,
                    "date_activated": member.date_activated, "date_terminated": member.date_terminated,
                    "manager": member.manager_id, "company": member.company_id, "credit": member.credit_limit,
                    "pricelist": member.pricelist_id,
                    "partner_pricelist": partner.specific_property_product_pricelist,
                    "partner": [
                        (p.is_company, p.type, p.complete_name.replace(prefix, ""), p.commercial_partner_id == partner,
                         (p.commercial_company_name or "").replace(prefix, ""), p.partner_share, p.email_normalized,
                         (p.phone_sanitized or "")[:-1], p.lang, p.active, (p.channel_member_id.code or "").replace(prefix, ""),
                         (p.vat or "").replace(prefix, ""), p.autopost_bills, p.customer_rank, p.supplier_rank,
                         p.user_id, p.company_registry, p.commercial_partner_id.id == partner.id,
                         *(p[name] for name in ("employee", "peppol_eas", "peppol_endpoint") if name in p._fields),
                         bool(p.properties))
                        for p in partner | partner.child_ids
                    ],
                })
            return result

        self.assertEqual(snapshot("SQL"), snapshot("ORM"))
        self.assertEqual(self._member("SQL1").pricelist_id, pricelist)
        self.assertEqual(self._member("SQL1").partner_id.property_product_pricelist, pricelist)

    def test_special_characters_survive_the_bulk_write(self):
        """Values go through COPY's text format: backslashes, quotes and what looks like
        its NULL marker are stored as written."""
        name = 'A\\B "quoted" \\N 名\u00e9'
        job = self._import(self._csv([
            ["code", "name", "tier", "street", "contact"],
            ["Q1", name, "MST", "C:\\path\\to", "\\N"],
        ]))
        self.assertEqual(job.rows_create, 1, self._reasons(job))
        member = self._member("Q1")
        self.assertEqual(member.name, name)
        self.assertEqual(member.partner_id.street, "C:\\path\\to")
        self.assertEqual(member.partner_id.child_ids.name, "\\N")

    # ------------------------------------------------------------------
    # Dry run
    # ------------------------------------------------------------------
    def test_dry_run_writes_nothing(self):
        Member, Partner = self.env["distribution.member"], self.env["res.partner"]
        before = (Member.search_count([]), Partner.with_context(active_test=False).search_count([]))
        rd_write = self.rd.write_date
        rows = [
            ["code", "name", "tier", "parent", "credit limit"],
            ["N1", "New one", "MST", "MIG-RD", "5"],
            ["MIG-RD", "Renamed RD", "MRD", "MIG-GA", "9"],
            ["N2", "Broken", "nope", "", ""],
        ]
        job = self._dry_run(self._csv(rows))
        self.assertEqual(job.state, "checked")
        self.assertTrue(job.date_checked)
        self.assertEqual(self._counts(job), {"read": 3, "create": 1, "update": 1, "unchanged": 0, "merge": 0,
                                             "reject": 1})
        self.assertEqual((Member.search_count([]), Partner.with_context(active_test=False).search_count([])), before)
        self.assertEqual(self.rd.name, "Mig RD Co")
        self.assertEqual(self.rd.write_date, rd_write)
        preview = {line.row: (line.action, line.key) for line in job.preview_ids}
        self.assertEqual(preview, {2: ("create", "N1"), 3: ("update", "MIG-RD"), 4: ("reject", "N2")})
        self.assertIn("Unknown tier nope.", self._reasons(job)[4])
        # the real run re-reads the file and agrees with the dry run
        job.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual(self._counts(job)["create"], 1)
        self.assertEqual(self.rd.name, "Renamed RD")
        self.assertEqual(self.rd.credit_limit, 9.0)

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    def test_duplicates_in_file_rejected(self):
        rows = [
            ["code", "name", "tier", "vat", "phone"],
            ["A1", "First", "MST", "VAT-A1", "13800000001"],
            ["B1", "Other", "MST", "", "13800000002"],
            [" a1 ", "Same code", "MST", "", ""],  # same code once normalised
            ["C1", "Same VAT", "MST", "vat a1", ""],  # same VAT once normalised
            ["D1", "Same phone", "MST", "", "+86 138 0000 0002"],
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 5, "create": 2, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 3})
        reasons = self._reasons(job)
        self.assertEqual(reasons[4], "Duplicate of row 2 (same Member Code).")
        self.assertEqual(reasons[5], "Duplicate of row 2 (same Tax ID).")
        self.assertEqual(reasons[6], "Duplicate of row 3 (same Phone).")
        self.assertEqual(self._member("A1").name, "First")

    def test_duplicates_in_file_merged(self):
        self.profile.dup_file_policy = "merge"
        rows = [
            ["code", "name", "tier", "phone", "email", "city"],
            ["A1", "First", "MST", "13800000001", "", "Hangzhou"],
            ["A1", "", "MST", "13800000009", "a1@example.cn", ""],  # later non-empty values win
            ["A1", "Last name", "", "", "", ""],
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 3, "create": 1, "update": 0, "unchanged": 0, "merge": 2,
                                             "reject": 0})
        member = self._member("A1")
        self.assertEqual(member.name, "Last name")
        self.assertEqual(member.phone, "+8613800000009")
        self.assertEqual(member.email, "a1@example.cn")
        self.assertEqual(member.partner_id.city, "Hangzhou")
        preview = {line.row: (line.action, line.message) for line in job.preview_ids}
        self.assertEqual(preview[3], ("merge", "Merged into row 2."))

    def test_merged_into_a_rejected_row_is_rejected(self):
        self.profile.dup_file_policy = "merge"
        job = self._import(self._csv([
            ["code", "name", "tier"],
            ["A1", "First", "MST"],
            ["A1", "", "unknown tier"],  # folded into row 2, whose tier becomes unknown
        ]))
        self.assertEqual(self._counts(job)["reject"], 2)
        self.assertEqual(self._reasons(job)[3], "Merged into row 2, which is rejected.")

    def test_duplicates_against_database(self):
        other = self.env["distribution.member"].create({
            "partner_id": self.env["res.partner"].create(
                {"name": "Other RD", "is_company": True, "phone": "139-0000-0002"}).id,
            "code": "MIG-RD2", "tier_id": self.tier_rd.id, "parent_id": self.ga.id, "state": "active",
        })
        rows = [
            ["code", "name", "tier", "parent", "vat", "phone", "credit limit"],
            ["mig-rd", "Mig RD Co", "MRD", "MIG-GA", "", "", "300"],  # same code: update
            ["NEW-1", "RD by VAT", "", "", "91330000migrd0001x", "", "77"],  # new code, RD's VAT: merge
            ["NEW-2", "RD2 by phone", "", "", "", "+8613900000002", ""],  # new code, RD2's phone: merge
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 3, "create": 0, "update": 1, "unchanged": 0, "merge": 2,
                                             "reject": 0})
        self.assertEqual(self.rd.credit_limit, 77.0)  # row 2 set 300, row 3 merged into it later
        self.assertEqual(self.rd.name, "RD by VAT")
        self.assertEqual(self.rd.code, "MIG-RD")  # a merge keeps the stored code
        self.assertEqual(other.name, "RD2 by phone")
        self.assertFalse(self._member("NEW-1") | self._member("NEW-2"))
        # RD's tax ID and RD2's phone: ambiguous
        job = self._import(self._csv([
            ["code", "name", "tier", "vat", "phone"],
            ["NEW-3", "Ambiguous", "MST", "91330000MIGRD0001X", "13900000002"],
        ]))
        self.assertEqual(self._reasons(job), {2: "Tax ID or phone matches several members: MIG-RD, MIG-RD2."})

    def test_duplicates_against_database_rejected_by_policy(self):
        self.profile.dup_db_policy = "reject"
        job = self._import(self._csv([
            ["code", "name", "tier", "vat"],
            ["NEW-1", "RD by VAT", "MST", "91330000MIGRD0001X"],
            ["NEW-2", "Steals a VAT", "MST", ""],
        ]))
        self.assertEqual(self._counts(job)["reject"], 1)
        self.assertEqual(self._reasons(job)[2], "Same tax ID or phone as member MIG-RD.")
        # a VAT already registered for another member cannot be given to an updated one either
        job = self._import(self._csv([["code", "name", "tier", "vat"], ["NEW-2", "Steals a VAT", "MST",
                                                                         "91330000MIGRD0001X"]]))
        self.assertIn("already registered for member MIG-RD", self._reasons(job)[2])

    # ------------------------------------------------------------------
    # Encodings and formats
    # ------------------------------------------------------------------
    def test_gbk_csv(self):
        rows = [HEADER, ["G1", "宁波 经销商", "MDL", "MIG-RD", "", "", "", "", "中山路", "宁波", "赵六", "正常", "1000"]]
        for encoding in ("auto", "gbk"):
            job = self._import(self._csv(rows, encoding="gbk"), encoding=encoding)
            self.assertEqual(job.rows_reject, 0, encoding)
            self.assertEqual([c.field_id.key for c in job.column_ids.sorted("position")],
                             ["code", "name", "tier", "parent", "territory", "vat", "phone", "email", "street",
                              "city", "contact", "state", "credit_limit"])
        member = self._member("G1")
        self.assertEqual(member.name, "宁波 经销商")
        self.assertEqual(member.partner_id.child_ids.name, "赵六")
        # GBK read as UTF-8: a clear error
        job = self.env["distribution.import.job"].create({
            "profile_id": self.profile.id, "file": base64.b64encode(self._csv(rows, encoding="gbk")),
            "file_name": "members.csv", "encoding": "utf-8",
        })
        with self.assertRaisesRegex(UserError, "cannot be read as utf-8"):
            job.action_read_file()

    def test_xlsx(self):
        self.profile.code_pad_width = 6
        rows = [
            ["Code", "Name", "Tier", "Credit limit", "Phone"],
            [123, "Numeric code", "MST", 5000.0, 13800138000],
            ["X2", "Text code", "MST", 12.5, "138 0013 8002"],
        ]
        job = self._import(self._xlsx(rows), file_name="members.xlsx")
        self.assertEqual(job.rows_create, 2, self._reasons(job))
        member = self._member("000123")
        self.assertEqual(member.credit_limit, 5000.0)
        self.assertEqual(member.phone, "+8613800138000")
        self.assertEqual(self._member("X2").credit_limit, 12.5)
        self.assertEqual(job.column_ids.sorted("position")[0].sample, "123 | X2")

    def test_broken_rows_in_the_middle(self):
        content = self._csv([
            ["code", "name", "tier", "credit limit"],
            ["R1", "Fine", "MST", "1"],
            ["R2", "Extra cell", "MST", "2", "surprise"],
            ["R3", "Too few"],
            ["R4", "Bad number", "MST", "1.2.3"],
            ["", "", "", ""],  # an empty row is skipped, not counted
            ["R5", "Fine too", "MST", "5", ""],  # an empty trailing cell is harmless
        ])
        job = self._import(content)
        self.assertEqual(self._counts(job), {"read": 5, "create": 2, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 3})
        reasons = self._reasons(job)
        self.assertEqual(reasons[3], "The row has 5 cells where the header has 4.")
        self.assertEqual(reasons[4], "The row has 2 cells where the header has 4.")
        self.assertEqual(reasons[5], "Credit Limit: 1.2.3 is not a number.")
        self.assertEqual(json.loads(job.reject_ids.filtered(lambda r: r.row == 5).values),
                         {"code": "R4", "name": "Bad number", "tier": "MST", "credit limit": "1.2.3"})
        self.assertTrue(self._member("R1") and self._member("R5"))
        # the rejected rows, ready to fix and import again
        self.assertEqual(job.rejected_file_name, "members-rejected.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.rejected_file))).active
        values = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(values[0][:5], ["code", "name", "tier", "credit limit", "Reason / 原因"])
        self.assertEqual(values[1][:6], ["R2", "Extra cell", "MST", "2", reasons[3], "surprise"])
        self.assertEqual(values[2][:5], ["R3", "Too few", "", "", reasons[4]])
        self.assertEqual(values[3][:5], ["R4", "Bad number", "MST", "1.2.3", reasons[5]])
        action = job.action_download_rejected()
        self.assertEqual(action["url"], f"/web/content/distribution.import.job/{job.id}/rejected_file/"
                                        "members-rejected.xlsx?download=true")
        # fixed and imported again with the same profile: the reason column is ignored
        fixed = self._xlsx([values[0], ["R4", "Bad number", "MST", "1.3", ""]])
        job2 = self._import(fixed, file_name="members-rejected.xlsx")
        self.assertEqual(self._counts(job2)["create"], 1)
        self.assertEqual(self._member("R4").credit_limit, 1.3)

    def test_rejected_rows_kept_or_rewritten_by_the_real_run(self):
        """The real run checks everything again: when it rejects the rows the dry run rejected,
        for the same reasons, their records and file are kept; when the database changed in
        between (here a member with the same tax ID), the rejects and the file are rewritten."""
        profile = self.profile.copy({"name": "Legacy ERP members (reject DB duplicates)", "dup_db_policy": "reject"})
        content = self._csv([
            ["code", "name", "tier", "credit limit", "vat"],
            ["K1", "Keep one", "MST", "1", "KVAT1"],
            ["K2", "Bad number", "MST", "x", "KVAT2"],
            ["K3", "Soon a duplicate", "MST", "3", "KVAT3"],
        ])
        job = self._dry_run(content, profile=profile)
        self.assertEqual(self._reasons(job), {3: "Credit Limit: x is not a number."})
        rejects, attachment = job.reject_ids, self._rejected_attachment(job)
        job.action_import()
        self.assertEqual(self._counts(job), {"read": 3, "create": 2, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 1})
        self.assertEqual(job.reject_ids, rejects)
        self.assertEqual(self._rejected_attachment(job), attachment)

        job2 = self._dry_run(self._csv([
            ["code", "name", "tier", "credit limit", "vat"],
            ["K4", "Bad number", "MST", "y", "KVAT4"],
            ["K5", "Soon a duplicate", "MST", "5", "KVAT5"],
        ]), profile=profile)
        rejects2 = job2.reject_ids
        self.env["distribution.member"].create({
            "partner_id": self.env["res.partner"].create({"name": "Registered meanwhile", "is_company": True,
                                                          "vat": "KVAT5"}).id,
            "code": "K5-OLD", "tier_id": self.tier_st.id,
        })
        job2.action_import()
        reasons = self._reasons(job2)
        self.assertEqual(sorted(reasons), [2, 3])
        self.assertEqual(reasons[2], "Credit Limit: y is not a number.")
        self.assertFalse(rejects2.exists(), "the rejects of the dry run are replaced")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job2.rejected_file))).active
        rows = [row[:1] + row[5:6] for row in sheet.iter_rows(values_only=True)][1:]
        self.assertEqual(rows, [("K4", reasons[2]), ("K5", reasons[3])])

    def _rejected_attachment(self, job):
        return self.env["ir.attachment"].search([
            ("res_model", "=", "distribution.import.job"), ("res_id", "=", job.id), ("res_field", "=", "rejected_file"),
        ])

    def test_unreadable_file_and_incomplete_mapping(self):
        job = self.env["distribution.import.job"].create({
            "profile_id": self.profile.id, "file": base64.b64encode(b"PK\x03\x04garbage"), "file_name": "x.xlsx",
        })
        with self.assertRaisesRegex(UserError, "XLSX file cannot be opened"):
            job.action_dry_run()
        job = self._job(self._csv([["name", "whatever"], ["A", "B"]]))
        with self.assertRaisesRegex(UserError, "Map a column to each required field: Member Code"):
            job.action_dry_run()

    # ------------------------------------------------------------------
    # Parents
    # ------------------------------------------------------------------
    def test_parent_problems(self):
        rows = [
            ["code", "name", "tier", "parent"],
            ["P1", "Cycle one", "MDL", "P2"],
            ["P2", "Cycle two", "MDL", "P1"],
            ["P3", "Unknown parent", "MST", "NOPE"],
            ["P4", "Own parent", "MST", "P4"],
            ["P5", "Same tier as parent", "MRD", "MIG-RD"],
            ["P6", "Child of a rejected row", "MDL", "P5"],
            ["P7", "Grandchild of a rejected row", "MST", "P6"],
            ["P8", "Fine", "MST", "MIG-RD"],
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job)["create"], 1)
        reasons = self._reasons(job)
        self.assertIn("Parent cycle: P1 → P2 → P1.", reasons[2])
        self.assertIn("Parent cycle", reasons[3])
        self.assertEqual(reasons[4], "Unknown parent member NOPE.")
        self.assertEqual(reasons[5], "A member cannot be its own parent.")
        self.assertEqual(reasons[6], "Parent MIG-RD is not of a higher tier than this member.")
        self.assertEqual(reasons[7], "Its parent (row 6) is rejected.")
        self.assertEqual(reasons[8], "Its parent (row 7) is rejected.")

    def test_parent_cycle_through_the_database(self):
        # GA under a new member placed under RD, itself under GA: a loop through stored members
        job = self._import(self._csv([
            ["code", "name", "tier", "parent"],
            ["MIG-GA", "Mig GA Co", "MGA", "X1"],
            ["X1", "Loop", "MDL", "MIG-RD"],
        ]))
        self.assertEqual(self._counts(job)["reject"], 2)
        self.assertIn("Parent cycle: MIG-GA → X1 → MIG-RD → MIG-GA.", self._reasons(job)[2])
        self.assertFalse(self.ga.parent_id)

    def test_tier_change_below_sub_members(self):
        job = self._import(self._csv([["code", "name", "tier"], ["MIG-GA", "Mig GA Co", "MDL"]]))
        self.assertIn("Its sub-member MIG-RD would not be of a lower tier any more.", self._reasons(job)[2])

    def test_exclusive_territory(self):
        rows = [
            ["code", "name", "tier", "territory", "status"],
            ["E1", "Hangzhou RD", "MRD", "MHZ", ""],  # RD of Zhejiang already covers Hangzhou
            ["E2", "Jiangsu RD", "MRD", "MJS", ""],
            ["E3", "Jiangsu RD again", "MRD", "MJS", ""],  # E2 took Jiangsu earlier in the file
            ["E4", "Applicant", "MRD", "MJS", "application"],  # not active: no claim
            ["E5", "Store", "MST", "MHZ", ""],  # stores are not exclusive
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job)["create"], 3)
        reasons = self._reasons(job)
        self.assertIn("overlaps the territory of MIG-RD", reasons[2])
        self.assertIn("overlaps the territory of row 3", reasons[4])

    # ------------------------------------------------------------------
    # Re-import, updates
    # ------------------------------------------------------------------
    def test_reimport_changes_nothing(self):
        rows = [
            HEADER,
            ["I1", "一号 经销商", "MDL", "MIG-RD", "MHZ", "91330100I100000011", "13800138011", "i1@example.cn",
             "路 1 号", "杭州", "联系人一", "正常", "1,000"],
            ["I2", "二号 门店", "MST", "I1", "", "", "13800138012", "", "", "", "", "申请", ""],
            ["MIG-RD", "Mig RD Co", "MRD", "MIG-GA", "MZJ", "91330000MIGRD0001X", "13900000001", "", "", "", "",
             "active", "0"],
            ["I3", "Rejected", "nope", "", "", "", "", "", "", "", "", "", ""],
        ]
        content = self._csv(rows)
        first = self._import(content)
        self.assertEqual(self._counts(first), {"read": 4, "create": 2, "update": 1, "unchanged": 1, "merge": 0,
                                               "reject": 1})
        self.env.flush_all()
        before = self._member_snapshot(["I1", "I2", "MIG-RD"])
        self.env.cr.execute("SELECT max(id) FROM res_partner")
        max_partner = self.env.cr.fetchone()[0]
        second = self._import(content)
        self.assertEqual(self._counts(second), {"read": 4, "create": 0, "update": 3, "unchanged": 3, "merge": 0,
                                                "reject": 1})
        self.assertEqual({line.action for line in second.preview_ids}, {"unchanged", "reject"})
        self.env.invalidate_all()
        self.assertEqual(self._member_snapshot(["I1", "I2", "MIG-RD"]), before)
        self.env.cr.execute("SELECT max(id) FROM res_partner")
        self.assertEqual(self.env.cr.fetchone()[0], max_partner)
        # a real change is an update, written and tracked
        rows[1][12] = "2000"
        rows[1][10] = "新联系人"
        third = self._import(self._csv(rows))
        self.assertEqual(self._counts(third)["update"], 3)
        self.assertEqual(self._counts(third)["unchanged"], 2)
        member = self._member("I1")
        self.assertEqual(member.credit_limit, 2000.0)
        self.assertEqual(member.partner_id.child_ids.name, "新联系人")

    def test_update_moves_member_and_subtree(self):
        first = self._import(self._csv([
            ["code", "name", "tier", "parent"],
            ["U1", "Dealer", "MDL", "MIG-RD"],
            ["U2", "Store", "MST", "U1"],
        ]))
        self.assertEqual(first.rows_create, 2)
        rd2 = self.env["distribution.member"].create({
            "partner_id": self.env["res.partner"].create({"name": "RD two", "is_company": True}).id,
            "code": "MIG-RD2", "tier_id": self.tier_rd.id, "parent_id": self.ga.id, "state": "active",
        })
        second = self._import(self._csv([["code", "parent"], ["U1", "MIG-RD2"]]))
        self.assertEqual(self._counts(second)["update"], 1)
        self.assertEqual(self._member("U2").parent_path, f"{self.ga.id}/{rd2.id}/{self._member('U1').id}/"
                                                         f"{self._member('U2').id}/")

    # ------------------------------------------------------------------
    # Database errors
    # ------------------------------------------------------------------
    def test_parents_created_in_earlier_batches(self):
        """One row per batch: each member's parent was created by an earlier batch, and its
        parent path and tier order are still right."""
        rows = [
            ["code", "name", "tier", "parent"],
            ["ST-9", "门店 9", "MST", "DL-9"],
            ["DL-9", "经销商 9", "MDL", "MIG-RD"],
            ["ST-8", "门店 8", "MST", "DL-9"],
        ]
        Job = type(self.env["distribution.import.job"])
        with patch.object(Job, "_import_batch_size", 1):
            job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 3, "create": 3, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 0})
        dealer, store9, store8 = self._member("DL-9"), self._member("ST-9"), self._member("ST-8")
        self.assertEqual(dealer.parent_path, f"{self.ga.id}/{self.rd.id}/{dealer.id}/")
        self.assertEqual(store9.parent_path, f"{dealer.parent_path}{store9.id}/")
        self.assertEqual(store8.parent_path, f"{dealer.parent_path}{store8.id}/")
        self.assertEqual(self.env["distribution.member"].search([("id", "child_of", dealer.id)]),
                         dealer | store9 | store8)

    def test_batch_failure_retried_in_halves(self):
        """Rows the database refuses (here: their codes were taken meanwhile) are rejected
        with the database's message; the rest of their batch and the other batches are
        imported (the refused batch is written again in halves, down to the refused rows)."""
        rows = [["code", "name", "tier", "territory"]] + [[f"B{i}", f"Batch {i}", "MST", "MHZ"] for i in range(1, 11)]
        Member = self.env["distribution.member"]
        members_before = self.terr_hz.member_count

        def take_codes(target, job, rows_):
            for code in ("B3", "B6"):
                Member.create({
                    "partner_id": self.env["res.partner"].create({"name": f"Concurrent {code}", "is_company": True}).id,
                    "code": code, "tier_id": self.tier_st.id,
                })
            self.env.flush_all()

        Target = type(self.env["distribution.import.target.member"])
        Job = type(self.env["distribution.import.job"])
        with patch.object(Target, "_before_write", take_codes, create=True), patch.object(Job, "_import_batch_size", 8):
            job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 10, "create": 8, "update": 0, "unchanged": 0, "merge": 0,
                                             "reject": 2})
        reasons = self._reasons(job)
        self.assertEqual(sorted(reasons), [4, 7])
        self.assertIn("Not imported: duplicate key value", reasons[4])
        self.assertIn("Not imported: duplicate key value", reasons[7])
        self.assertEqual(
            Member.search([("code", "in", [f"B{i}" for i in range(1, 11)])]).sorted(lambda m: int(m.code[1:])).mapped("name"),
            ["Batch 1", "Batch 2", "Concurrent B3", "Batch 4", "Batch 5", "Concurrent B6", "Batch 7", "Batch 8", "Batch 9",
             "Batch 10"],
        )
        # the territory counts the members of every batch (counted once, after the last batch)
        self.assertEqual(self.terr_hz.member_count, members_before + 8)

    def test_states_and_buttons(self):
        job = self._dry_run(self._csv([["code", "name", "tier"], ["S1", "One", "MST"]]))
        job.action_cancel()
        self.assertEqual(job.state, "cancel")
        with self.assertRaisesRegex(UserError, "cannot be done any more"):
            job.action_import()
        job.action_draft()
        job.action_import()
        self.assertEqual(job.state, "done")
        with self.assertRaisesRegex(UserError, "cannot be done any more"):
            job.action_dry_run()
        with self.assertRaisesRegex(UserError, "no rejected rows"):
            job.action_download_rejected()
        # every row rejected: failed
        failed = self._import(self._csv([["code", "name", "tier"], ["S2", "Two", "nope"]]))
        self.assertEqual(failed.state, "failed")
        # another file: columns read again, back to draft
        job2 = self._dry_run(self._csv([["code", "name", "tier"], ["S3", "Three", "MST"]]))
        job2.file = base64.b64encode(self._csv([["编码", "名称", "层级"], ["S3", "Three", "MST"]]))
        self.assertEqual(job2.state, "draft")
        self.assertFalse(job2.column_ids)
        job2.action_import()
        self.assertEqual(job2.rows_create, 1)
