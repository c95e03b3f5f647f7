import json
import secrets
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon, DistributionHttpCommon
from odoo.addons.distribution_diversion.tools.unit_codes import is_well_formed

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class DiversionCommon:
    """Codes bound to members of the test channel, and geographic areas for the territories."""

    @classmethod
    def _code_text(cls):
        """A well-formed code: random body, then the check character is_well_formed accepts."""
        for length in range(12, 32):
            body = "".join(secrets.choice(CROCKFORD) for _i in range(length))
            for check in CROCKFORD + "*~$=U":
                if is_well_formed(body + check):
                    return body + check
        raise AssertionError("no well-formed code found")

    @classmethod
    def _code(cls, member_key=None, state=None):
        """A unit code of product_a, bound to the member (and its territory) when member_key is given."""
        code = cls.env["distribution.code"].create(
            {"name": cls._code_text(), "kind": "unit", "product_id": cls.product_a.id}
        )
        if member_key:
            member = cls.members[member_key]
            code.write({
                "member_id": member.id, "territory_id": member.territory_id.id, "level": member.depth,
                "state": state or "bound",
            })
        elif state:
            code.state = state
        return code

    @classmethod
    def _setup_areas(cls):
        Area = cls.env["distribution.territory.area"]
        Area.create([
            # Zhejiang (province) and Hangzhou (city) inside it, Nanjing elsewhere
            {"territory_id": cls.terr_zj.id, "lat_min": 27.0, "lat_max": 31.2, "lon_min": 118.0, "lon_max": 123.0},
            {"territory_id": cls.terr_hz.id, "lat_min": 29.9, "lat_max": 30.6, "lon_min": 119.8, "lon_max": 120.6},
            {"territory_id": cls.terr_nj.id, "lat_min": 31.7, "lat_max": 32.4, "lon_min": 118.4, "lon_max": 119.2},
        ])


@tagged("post_install", "-at_install")
class TestDiversion(DiversionCommon, DistributionCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_areas()
        cls.Scan = cls.env["distribution.code.scan"]
        cls.Incident = cls.env["distribution.diversion.incident"]

    def _scan_as(self, key, text, scan_type="portal", **kwargs):
        """A scan by the portal user of a member (as the portal controller does it: sudo, the member's territory)."""
        member = self.members[key]
        return self.Scan.with_user(self.users[key]).sudo()._record_scan(text, scan_type, member=member, **kwargs)

    def test_scan_in_right_territory_opens_nothing(self):
        code = self._code("dl_hz")
        answer = self._scan_as("st_hz", code.name)
        self.assertEqual(answer["result"], "genuine")
        self.assertFalse(answer["incident"])
        self.assertEqual(answer["product"], self.product_a.name)
        self.assertEqual(answer["bound_territory"], self.terr_hz.complete_name)
        self.assertFalse(self.Incident.search([("code_id", "=", code.id)]))
        scan = self.Scan.search([("code_id", "=", code.id)])
        self.assertRecordValues(scan, [{
            "result": "genuine", "scan_type": "portal", "member_id": self.members["st_hz"].id,
            "territory_id": self.terr_hz.id, "bound_member_id": self.members["dl_hz"].id,
            "user_id": self.users["st_hz"].id, "incident_id": False,
        }])

    def test_evidence_in_the_language_and_time_zone_of_its_reader(self):
        """The evidence and the to-do are written for the channel manager who investigates: in his
        language and his time zone (Shanghai: UTC+8), not in UTC."""
        self.env.ref("base.lang_zh_CN").sudo().active = True
        self.channel_user.write({"tz": "Asia/Shanghai", "lang": "zh_CN"})
        code = self._code("dl_hz")
        self._scan_as("dl_nj", code.name)
        incident = self.Incident.search([("code_id", "=", code.id)])
        self.env.cr.execute("UPDATE distribution_diversion_incident SET date = '2026-03-01 18:30:00' WHERE id = %s",
                            [incident.id])
        incident.invalidate_recordset(["date"])
        evidence = incident._evidence_text(self.channel_user)
        # 18:30 UTC is 02:30 the next morning in Shanghai; zh_CN's date format, full-width brackets
        self.assertIn("2026/03/02 02:30:00（Asia/Shanghai）", evidence)
        self.assertNotIn("18:30", evidence)
        self.assertIn("防窜码", evidence)
        self.assertNotIn("UTC", evidence)
        # what was posted when the incident opened: Chinese, in Shanghai time
        note = incident.activity_ids.note
        self.assertIn("防窜码", str(note))
        self.assertIn("Asia/Shanghai", str(note))
        self.assertIn("调查窜货", incident.activity_ids.summary)
        # a reader in another zone reads the same moment in his
        self.channel_manager.tz = "Europe/Paris"
        self.assertIn("03/01/2026 07:30:00 PM (Europe/Paris)",
                      incident.with_context(lang="en_US")._evidence_text(self.channel_manager))

    def test_scan_in_wrong_territory_opens_incident_with_evidence(self):
        code = self._code("dl_hz")
        answer = self._scan_as("dl_nj", code.name.lower(), ip_address="10.0.0.7")  # typed in lower case
        self.assertEqual(answer["result"], "genuine")
        self.assertTrue(answer["incident"])
        self.assertEqual(answer["seen_territory"], self.terr_nj.complete_name)
        incident = self.Incident.search([("code_id", "=", code.id)])
        self.assertEqual(len(incident), 1)
        scan = self.Scan.search([("code_id", "=", code.id)])
        self.assertRecordValues(incident, [{
            "state": "investigating",
            "product_id": self.product_a.id,
            "expected_member_id": self.members["dl_hz"].id,
            "expected_territory_id": self.terr_hz.id,
            "seen_territory_id": self.terr_nj.id,
            "seen_member_id": self.members["dl_nj"].id,
            "scanned_by_id": self.users["dl_nj"].id,
            "scan_id": scan.id,
            "user_id": self.channel_user.id,  # the Hangzhou dealer's channel manager
            "date": scan.date,
            "ip_address": "10.0.0.7",
        }])
        self.assertTrue(incident.name.startswith("DIV/"))
        self.assertEqual(scan.incident_id, incident)
        activity = incident.activity_ids
        self.assertEqual(activity.user_id, self.channel_user)
        self.assertIn(code.name, activity.note)
        self.assertIn("Nanjing", str(incident.message_ids.mapped("body")))
        # scanned again there: the same incident, no duplicate
        again = self._scan_as("dl_nj", code.name)
        self.assertTrue(again["incident"])
        self.assertEqual(self.Incident.search_count([("code_id", "=", code.id)]), 1)
        self.assertEqual(incident.scan_count, 2)
        # seen in a third place: a second incident
        self._scan_as("rd_js", code.name)
        self.assertEqual(
            self.Incident.search([("code_id", "=", code.id)]).seen_territory_id, self.terr_nj | self.terr_js
        )

    def test_sub_territory_counts_as_right(self):
        code = self._code("rd_zj")  # bound to Zhejiang
        self.assertFalse(self._scan_as("st_hz", code.name)["incident"])  # Hangzhou is in Zhejiang
        self.assertFalse(self._scan_as("rd_zj", code.name)["incident"])
        # above the bound territory (East region) is not inside it
        self.assertTrue(self._scan_as("ga", code.name)["incident"])

    def test_geolocation_maps_to_deepest_territory(self):
        code = self._code("dl_hz")
        public = self.Scan.with_user(self.env.ref("base.public_user")).sudo()
        answer = public._record_scan(code.name, "public", latitude=30.27, longitude=120.15)  # Hangzhou
        self.assertEqual(set(answer), {"result", "product", "message", "incident"})
        self.assertFalse(answer["incident"])
        public._record_scan(code.name, "public", latitude=29.87, longitude=121.54)  # Ningbo: Zhejiang only
        public._record_scan(code.name, "public", latitude=32.06, longitude=118.80)  # Nanjing
        public._record_scan(code.name, "public")  # no location: nowhere
        scans = self.Scan.search([("code_id", "=", code.id)], order="id")
        self.assertEqual(scans.mapped("territory_id"), self.terr_hz | self.terr_zj | self.terr_nj)
        self.assertFalse(scans[3].territory_id)
        incidents = self.Incident.search([("code_id", "=", code.id)])
        self.assertEqual(incidents.seen_territory_id, self.terr_zj | self.terr_nj)
        self.assertFalse(incidents.seen_member_id)
        self.assertEqual(incidents.mapped("scan_type"), ["public", "public"])

    def test_unknown_sold_malformed(self):
        public = self.Scan.with_user(self.env.ref("base.public_user")).sudo()
        sold = self._code("dl_hz", state="sold")
        unknown = self._code_text()
        self.assertEqual(public._record_scan(unknown, "public")["result"], "unknown")
        answer = public._record_scan(sold.name, "public", latitude=32.06, longitude=118.80)
        self.assertEqual(answer["result"], "sold")
        self.assertFalse(answer["incident"], "a sold unit may travel with its buyer")
        # one character changed: the check character rejects it without a lookup
        typo = unknown[:-2] + ("1" if unknown[-2] != "1" else "2") + unknown[-1]
        with self.assertQueryCount(1):  # the INSERT of the scan only
            self.assertEqual(public._record_scan(typo, "public")["result"], "malformed")
        self.assertEqual(
            self.Scan.search([("code_text", "in", (unknown, sold.name, typo))], order="id").mapped("result"),
            ["unknown", "sold", "malformed"],
        )

    def test_legacy_codes_of_a_previous_system(self):
        """Codes imported from a previous system carry no check character: refused as malformed until
        the migration says legacy codes exist, then looked up like ours; ours are still checked offline."""
        legacy = self._code("dl_hz")
        legacy.name = "KX2024000123"  # as printed by the previous vendor
        public = self.Scan.with_user(self.env.ref("base.public_user")).sudo()
        self.assertEqual(public._record_scan("kx-2024-000123", "public")["result"], "malformed")
        self.env["ir.config_parameter"].set_param("distribution_diversion.legacy_codes", "1")
        self.assertEqual(public._record_scan("kx-2024-000123", "public")["result"], "genuine")
        self.assertEqual(public._record_scan("KX2024000999", "public")["result"], "unknown")
        # seen in the wrong territory: an incident, as for our codes
        self.assertTrue(self._scan_as("dl_nj", legacy.name)["incident"])
        # a typing error in one of our codes is still caught by its check character, without a lookup
        ours = self._code_text()
        typo = ours[:-2] + ("1" if ours[-2] != "1" else "2") + ours[-1]
        with self.assertQueryCount(1):  # the INSERT of the scan only
            self.assertEqual(public._record_scan(typo, "public")["result"], "malformed")
        # too short or with other characters: still malformed
        self.assertEqual(public._record_scan("KX12", "public")["result"], "malformed")
        self.assertEqual(public._record_scan("KX2024*000123", "public")["result"], "malformed")
        # a delivery's list of codes accepts them too
        codes, errors = self.env["distribution.code"]._parse_code_lines(["kx2024000123"])
        self.assertEqual((codes, errors), (legacy, []))

    def test_confirm_with_penalty_and_dismiss(self):
        first = self._code("dl_hz")
        second = self._code("rd_zj")
        self._scan_as("dl_nj", first.name)
        self._scan_as("dl_nj", second.name)
        incident_hz = self.Incident.search([("code_id", "=", first.id)])
        incident_zj = self.Incident.search([("code_id", "=", second.id)])
        self.assertEqual(incident_zj.user_id, self.channel_manager)
        # the Hangzhou dealer's manager (a channel user) decides its own incident, not others'
        as_user = incident_zj.with_user(self.channel_user)
        with self.assertRaises(AccessError):
            as_user.write({"note": "not mine"})
        action = incident_hz.with_user(self.channel_user).action_confirm()
        Wizard = self.env["distribution.diversion.confirm"].with_user(self.channel_user).with_context(**action["context"])
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            Wizard.create({"penalty_amount": 0.0}).action_apply()
        Wizard.create({"penalty_amount": 1500.5, "reason": "Sold to a Nanjing wholesaler"}).action_apply()
        self.assertRecordValues(incident_hz, [{
            "state": "confirmed", "penalty_amount": 1500.5, "currency_id": self.env.company.currency_id.id,
            "note": "Sold to a Nanjing wholesaler",
        }])
        self.assertFalse(incident_hz.activity_ids, "the to-do is done")
        with self.assertRaisesRegex(UserError, "already decided"):
            incident_hz.action_dismiss()
        action = incident_zj.with_user(self.channel_manager).action_dismiss()
        Wizard = self.env["distribution.diversion.confirm"].with_user(self.channel_manager).with_context(**action["context"])
        with self.assertRaisesRegex(ValidationError, "why"):
            Wizard.create({"reason": " "}).action_apply()
        Wizard.create({"reason": "Trade fair sample"}).action_apply()
        self.assertRecordValues(incident_zj, [{"state": "dismissed", "penalty_amount": 0.0,
                                               "note": "Trade fair sample"}])

    def test_decision_only_through_confirm_or_dismiss(self):
        """The channel user responsible for an incident cannot set its penalty, its state or whose goods
        they were by a direct write (RPC), before or after the decision: the rebate deducts them."""
        code = self._code("dl_hz")
        self._scan_as("dl_nj", code.name)
        incident = self.Incident.search([("code_id", "=", code.id)])
        as_user = incident.with_user(self.channel_user)
        self.assertEqual(incident.user_id, self.channel_user)
        as_user.write({"note": "checking with the dealer"})  # his to investigate
        for vals in ({"state": "confirmed", "penalty_amount": 1.0}, {"expected_member_id": self.members["dl_nj"].id},
                     {"date": "2020-01-01 00:00:00"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_user.write(vals)
        as_user._confirm(800.0)
        for vals in ({"penalty_amount": 8.0}, {"state": "investigating"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_user.write(vals)
        self.assertRecordValues(incident, [{"state": "confirmed", "penalty_amount": 800.0,
                                            "expected_member_id": self.members["dl_hz"].id}])

    def test_portal_isolation(self):
        code = self._code("dl_hz")
        self._scan_as("dl_nj", code.name)
        incident = self.Incident.search([("code_id", "=", code.id)])
        scan = incident.scan_id
        # the Hangzhou dealer and its supplier see the incident about their goods
        self.assertEqual(self.Incident.with_user(self.users["dl_hz"]).search([]), incident)
        self.assertEqual(incident.with_user(self.users["rd_zj"]).read(["state"])[0]["state"], "investigating")
        # the Jiangsu branch does not, not even the member who scanned it
        for key in ("rd_js", "dl_nj", "st_hz"):
            with self.assertRaises(AccessError):
                incident.with_user(self.users[key]).read(["state"])
        # a scan belongs to the member who scanned (and its suppliers)
        self.assertEqual(scan.with_user(self.users["dl_nj"]).read(["result"])[0]["result"], "genuine")
        self.assertEqual(scan.with_user(self.users["rd_js"]).read(["result"])[0]["result"], "genuine")
        for key in ("dl_hz", "st_hz", "rd_zj"):
            with self.assertRaises(AccessError):
                scan.with_user(self.users[key]).read(["result"])
        with self.assertRaises(AccessError):
            incident.with_user(self.users["dl_hz"]).write({"note": "not us"})

    def test_kpi_on_hand_built_example(self):
        """January 2025, Hangzhou dealer: 4 units scanned (one twice), 1 incident confirmed, 1 dismissed,
        1 investigating → 25%. February: 2 units, nothing → 0%. Nanjing dealer, January: 1 unit,
        1 confirmed → 100%."""
        codes_hz = [self._code("dl_hz") for _i in range(6)]
        code_nj = self._code("dl_nj")
        jan, feb = datetime(2025, 1, 15, 10), datetime(2025, 2, 3, 9)

        def scan(code, when):
            return {"code_id": code.id, "code_text": code.name, "result": "genuine", "scan_type": "public",
                    "bound_member_id": code.member_id.id, "bound_territory_id": code.territory_id.id, "date": when}

        self.Scan.sudo().create([scan(c, jan) for c in codes_hz[:4]] + [scan(codes_hz[0], jan)]
                         + [scan(c, feb) for c in codes_hz[4:]] + [scan(code_nj, jan)])

        def incident(code, state, penalty=0.0, seen=None):
            return {"code_id": code.id, "expected_member_id": code.member_id.id,
                    "expected_territory_id": code.territory_id.id, "seen_territory_id": (seen or self.terr_nj).id,
                    "date": jan, "state": state, "penalty_amount": penalty}

        self.Incident.create([
            incident(codes_hz[0], "confirmed", 800.0),
            incident(codes_hz[1], "dismissed"),
            incident(codes_hz[2], "investigating"),
            incident(code_nj, "confirmed", 200.0, seen=self.terr_hz),
        ])
        Kpi = self.env["distribution.diversion.kpi"]
        rows = {
            (member.code, month): (units, confirmed, incidents, round(rate, 2), penalty)
            for member, month, units, confirmed, incidents, rate, penalty in Kpi._read_group(
                [("month", ">=", "2025-01-01"), ("month", "<", "2025-03-01")],
                ["member_id", "month:month"],
                ["scanned_units:sum", "confirmed_count:sum", "incident_count:sum", "diversion_rate:sum",
                 "penalty_amount:sum"],
            )
        }
        self.assertEqual(rows, {
            ("DL_HZ", date(2025, 1, 1)): (4, 1, 3, 25.0, 800.0),
            ("DL_HZ", date(2025, 2, 1)): (2, 0, 0, 0.0, 0.0),
            ("DL_NJ", date(2025, 1, 1)): (1, 1, 1, 100.0, 200.0),
        })
        # a group's rate is the ratio of its totals: 2 confirmed / 7 units
        [(total_rate,)] = Kpi._read_group(
            [("month", ">=", "2025-01-01"), ("month", "<", "2025-03-01")], [], ["diversion_rate:sum"]
        )
        self.assertAlmostEqual(total_rate, 200 / 7, places=4)
        by_territory = dict(Kpi._read_group(
            [("month", ">=", "2025-01-01"), ("month", "<", "2025-03-01")], ["territory_id"], ["diversion_rate:sum"]
        ))
        self.assertAlmostEqual(by_territory[self.terr_hz], 100 / 6, places=4)


@tagged("post_install", "-at_install")
class TestDiversionHttp(DiversionCommon, DistributionHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_areas()
        cls.env["ir.config_parameter"].sudo().set_param("distribution_diversion.scan_rate_limit", "1000")

    def _get_json(self, url):
        response = self.url_open(url, headers={"Accept": "application/json"})
        return response, response.json()

    def test_anonymous_json_leaks_no_member_data(self):
        code = self._code("dl_hz")
        # seen in Nanjing by the browser's location: an incident opens, the answer still names nobody
        response, answer = self._get_json(f"/dist/scan/{code.name}?latitude=32.06&longitude=118.80")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(set(answer), {"result", "product", "message", "incident"})
        self.assertEqual((answer["result"], answer["product"], answer["incident"]),
                         ("genuine", self.product_a.name, True))
        text = response.text
        for member in self.members.values():
            self.assertNotIn(member.name, text)
            self.assertNotIn(member.code, text)
        for secret in (self.terr_hz.name, self.terr_zj.name, str(self.product_a.lst_price), "price"):
            self.assertNotIn(secret, text)
        incident = self.env["distribution.diversion.incident"].search([("code_id", "=", code.id)])
        self.assertRecordValues(incident, [{"seen_territory_id": self.terr_nj.id, "scan_type": "public",
                                            "ip_address": "127.0.0.1",
                                            "expected_member_id": self.members["dl_hz"].id}])
        # the same through POST /dist/scan/json and ?format=json
        response = self.url_open("/dist/scan/json", data=json.dumps({"code": code.name, "latitude": 30.27,
                                                                     "longitude": 120.15}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"result": "genuine", "product": self.product_a.name,
                                           "message": "Genuine product.", "incident": False})
        response = self.url_open(f"/dist/scan/{code.name}?format=json")
        self.assertEqual(set(response.json()), {"result", "product", "message", "incident"})

    def test_malformed_and_unknown(self):
        response, answer = self._get_json("/dist/scan/NOT-A-CODE-%25%27")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(answer["result"], "malformed")
        self.assertIn("not a valid code", answer["message"])
        self.assertNotIn("Traceback", response.text)
        response = self.url_open("/dist/scan/json", data="{not json", headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["result"], "malformed")
        response = self.url_open("/dist/scan/json", data=json.dumps({"code": 12345}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual((response.status_code, response.json()["result"]), (400, "malformed"))
        response, answer = self._get_json(f"/dist/scan/{self._code_text()}")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(answer["result"], "unknown")
        self.assertEqual(set(answer), {"result", "product", "message", "incident"})

    def test_public_page(self):
        code = self._code("dl_hz")
        response = self.url_open("/dist/scan")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="code"', response.text)
        self.assertIn("o_dist_scan_locate", response.text)
        # a browser following a label's URL is sent on to the page, which records the scan once
        Scan = self.env["distribution.code.scan"]
        before = Scan.search_count([("code_id", "=", code.id)])
        response = self.url_open(f"/dist/scan/{code.name}?latitude=30.27&longitude=120.15", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(
            f"/dist/scan?code={code.name}&latitude=30.27&longitude=120.15"))
        self.assertEqual(Scan.search_count([("code_id", "=", code.id)]), before)
        response = self.url_open(f"/dist/scan/{code.name}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_dist_scan_genuine", response.text)
        self.assertEqual(Scan.search_count([("code_id", "=", code.id)]), before + 1)
        self.assertIn(self.product_a.name, response.text)
        self.assertNotIn(self.members["dl_hz"].name, response.text)
        response = self.url_open(f"/dist/scan?code={self._code_text()}")
        self.assertEqual(response.status_code, 404)
        self.assertIn("o_dist_scan_unknown", response.text)
        # translated verdict
        self.env.ref("base.lang_zh_CN").sudo().active = True
        self.opener.cookies.set("frontend_lang", "zh_CN")
        response = self.url_open("/dist/scan?code=0O0")
        self.assertEqual(response.status_code, 400)
        self.assertIn("这不是有效的防窜码", response.text)
        # the JSON answer speaks the scanner's language (Accept-Language)
        response = self.url_open("/dist/scan/0O0?format=json", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["message"].startswith("这不是有效的防窜码"))

    def test_public_page_speaks_for_the_brand(self):
        """A consumer checking a code meets the brand that issued it (its name in the footer, its
        logo in the header), not the company of the Public user (Odoo's main company); the empty
        form is the visitor's company's page, i.e. the Public user's."""
        brand = self.env["res.company"].create({"name": "Brand Tea Co. (test)"})
        public_company = self.env.ref("base.public_user").sudo().company_id
        self.assertNotEqual(public_company, brand)
        code = self._code()
        code.sudo().company_id = brand
        page = self.url_open(f"/dist/scan/{code.name}").text
        self.assertIn("o_dist_scan_genuine", page)
        self.assertIn("Brand Tea Co. (test)", page)
        self.assertIn(f"/logo.png?company={brand.id}", page)
        self.assertNotIn(public_company.name, page)
        # no code yet, or a code nobody issued: the Public user's company
        for url in ("/dist/scan", f"/dist/scan?code={self._code_text()}"):
            page = self.url_open(url).text
            self.assertIn(public_company.name, page)
            self.assertNotIn("Brand Tea Co. (test)", page)
        # a database whose Public user belongs to the brand shows the brand there too
        self.env.ref("base.public_user").sudo().write(
            {"company_ids": [Command.link(brand.id)], "company_id": brand.id}
        )
        page = self.url_open("/dist/scan").text
        self.assertIn("Brand Tea Co. (test)", page)
        self.assertIn(f"/logo.png?company={brand.id}", page)

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("distribution_diversion.scan_rate_limit", "3")
        code = self._code("dl_hz")
        for _i in range(3):
            self.assertEqual(self.url_open(f"/dist/scan/{code.name}?format=json").status_code, 200)
        response = self.url_open(f"/dist/scan/{code.name}?format=json")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["result"], "rate_limited")
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 60)
        # refused scans are not recorded; the POST endpoint shares the count
        self.assertEqual(self.env["distribution.code.scan"].search_count([("code_id", "=", code.id)]), 3)
        response = self.url_open("/dist/scan/json", data=json.dumps({"code": code.name}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 429)
        # no limit when the parameter is 0
        self.env["ir.config_parameter"].sudo().set_param("distribution_diversion.scan_rate_limit", "0")
        self.assertEqual(self.url_open(f"/dist/scan/{code.name}?format=json").status_code, 200)

    def test_portal_scan_and_my_diversion(self):
        code = self._code("dl_hz")
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        response, answer = self._get_json(f"/dist/scan/{code.name}")
        self.assertTrue(answer["incident"])
        self.assertEqual(answer["seen_territory"], self.terr_nj.complete_name)
        incident = self.env["distribution.diversion.incident"].search([("code_id", "=", code.id)])
        self.assertEqual(incident.seen_member_id, self.members["dl_nj"])
        # the scanning member does not see the incident; the Hangzhou dealer does
        self.assertNotIn(incident.name, self.url_open("/my/diversion").text)
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/diversion").text
        self.assertIn(incident.name, page)
        self.assertIn(self.terr_nj.complete_name, page)
        self.assertNotIn(self.members["dl_nj"].name, page)
        # on a phone a card per incident (the table is for wider screens), its status first
        self.assertEqual(page.count('o_dist_incident_card"'), 1)
        self.assertEqual(page.count('o_dist_incident_row"'), 1)
        self.assertRegex(page, r'class="d-md-none o_dist_incident_cards"[\s\S]*text-bg-warning')
