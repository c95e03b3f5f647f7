import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import fuzz, inflated_xlsx

from .common import MigrationCommon
from .test_import_member import HEADER

FUZZ = fuzz()
HOSTILE_CELLS = ["\x00", "A\x00B", "\x01\x1b[2J", "=HYPERLINK(\"http://evil\",\"x\")", "1e308", "-1e308", "nan",
                 "inf", "9" * 400, "\u202e", "", " "]


@tagged("post_install", "-at_install")
class TestHostileUpload(MigrationCommon):
    """Uploads are bounded (size unpacked, cell length, number range), each bound with a clear message,
    and a refused file writes nothing."""

    def _members(self):
        return self.env["distribution.member"].search_count([])

    def _row(self, code="HX-1", name="Hostile Co", credit="0"):
        return [code, name, "MDL", "MIG-RD", "MHZ", "", "", "", "", "", "", "", credit]

    def test_xlsx_bomb_refused_before_parsing(self):
        small = self._xlsx([HEADER, self._row(name="MARKER")])
        bomb = inflated_xlsx(small, "A" * (50 * 1024 * 1024))
        self.assertLess(len(bomb), 200 * 1024)
        before = self._members()
        with self.assertRaisesRegex(UserError, "packed .* times smaller"):
            self._import(bomb, "members.xlsx")
        self.assertEqual(self._members(), before)

    def test_cell_too_long_refused(self):
        before = self._members()
        with self.assertRaisesRegex(UserError, "Row 3: a cell holds 20000 characters"):
            self._import(self._csv([HEADER, self._row(), self._row("HX-2", "B" * 20000)]))
        self.assertEqual(self._members(), before)
        # in an XLSX file too (a cell of 20,000 characters compresses within the ratio)
        content = inflated_xlsx(self._xlsx([HEADER, self._row(name="MARKER")]),
                                "".join(chr(0x4E00 + i % 2000) for i in range(20000)))
        with self.assertRaisesRegex(UserError, "a cell holds 20000 characters"):
            self._import(content, "members.xlsx")
        self.assertEqual(self._members(), before)

    def test_broken_sheet_refused(self):
        # a cell that points past the shared strings: a clear message, not a server error
        content = self._xlsx([HEADER, self._row()])
        source = zipfile.ZipFile(io.BytesIO(content))
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "xl/sharedStrings.xml":
                    data = data[: data.index(b"<si>")] + b"</sst>"  # no string left
                target.writestr(info.filename, data)
        with self.assertRaisesRegex(UserError, "The XLSX file cannot be opened"):
            self._dry_run(output.getvalue(), "members.xlsx")

    def test_extreme_numbers_rejected_with_a_reason(self):
        rows = [HEADER, self._row("HX-1", credit="1e308"), self._row("HX-2", credit="-1e308"),
                self._row("HX-3", credit="inf"), self._row("HX-4", credit="1000")]
        job = self._dry_run(self._csv(rows))
        reasons = self._reasons(job)
        self.assertEqual(sorted(reasons), [2, 3, 4])
        self.assertIn("too large a number", reasons[2])
        self.assertIn("not a number", reasons[4])
        job = self._import(self._csv(rows))
        self.assertEqual(self._member("HX-4").credit_limit, 1000.0)
        self.assertFalse(self._member("HX-1") | self._member("HX-2") | self._member("HX-3"))

    @FUZZ
    @given(st.binary(max_size=2000), st.sampled_from(["members.csv", "members.xlsx", "members.txt"]))
    def test_fuzz_random_bytes(self, content, file_name):
        before = self._members()
        try:
            job = self._dry_run(content, file_name)
        except UserError as error:
            self.assertTrue(str(error))
        else:
            self.assertIn(job.state, ("checked", "draft"))
        self.assertEqual(self._members(), before)

    @FUZZ
    @given(st.lists(st.lists(st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=50)), min_size=13,
                             max_size=13), min_size=1, max_size=5),
           st.booleans())
    def test_fuzz_hostile_cells(self, rows, as_xlsx):
        before = self._members()
        content = self._xlsx([HEADER, *rows]) if as_xlsx else self._csv([HEADER, *rows])
        try:
            job = self._dry_run(content, "members.xlsx" if as_xlsx else "members.csv")
        except UserError as error:
            self.assertTrue(str(error))
        else:
            self.assertLessEqual(job.rows_read, len(rows))
        # a dry run writes no member, whatever the cells
        self.assertEqual(self._members(), before)
