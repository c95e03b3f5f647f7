"""Hostile output: user text written to CSV and XLSX stays text (the scan endpoint's fuzz tests are in
distribution_diversion)."""

import io

from odoo.tests import tagged

from odoo.addons.distribution_core.tools.safe_io import (
    MAX_NUMBER,
    csv_row,
    is_sane_number,
    spreadsheet_text,
    xlsx_workbook,
)

from .common import DistributionCommon


@tagged("post_install", "-at_install")
class TestSpreadsheetText(DistributionCommon):
    """Exports write user text as text: neither CSV nor XLSX turns it into a live formula."""

    def test_spreadsheet_text(self):
        for text in ("=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
            self.assertEqual(spreadsheet_text(text), "'" + text)
        self.assertEqual(spreadsheet_text("Hangzhou Dealer"), "Hangzhou Dealer")
        self.assertEqual(spreadsheet_text(-5), -5)  # numbers stay numbers
        self.assertEqual(csv_row(["=1+1", 3, None]), ["'=1+1", 3, None])

    def test_xlsx_workbook_writes_formulas_as_text(self):
        import openpyxl

        output = io.BytesIO()
        workbook = xlsx_workbook(output)
        sheet = workbook.add_worksheet()
        sheet.write(0, 0, '=HYPERLINK("http://evil","x")')
        sheet.write_row(1, 0, ["http://evil.example.com", "=1+1"])
        workbook.close()
        cells = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active
        self.assertEqual(cells["A1"].data_type, "s")
        self.assertEqual(cells["A1"].value, '=HYPERLINK("http://evil","x")')
        self.assertEqual((cells["A2"].data_type, cells["A2"].hyperlink), ("s", None))
        self.assertEqual(cells["B2"].data_type, "s")

    def test_is_sane_number(self):
        for number in (0, 1.5, -MAX_NUMBER, MAX_NUMBER):
            self.assertTrue(is_sane_number(number))
        for number in (1e308, float("inf"), float("nan"), 10 ** 400, "1e308", "abc", [1]):
            self.assertFalse(is_sane_number(number))
