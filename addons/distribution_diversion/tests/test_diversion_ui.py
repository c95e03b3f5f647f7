from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .test_diversion import DiversionCommon


@tagged("post_install", "-at_install")
class TestDiversionUi(DiversionCommon, DistributionHttpCommon):
    """The channel manager decides a diversion incident in the backend."""

    def test_manager_confirms_incident_with_penalty(self):
        Scan = self.env["distribution.code.scan"]
        Incident = self.env["distribution.diversion.incident"]
        # a unit supplied to the Nanjing dealer turns up at the Hangzhou store
        code = self._code("dl_nj")
        answer = Scan.with_user(self.users["st_hz"]).sudo()._record_scan(
            code.name, "portal", member=self.members["st_hz"]
        )
        self.assertTrue(answer["incident"])
        incident = Incident.search([("code_id", "=", code.id)])
        # an incident already decided stays out of the way
        dismissed_code = self._code("dl_nj")
        Scan.sudo()._record_scan(dismissed_code.name, "backend", territory=self.terr_zj)
        dismissed = Incident.search([("code_id", "=", dismissed_code.id)])
        dismissed._dismiss("Display sample, not for sale")
        self.assertRecordValues(incident, [{
            "state": "investigating", "expected_member_id": self.members["dl_nj"].id,
            "expected_territory_id": self.terr_nj.id, "seen_territory_id": self.terr_hz.id,
            "user_id": self.channel_manager.id, "penalty_amount": 0.0,
        }])

        self.start_tour("/odoo", "distribution_diversion_confirm", login="dist_manager")

        self.assertRecordValues(incident, [{
            "state": "confirmed", "penalty_amount": 1500.0,
            "note": "Sold by the Nanjing dealer to a Hangzhou wholesaler",
        }])
        self.assertTrue(incident.date_decided)
        self.assertEqual(dismissed.state, "dismissed")
        self.assertFalse(incident.activity_ids, "the manager's investigation to-do is done")
