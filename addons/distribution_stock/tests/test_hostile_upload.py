
from hypothesis import given
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon, fuzz, inflated_xlsx, xlsx_file

FUZZ = fuzz()
HOSTILE = ["\x00", "STK-H\x00", "\x01\x1b", "=HYPERLINK(\"http://evil\",\"x\")", "1e308", "-1e308", "nan", "inf",
           "9" * 400, "A" * 5000, "", " "]


@tagged("post_install", "-at_install")
class TestStockHostileUpload(DistributionCommon):
    """A stock count upload is bounded (size unpacked, cell length, quantity range), with a clear
    message, and writes nothing when refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Hostile stock A", "default_code": "STK-H", "lst_price": 10.0, "is_storable": True}
        )
        cls.Report = cls.env["distribution.stock.report"]
        cls.member = cls.members["dl_hz"]
        cls.portal = cls.users["dl_hz"]

    def _reports(self):
        return self.Report.sudo().search_count([])

    def test_bomb_refused_before_parsing(self):
        bomb = inflated_xlsx(xlsx_file([["MARKER", 1]], strings_to_formulas=False), "A" * (30 * 1024 * 1024))
        self.assertLess(len(bomb), 200 * 1024)
        with self.assertRaisesRegex(UserError, "unpacks to 31 MB"):
            self.Report.with_user(self.portal)._parse_xlsx(bomb)

    def test_long_cell_refused(self):
        content = inflated_xlsx(xlsx_file([["MARKER", 1]], strings_to_formulas=False), "B" * 5000)
        with self.assertRaisesRegex(UserError, "Row 1: a cell holds 5000 characters"):
            self.Report.with_user(self.portal)._parse_xlsx(content)

    def test_extreme_quantity_rejected_with_reason(self):
        rows = self.Report._parse_xlsx(xlsx_file([["Product Code", "Quantity"], ["STK-H", 1e308]], strings_to_formulas=False))
        before = self._reports()
        report = self.Report.with_user(self.portal)._import_rows(self.member, rows, "upload")
        self.assertEqual(report.state, "draft")  # no valid row: the member's stock is not replaced
        self.assertIn("A quantity above 1,000,000,000,000", report.rejected_ids.reason)
        self.assertFalse(report.line_ids)
        self.assertEqual(self._reports(), before + 1)

    @FUZZ
    @given(st.binary(max_size=3000))
    def test_fuzz_random_bytes(self, data):
        before = self._reports()
        try:
            rows = self.Report.with_user(self.portal)._parse_xlsx(data)
        except UserError as error:
            self.assertTrue(str(error))
        else:
            self.assertIsInstance(rows, list)
        self.assertEqual(self._reports(), before)

    @FUZZ
    @given(st.lists(st.tuples(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)),
                              st.one_of(st.sampled_from(HOSTILE), st.floats(), st.integers(-10 ** 30, 10 ** 30),
                                        st.none())),
                    min_size=1, max_size=6))
    def test_fuzz_hostile_rows(self, cells):
        rows = [(number, code, qty) for number, (code, qty) in enumerate(cells, start=2)]
        try:
            report = self.Report.with_user(self.portal)._import_rows(self.member, rows, "portal")
        except UserError as error:
            self.assertTrue(str(error))
            return
        for reject in report.sudo().rejected_ids:
            self.assertTrue(reject.reason)
            self.assertNotIn("\x00", reject.product_code + reject.quantity_text)
        for line in report.sudo().line_ids:
            self.assertLessEqual(line.quantity, 1e12)
