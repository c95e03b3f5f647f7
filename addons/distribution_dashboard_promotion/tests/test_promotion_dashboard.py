import base64
import json

from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from odoo.addons.distribution_promotion_announce.tests import test_report
from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet, menus_xml_ids_in_spreadsheet

XMLID = "distribution_dashboard_promotion.spreadsheet_dashboard_channel_promotions"
FILE = "distribution_dashboard_promotion/data/files/channel_promotions_dashboard.json"


@tagged("post_install", "-at_install")
class TestPromotionDashboard(test_report.TestAnnounceReport):
    """The Channel Promotions dashboard: in the Channel group for channel users, the shipped file, every
    pivot and chart valid for a channel manager, and the channel-wide deviation it shows."""

    # the orders of the announcement addon's report test, not its assertions again
    test_funnel_and_deviation_per_store = None

    def _data(self):
        dashboard = self.env.ref(XMLID)
        return dashboard, json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))

    def test_dashboard_published_to_channel_users(self):
        dashboard, data = self._data()
        self.assertEqual(dashboard.dashboard_group_id, self.env.ref("distribution_dashboard.spreadsheet_dashboard_group_channel"))
        with file_open(FILE) as f:
            self.assertEqual(data, json.load(f))
        served = json.loads(dashboard.with_user(self.channel_user)._get_serialized_readonly_dashboard())
        self.assertEqual(served["translation_namespace"], "distribution_dashboard_promotion")
        employee = new_test_user(self.env, login="promo_dash_employee", groups="base.group_user")
        self.assertFalse(self.env["spreadsheet.dashboard"].with_user(employee).search([("id", "=", dashboard.id)]))

    def test_dashboard_sources_are_valid(self):
        _dashboard, data = self._data()
        models = {p["model"] for p in data["pivots"].values()}
        models |= {f["data"]["metaData"]["resModel"] for sheet in data["sheets"] for f in sheet["figures"]
                   if f["data"]["type"].startswith("odoo_")}
        self.assertEqual(models, {"distribution.promotion.deviation", "distribution.promotion.announcement"})
        for model, names in fields_in_spreadsheet(data).items():
            for name in names:
                self.assertIn(name.split(".")[0], self.env[model]._fields, f"{model}.{name}")
        for menu in menus_xml_ids_in_spreadsheet(data):
            self.assertTrue(self.env.ref(menu).action, menu)
        for pivot in data["pivots"].values():
            Model = self.env[pivot["model"]].with_user(self.channel_manager)
            for match in pivot["fieldMatching"].values():
                field = Model._fields[match["chain"]]
                self.assertEqual(match["type"], field.type, f"{Model._name}.{match['chain']}")
            groupby = [g["fieldName"] for g in pivot["rows"] + pivot["columns"]]
            aggregates = ["__count" if m["fieldName"] == "__count"
                          else f"{m['fieldName']}:{Model._fields[m['fieldName']].aggregator}"
                          for m in pivot["measures"]]
            Model.formatted_read_group(pivot["domain"], groupby, aggregates)

    def test_channel_wide_deviation_as_the_dashboard_reads_it(self):
        """The scorecard's pivot (no group-by, deviation:avg) gives the missed share of all eligible orders."""
        test_report.TestAnnounceReport.test_funnel_and_deviation_per_store(self)
        _dashboard, data = self._data()
        totals = next(p for p in data["pivots"].values() if p["name"] == "Deviation (totals)")
        [group] = self.env[totals["model"]].with_user(self.channel_manager).formatted_read_group(
            totals["domain"], [], ["eligible_order_count:sum", "missed_order_count:sum", "deviation:avg"])
        self.assertEqual((group["eligible_order_count:sum"], group["missed_order_count:sum"]), (9, 5))
        self.assertAlmostEqual(group["deviation:avg"], 55.6)
