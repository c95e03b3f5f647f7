from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon

from .test_diversion import DiversionCommon


@tagged("post_install", "-at_install")
class TestDiversionPortalScopes(DiversionCommon, DistributionCommon):
    """A portal user reads nothing of another region through an incident or a scan it may read."""

    def test_incident_and_scan_do_not_name_other_regions(self):
        self._setup_areas()
        code = self._code("dl_hz")
        # the Nanjing dealer's user scans the Hangzhou dealer's goods: an incident about dl_hz's goods
        Scan = self.env["distribution.code.scan"].with_user(self.users["dl_nj"]).sudo()
        Scan._record_scan(code.name, "portal", member=self.members["dl_nj"])
        incident = self.env["distribution.diversion.incident"].search([("code_id", "=", code.id)])
        self.assertEqual(incident.seen_member_id, self.members["dl_nj"])
        # the Hangzhou dealer reads its incident, but not who (of another region) scanned it
        mine = incident.with_user(self.users["dl_hz"])
        self.assertEqual(mine.read(["name", "seen_territory_id"])[0]["name"], incident.name)
        for field in ("seen_member_id", "scanned_by_id", "ip_address"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                mine.read([field])
        # the Nanjing dealer reads its own scan, not whose goods it scanned
        scan = self.env["distribution.code.scan"].with_user(self.users["dl_nj"]).search([("code_id", "=", code.id)])
        self.assertEqual(len(scan), 1)
        for field in ("bound_member_id", "user_id", "ip_address"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                scan.read([field])
