"""Hostile input on the public scan endpoint and in the code exports (issue #28)."""

import csv
import io
import json
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon, DistributionHttpCommon, fuzz

from .test_diversion import DiversionCommon

# Hostile texts: NUL, control characters, lone surrogates, formulas, huge and extreme numbers
HOSTILE_TEXTS = [
    "ABC\x00DEF", "\x00", "\x01\x02\x1b[31m", "\ud800", "=HYPERLINK(\"http://evil\",\"x\")", "1e308", "-1e308",
    "nan", "inf", "9" * 400, "A" * 5000, "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
]
FUZZ = fuzz(max_examples=30)


@tagged("post_install", "-at_install")
class TestScanHostileInput(DiversionCommon, DistributionHttpCommon):
    """The public scan endpoint answers every hostile code with a 4xx and counts it against the rate limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("distribution_diversion.scan_rate_limit", "100000")

    def _scan_count(self):
        return self.env["distribution.code.scan"].search_count([])

    def test_nul_code_is_malformed_and_counted(self):
        before = self._scan_count()
        response = self.url_open("/dist/scan/ABC%00DEF?format=json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["result"], "malformed")
        response = self.url_open("/dist/scan/json", data=json.dumps({"code": "ABC\x00DEF", "latitude": 10 ** 400}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 400)
        # the page (where a browser is redirected) answers too
        response = self.url_open("/dist/scan?code=ABC%00DEF")
        self.assertEqual(response.status_code, 400)
        scans = self.env["distribution.code.scan"].search([], order="id desc", limit=3)
        self.assertEqual(self._scan_count(), before + 3)
        self.assertEqual(set(scans.mapped("code_text")), {"ABCDEF"})
        self.assertEqual(set(scans.mapped("result")), {"malformed"})

    def test_line_breaks_reach_the_check(self):
        """A scanned text with a line break (or a NUL and a line break) is a malformed code like any other:
        answered in JSON with a 400 and counted, never the website's 404 page nor a 500."""
        for path in ("%00%0A", "%01%0A", "ABC%0ADEF", "%0A", "8264VXAJDZ2TGEGJ1%0D%0A"):
            with self.subTest(path=path):
                before = self._scan_count()
                response = self.url_open(f"/dist/scan/{path}?format=json")
                self.assertIn(response.status_code, (400, 404))
                self.assertIn(response.json()["result"], ("malformed", "unknown"))
                self.assertEqual(self._scan_count(), before + 1)

    def test_malformed_codes_count_against_the_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("distribution_diversion.scan_rate_limit", "3")
        for text in ("ABC%00DEF", "%01%02", "0O0"):
            self.assertIn(self.url_open(f"/dist/scan/{text}?format=json").status_code, (400, 404))
        response = self.url_open("/dist/scan/ABC%00DEF?format=json")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["result"], "rate_limited")
        response = self.url_open("/dist/scan/json", data=json.dumps({"code": "\x00"}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 429)

    @FUZZ
    @given(st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=300), st.binary(max_size=200)))
    def test_fuzz_scan_get(self, raw):
        path = quote(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"), safe="")
        before = self._scan_count()
        response = self.url_open(f"/dist/scan/{path or 'x'}?format=json&latitude=1e308&longitude=nan")
        self.assertIn(response.status_code, (400, 404), (raw, response.text[:300]))
        answer = response.json()
        self.assertIn(answer["result"], ("malformed", "unknown"))
        self.assertTrue(answer["message"])
        # counted: exactly one scan recorded, nothing else opened
        self.assertEqual(self._scan_count(), before + 1)
        self.assertFalse(answer["incident"])

    @FUZZ
    @given(st.one_of(
        st.binary(max_size=300),
        st.builds(lambda code, lat, lon: json.dumps({"code": code, "latitude": lat, "longitude": lon}).encode(),
                  st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=200), st.integers(), st.none(),
                            st.lists(st.integers(), max_size=3)),
                  st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=-10 ** 400,
                                                                                         max_value=10 ** 400),
                            st.text(max_size=20), st.none()),
                  st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20), st.none())),
    ))
    def test_fuzz_scan_json(self, body):
        response = self.url_open("/dist/scan/json", data=body, headers={"Content-Type": "application/json"},
                                 method="POST")
        self.assertIn(response.status_code, (400, 404), (body[:200], response.text[:300]))
        self.assertTrue(response.json()["message"])


@tagged("post_install", "-at_install")
class TestCodeExportText(DistributionCommon):
    """The code CSV writes user text as text, never as a live formula."""

    def test_code_csv_export_neutralises_formulas(self):
        self.product_a.default_code = "=cmd|' /C calc'!A0"
        batch = self.env["distribution.code.batch"].create({"product_id": self.product_a.id, "quantity": 1})
        self.env["distribution.code"].create({"name": "8264VXAJDZ2TGEGJ1", "kind": "unit",
                                              "product_id": self.product_a.id, "batch_id": batch.id})
        rows = list(csv.reader(io.StringIO(batch._csv_content().decode())))
        self.assertEqual(rows[1][:4], ["8264VXAJDZ2TGEGJ1", "unit", "", "'=cmd|' /C calc'!A0"])
