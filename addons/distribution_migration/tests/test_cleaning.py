import datetime

from odoo.tests import BaseCase, tagged

from ..tools.cleaning import (
    CleaningError,
    CodeRules,
    clean_code,
    clean_email,
    clean_name,
    clean_phone,
    clean_vat,
    halfwidth,
    parse_bool,
    parse_date,
    parse_number,
    uscc_check_character,
)
from ..tools.reader import ReaderError, read_table, sniff_delimiter
from .common import MigrationCommon


@tagged("post_install", "-at_install")
class TestCleaningFunctions(BaseCase):
    """The pure cleaning functions, with expectations worked out by hand."""

    def test_halfwidth_and_names(self):
        self.assertEqual(halfwidth("ＡＢＣ１２３－（）"), "ABC123-()")
        self.assertEqual(halfwidth("a\u3000b"), "a b")  # ideographic space
        # names: trimmed, blanks collapsed, full-width characters kept
        self.assertEqual(clean_name("  杭州\u3000\u3000西湖  经销商 "), "杭州 西湖 经销商")
        self.assertEqual(clean_name("ＡＢＣ  Trading"), "ＡＢＣ Trading")

    def test_code_case_halfwidth_blanks(self):
        self.assertEqual(clean_code(" ｋｈ－００１ ", CodeRules.make()), "KH-001")
        self.assertEqual(clean_code("Kh 0 01", CodeRules.make(case="lower")), "kh001")
        self.assertEqual(clean_code("Kh001", CodeRules.make(case="keep")), "Kh001")
        self.assertEqual(clean_code("ｋｈ1", CodeRules.make(halfwidth=False)), "ｋｈ1".upper())
        with self.assertRaises(CleaningError):
            clean_code(" \u3000 ", CodeRules.make())

    def test_code_zero_padding(self):
        rules = CodeRules.make(pad_width=6)
        self.assertEqual(clean_code("123", rules), "000123")
        self.assertEqual(clean_code("１２３", rules), "000123")  # full-width digits first become half-width
        self.assertEqual(clean_code("1234567", rules), "1234567")  # longer codes are kept
        self.assertEqual(clean_code("A123", rules), "A123")  # only purely numeric codes are padded
        self.assertEqual(clean_code("123", CodeRules.make()), "123")

    def test_code_prefix_map(self):
        rules = CodeRules.make(prefix_map=[("kh-", "M-"), ("KH-0", "X-"), ("old", "")], pad_width=4)
        self.assertEqual(clean_code("KH-012", rules), "X-12")  # the longest old prefix wins
        self.assertEqual(clean_code("kh-123", rules), "M-123")  # prefixes are normalised like codes
        self.assertEqual(clean_code("OLD12", rules), "0012")  # removed prefix, then zero padding
        self.assertEqual(clean_code("ZZ-1", rules), "ZZ-1")

    def test_phone(self):
        for written in (
            "13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086-13800138000",
            "8613800138000", "(+86)13800138000", "１３８００１３８０００",
        ):
            self.assertEqual(clean_phone(written), "+8613800138000", written)
        self.assertEqual(clean_phone("0571-8888 8888"), "+8657188888888")  # landline: trunk 0 dropped
        self.assertEqual(clean_phone("010-12345678"), "+861012345678")
        self.assertEqual(clean_phone("+44 20 7946 0958"), "+442079460958")  # another country kept as written
        self.assertEqual(clean_phone("2079460958", country="44"), "+442079460958")
        for wrong in ("12345", "1380013800", "138001380001", "23800138000", "138-abc-8000", "+123", "*"):
            with self.assertRaises(CleaningError, msg=wrong):
                clean_phone(wrong)

    def test_vat(self):
        self.assertEqual(clean_vat(" 91-3301 00ab c "), "91330100ABC")
        self.assertEqual(clean_vat("９１３３０１"), "913301")
        # GB 32100-2015: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 modulo 31
        self.assertEqual(uscc_check_character("91350100M000100Y4"), "3")
        self.assertEqual(clean_vat("91350100M000100Y43", check_uscc=True), "91350100M000100Y43")
        self.assertEqual(clean_vat("91350100-m000100y43", check_uscc=True), "91350100M000100Y43")
        for wrong in ("91350100M000100Y44", "91350100M000100Y4", "91350100M00O100Y43"):
            with self.assertRaises(CleaningError, msg=wrong):
                clean_vat(wrong, check_uscc=True)
        self.assertEqual(clean_vat("91350100M000100Y44"), "91350100M000100Y44")  # no check asked
        with self.assertRaises(CleaningError):
            clean_vat(" - ")

    def test_numbers(self):
        self.assertEqual(parse_number("1,234.50"), 1234.5)
        self.assertEqual(parse_number(" 12 345 "), 12345.0)
        self.assertEqual(parse_number("(12.5)"), -12.5)
        self.assertEqual(parse_number("￥１，２００"), 1200.0)
        self.assertEqual(parse_number("-3"), -3.0)
        self.assertEqual(parse_number("1e3"), 1000.0)
        self.assertEqual(parse_number("100元"), 100.0)
        for wrong in ("12,5", "1.2.3", "abc", "", "nan", "inf", "1,23"):
            with self.assertRaises(CleaningError, msg=wrong):
                parse_number(wrong)

    def test_dates(self):
        expected = datetime.date(2026, 1, 31)
        for written in ("2026-01-31", "2026/1/31", "2026.1.31", "20260131", "2026年1月31日", "２０２６年１月３１日",
                        "2026-01-31 00:00:00", "46053", "46053.0"):
            self.assertEqual(parse_date(written), expected, written)
        self.assertEqual(parse_date("1"), datetime.date(1899, 12, 31))  # Excel serial 1
        for wrong in ("2026-02-30", "31/01/2026", "tomorrow", "46053.5", "0", ""):
            with self.assertRaises(CleaningError, msg=wrong):
                parse_date(wrong)

    def test_bool_and_email(self):
        for written in ("1", "Yes", "TRUE", "是", "x"):
            self.assertIs(parse_bool(written), True, written)
        for written in ("0", "no", "False", "否"):
            self.assertIs(parse_bool(written), False, written)
        with self.assertRaises(CleaningError):
            parse_bool("maybe")
        self.assertEqual(clean_email(" li.lei@example.cn "), "li.lei@example.cn")
        for wrong in ("li.lei", "a@b", "a b@c.cn", "a@b.cn,c@d.cn"):
            with self.assertRaises(CleaningError, msg=wrong):
                clean_email(wrong)

    def test_error_messages_are_translatable(self):
        with self.assertRaises(CleaningError) as catcher:
            clean_phone("12345")
        self.assertEqual(catcher.exception.translate("en_US"), "Phone 12345 does not have a valid length.")

    def test_reader_csv(self):
        headers, rows = read_table("编码;名称\r\n A1 ;\"甲;乙\"\r\n\r\nB2;丙\r\n".encode("gbk"), "x.csv")
        self.assertEqual(headers, ["编码", "名称"])
        self.assertEqual(list(rows), [[" A1 ", "甲;乙"], [], ["B2", "丙"]])
        # UTF-8 with a byte order mark, tab delimiter
        headers, rows = read_table("\ufeffcode\tname\r\nA\tB\r\n".encode(), "x.txt")
        self.assertEqual((headers, list(rows)), (["code", "name"], [["A", "B"]]))
        self.assertEqual(sniff_delimiter('"a,b";c;d\n1;2;3'), ";")
        with self.assertRaises(ReaderError):
            read_table(b"", "x.csv")
        with self.assertRaises(ReaderError):
            read_table("编码\n".encode("gbk"), "x.csv", encoding="utf-8")
        with self.assertRaises(ReaderError):
            read_table(b"PK\x03\x04 not a zip", "x.xlsx")
        with self.assertRaises(ReaderError):
            read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "x.xls")


@tagged("post_install", "-at_install")
class TestCleaningInJob(MigrationCommon):
    """The profile's cleaning rules applied by a job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # extra fields of the member target that the member target ignores: they
        # exercise the quantity and date rules through a real job
        cls.env["distribution.import.field"].create(
            [
                {"target": "member", "key": "test_qty", "name": "Test Quantity", "field_type": "qty",
                 "aliases": "test qty"},
                {"target": "member", "key": "test_date", "name": "Test Date", "field_type": "date",
                 "aliases": "test date"},
            ]
        )

    def test_rules_through_a_job(self):
        self.profile.write(
            {
                "code_pad_width": 5,
                "prefix_map_ids": [(0, 0, {"old_prefix": "KH", "new_prefix": "M"})],
                "price_max": 100000,
                "qty_max": 500,
                "date_min": "2020-01-01",
                "date_max": "2026-12-31",
            }
        )
        header = ["客户编码", "客户名称", "渠道层级", "上级客户编码", "手机", "税号", "信用额度", "test qty", "test date"]
        rows = [
            header,
            ["ｋｈ１", "Padded One", "MST", "mig-rd", "138 0013 8001", "9133-0100 aa", "1,000", "5", "2021/3/4"],  # 2
            ["123", "Padded Two", "MST", "", "", "", "", "", ""],  # 3
            ["C3", "Bad phone", "MST", "", "12345", "", "", "", ""],  # 4
            ["C4", "Negative credit", "MST", "", "", "", "-1", "", ""],  # 5
            ["C5", "Absurd credit", "MST", "", "", "", "100001", "", ""],  # 6
            ["C6", "Negative qty", "MST", "", "", "", "", "-2", ""],  # 7
            ["C7", "Too many", "MST", "", "", "", "", "501", ""],  # 8
            ["C8", "Too early", "MST", "", "", "", "", "", "2019-12-31"],  # 9
            ["C9", "Too late", "MST", "", "", "", "", "", "20270101"],  # 10
            ["C10", "Not a date", "MST", "", "", "", "", "", "soon"],  # 11
        ]
        job = self._import(self._csv(rows))
        self.assertEqual(job.rows_read, 10)
        self.assertEqual(job.rows_create, 2)
        self.assertEqual(job.rows_reject, 8)
        reasons = self._reasons(job)
        self.assertIn("Phone: Phone 12345 does not have a valid length.", reasons[4])
        self.assertIn("Credit Limit: -1 is below the minimum", reasons[5])
        self.assertIn("Credit Limit: 100001 is above the maximum", reasons[6])
        self.assertIn("negative quantity", reasons[7])
        self.assertIn("501 is above the maximum", reasons[8])
        self.assertIn("2019-12-31 is before 2020-01-01", reasons[9])
        self.assertIn("20270101 is after 2026-12-31", reasons[10])
        self.assertIn("soon is not a date", reasons[11])
        one = self._member("M1")  # KH → M by the prefix map; not padded: not purely numeric
        self.assertEqual(one.name, "Padded One")
        self.assertEqual(one.parent_id, self.rd)  # the parent code is cleaned like the key
        self.assertEqual(one.phone, "+8613800138001")
        self.assertEqual(one.vat, "91330100AA")
        self.assertEqual(one.credit_limit, 1000.0)
        self.assertEqual(self._member("00123").name, "Padded Two")

    def test_missing_values_reject_default_ignore(self):
        job = self._job(self._csv([
            ["code", "name", "tier", "city", "credit limit"],
            ["", "No code", "MST", "", ""],  # code missing: rejected (required)
            ["D2", "Default tier", "", "", ""],  # tier missing: the column's default
            ["D3", "No city", "MST", "", "7"],
        ]))
        columns = {column.header: column for column in job.column_ids}
        self.assertEqual(columns["code"].on_missing, "reject")  # proposed for required fields
        self.assertEqual(columns["city"].on_missing, "ignore")
        columns["tier"].write({"on_missing": "default", "default_value": "Mig Store"})
        columns["credit limit"].write({"on_missing": "reject"})
        job.action_import()
        self.assertCountsAddUp(job)
        reasons = self._reasons(job)
        self.assertEqual(sorted(reasons), [2, 3])
        self.assertIn("Member Code is missing.", reasons[2])
        self.assertEqual(reasons[3], "Credit Limit is missing.")
        self.assertEqual(self._member("D3").tier_id, self.tier_st)
        self.assertFalse(self._member("D3").partner_id.city)
        # the choices are remembered for the next file of this source system
        mapping = {line.header: line for line in self.profile.mapping_ids}
        self.assertEqual(mapping["tier"].on_missing, "default")
        self.assertEqual(mapping["tier"].default_value, "Mig Store")
        job2 = self._job(self._csv([["code", "name", "tier"], ["D4", "Remembered", ""]]))
        tier_column = job2.column_ids.filtered(lambda c: c.header == "tier")
        self.assertEqual((tier_column.on_missing, tier_column.default_value), ("default", "Mig Store"))
        job2.action_import()
        self.assertEqual(self._member("D4").tier_id, self.tier_st)

    def test_uscc_check_in_job(self):
        self.profile.vat_check_uscc = True
        job = self._dry_run(self._csv([
            ["code", "name", "tier", "vat"],
            ["U1", "Good", "MST", "91350100M000100Y43"],
            ["U2", "Bad", "MST", "91350100M000100Y44"],
        ]))
        self.assertEqual((job.rows_create, job.rows_reject), (1, 1))
        self.assertIn("check character", self._reasons(job)[3])
