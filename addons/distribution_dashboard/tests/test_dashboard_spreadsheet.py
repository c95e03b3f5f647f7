import base64
import json

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import file_open

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet, menus_xml_ids_in_spreadsheet

DASHBOARDS = {
    "distribution_dashboard.spreadsheet_dashboard_channel_sales": {
        "file": "distribution_dashboard/data/files/channel_sales_dashboard.json",
        "models": {"distribution.channel.sales.member", "distribution.channel.sales.product"},
    },
    "distribution_dashboard.spreadsheet_dashboard_channel_finance": {
        "file": "distribution_dashboard/data/files/channel_finance_dashboard.json",
        "models": {"distribution.rebate.report", "distribution.commission", "distribution.statement.kpi"},
    },
    "distribution_dashboard.spreadsheet_dashboard_channel_health": {
        "file": "distribution_dashboard/data/files/channel_health_dashboard.json",
        "models": {"distribution.stock.analysis", "distribution.diversion.kpi", "tier.review"},
    },
}


@tagged("post_install", "-at_install")
class TestDashboardSpreadsheets(TransactionCase):
    """The Channel dashboards exist, parse, and every pivot, list and chart they hold reads its model
    as a channel manager would (fields, domains, group-bys and measures valid)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="dash_manager", groups="distribution_core.group_channel_manager")

    def _data(self, xmlid):
        dashboard = self.env.ref(xmlid)
        return dashboard, json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))

    def test_dashboards_in_channel_group(self):
        group = self.env.ref("distribution_dashboard.spreadsheet_dashboard_group_channel")
        self.assertEqual(group.name, "Channel")
        # bridges (distribution_dashboard_promotion) add theirs after these three
        self.assertEqual(
            group.published_dashboard_ids.mapped("name")[:3], ["Channel Sales", "Channel Finance", "Channel Health"]
        )
        # the channel users see them, others (e.g. a plain employee) do not
        visible = self.env["spreadsheet.dashboard"].with_user(self.manager).search(
            [("dashboard_group_id", "=", group.id)]
        )
        self.assertEqual(visible, group.published_dashboard_ids)
        employee = new_test_user(self.env, login="dash_employee", groups="base.group_user")
        self.assertFalse(
            self.env["spreadsheet.dashboard"].with_user(employee).search([("dashboard_group_id", "=", group.id)])
        )
        action = self.env.ref("distribution_dashboard.action_channel_dashboards")
        self.assertEqual(action.tag, "action_spreadsheet_dashboard")
        self.assertEqual(
            action.params, {"dashboard_id": self.env.ref(next(iter(DASHBOARDS))).id}
        )

    def test_dashboard_data_is_the_shipped_file(self):
        for xmlid, spec in DASHBOARDS.items():
            dashboard, data = self._data(xmlid)
            with file_open(spec["file"]) as f:
                self.assertEqual(data, json.load(f))
            # what the Dashboards app loads
            served = json.loads(dashboard.with_user(self.manager)._get_serialized_readonly_dashboard())
            self.assertEqual(served["translation_namespace"], "distribution_dashboard")
            self.assertEqual(len(served["snapshot"]["sheets"]), 2)

    def test_dashboard_sources_are_valid(self):
        for xmlid, spec in DASHBOARDS.items():
            _dashboard, data = self._data(xmlid)
            models = {p["model"] for p in data["pivots"].values()} | {li["model"] for li in data["lists"].values()}
            models |= {
                f["data"]["metaData"]["resModel"]
                for sheet in data["sheets"] for f in sheet["figures"] if f["data"]["type"].startswith("odoo_")
            }
            self.assertEqual(models, spec["models"], xmlid)
            filter_ids = {f["id"] for f in data["globalFilters"]}
            for model, field_names in fields_in_spreadsheet(data).items():
                for name in field_names:
                    self.assertIn(name.split(".")[0], self.env[model]._fields, f"{xmlid}: {model}.{name}")
            for menu in menus_xml_ids_in_spreadsheet(data):
                self.assertTrue(self.env.ref(menu).action, f"{xmlid}: menu {menu}")
            for pivot in data["pivots"].values():
                Model = self.env[pivot["model"]].with_user(self.manager)
                self._check_matching(xmlid, Model, pivot["fieldMatching"], filter_ids)
                groupby = [
                    f"{g['fieldName']}:{g['granularity']}" if g.get("granularity") else g["fieldName"]
                    for g in pivot["rows"] + pivot["columns"]
                ]
                aggregates = [
                    "__count" if m["fieldName"] == "__count"
                    else f"{m['fieldName']}:{Model._fields[m['fieldName']].aggregator}"
                    for m in pivot["measures"]
                ]
                Model.formatted_read_group(pivot["domain"], groupby, aggregates)
            for list_def in data["lists"].values():
                Model = self.env[list_def["model"]].with_user(self.manager)
                self._check_matching(xmlid, Model, list_def["fieldMatching"], filter_ids)
                order = ", ".join(f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in list_def["orderBy"])
                Model.search_read(list_def["domain"], list_def["columns"], order=order, limit=10)
            for sheet in data["sheets"]:
                for figure in sheet["figures"]:
                    chart = figure["data"]
                    if not chart["type"].startswith("odoo_"):
                        continue
                    Model = self.env[chart["metaData"]["resModel"]].with_user(self.manager)
                    self._check_matching(xmlid, Model, chart["fieldMatching"], filter_ids)
                    measure = chart["metaData"]["measure"]
                    Model.formatted_read_group(
                        chart["searchParams"]["domain"], chart["metaData"]["groupBy"],
                        [f"{measure}:{Model._fields[measure].aggregator}"],
                    )
                    if chart.get("actionXmlId"):
                        self.assertEqual(self.env.ref(chart["actionXmlId"]).res_model, Model._name)

    def _check_matching(self, xmlid, Model, matching, filter_ids):
        for filter_id, match in matching.items():
            self.assertIn(filter_id, filter_ids, xmlid)
            field = Model._fields[match["chain"]]
            expected = "many2one" if field.type == "many2one" else field.type
            self.assertEqual(match["type"], expected, f"{xmlid}: {Model._name}.{match['chain']}")
