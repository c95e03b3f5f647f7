import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common import MigrationCommon

HEADER = ["code", "name", "tier", "parent", "territory", "vat", "phone", "email", "status", "credit limit"]
RUN = itertools.count(1)


def cell(*choices):
    return st.one_of(st.sampled_from(choices), st.text(max_size=6))


#: a row of a dirty legacy file: codes drawn from a small pool (duplicates, parents
#: in the file, cycles), good and bad values, random text, wrong cell counts
dirty_row = st.tuples(
    cell("A", "a", "Ａ", "B", "C", "D", "", " "),
    cell("Name", "名称", "", "  x  "),
    cell("MST", "MDL", "Mig Dealer", "nope", ""),
    cell("A", "B", "C", "D", "MIG-RD", "NOPE", ""),
    cell("MHZ", "Mig East / Mig Jiangsu", "nowhere", ""),
    cell("91330000MIGRD0001X", "VAT-1", "VAT-2", ""),
    cell("13800138000", "12345", "+86 139 0000 0001", "", "0571-8888888"),
    cell("a@b.cn", "not mail", ""),
    cell("正常", "application", "暂停", "??", ""),
    cell("100", "-5", "1e9", "1,000", "abc", ""),
    st.integers(min_value=-2, max_value=1),  # cells dropped (< 0) or added (> 0)
)


@tagged("post_install", "-at_install")
class TestImportProperty(MigrationCommon):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=st.lists(dirty_row, max_size=12), merge=st.booleans(), write=st.booleans())
    def test_nothing_lost_nothing_crashes(self, rows, merge, write):
        run = next(RUN)
        self.profile.dup_file_policy = "merge" if merge else "reject"
        lines = [HEADER]
        for *cells, width in rows:
            # codes of this example only, so that examples do not see each other's members
            cells = [f"R{run}-{c}" if i in (0, 3) and c.strip() and c != "MIG-RD" else c for i, c in enumerate(cells)]
            cells = cells[: len(cells) + width] if width < 0 else cells + ["x"] * width
            lines.append(cells)
        content = self._csv(lines)
        # NUL characters are dropped by the reader (PostgreSQL cannot store them)
        non_empty = sum(1 for line in lines[1:] if any(c.replace("\x00", "").strip() for c in line))
        members_before = self.env["distribution.member"].search_count([])
        job = self._job(content)
        if write:
            job.action_import()
        else:
            job.action_dry_run()
        self.assertCountsAddUp(job)
        self.assertEqual(job.rows_read, non_empty, "every non-empty row is read")
        self.assertTrue(all(reject.reason for reject in job.reject_ids), "every rejected row says why")
        self.assertEqual(len({reject.row for reject in job.reject_ids}), job.rows_reject)
        created = self.env["distribution.member"].search_count([]) - members_before
        self.assertEqual(created, job.rows_create if write else 0)
        if write:
            # re-running the same file creates nothing more, rejects the same rows
            again = self._job(content)
            again.action_import()
            self.assertCountsAddUp(again)
            self.assertEqual(again.rows_create, 0)
            self.assertEqual(self.env["distribution.member"].search_count([]) - members_before, created)
