import base64
import io

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import MigrationCommon


@tagged("post_install", "-at_install")
class TestMigrationTour(MigrationCommon, HttpCase):
    """An implementer maps a legacy member file in the backend, reviews the dry run,
    checks the rejected rows file and imports (tour ``distribution_migration_tour``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # importing members creates their companies: the implementer may create contacts
        cls.manager.group_ids = [Command.link(cls.env.ref("base.group_partner_manager").id)]
        cls.dealer = cls.env["distribution.member"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Mig Hangzhou Dealer Co", "is_company": True}).id,
                "code": "MIG-DL",
                "tier_id": cls.tier_dl.id,
                "parent_id": cls.rd.id,
                "territory_id": cls.terr_hz.id,
                "state": "active",
            }
        )
        # the legacy ERP writes KH- in front of its customer codes; the channel codes have none
        cls.tour_profile = cls.env["distribution.import.profile"].create(
            {
                "name": "Legacy ERP – members (tour)",
                "source_system": "金蝶K3",
                "target": "member",
                "prefix_map_ids": [Command.create({"old_prefix": "KH-"})],
            }
        )

    def test_implementer_imports_legacy_members(self):
        # reachable from Channel → Configuration → Data Migration → Imports
        menu = self.env.ref("distribution_migration.menu_distribution_import_job")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids())
        self.assertEqual(menu.action, self.env.ref("distribution_migration.distribution_import_job_action"))
        self.start_tour(
            "/odoo/action-distribution_migration.distribution_import_job_action",
            "distribution_migration_tour",
            login="mig_manager",
        )

        job = self.env["distribution.import.job"].search([("profile_id", "=", self.tour_profile.id)])
        self.assertEqual(len(job), 1, "the tour created one import")
        self.assertRecordValues(job, [{
            "state": "done", "target": "member", "file_name": "legacy_customers.csv", "user_id": self.manager.id,
            "rows_read": 6, "rows_create": 3, "rows_update": 0, "rows_merge": 0, "rows_reject": 3,
        }])
        self.assertCountsAddUp(job)
        self.assertTrue(job.date_checked and job.date_done)

        # the three clean rows are members under the dealer, their codes and phones normalised
        self.assertRecordValues(
            self._member("TS001") | self._member("TS002") | self._member("TS006"),
            [
                {"name": "杭州拱墅优品便利店", "tier_id": self.tier_st.id, "parent_id": self.dealer.id,
                 "territory_id": self.terr_hz.id, "phone": "+8613800138001", "credit_limit": 20000.0},
                {"name": "杭州上城邻里超市", "tier_id": self.tier_st.id, "parent_id": self.dealer.id,
                 "territory_id": self.terr_hz.id, "phone": "+8613800138002", "credit_limit": 15000.0},
                {"name": "杭州余杭良渚便利店", "tier_id": self.tier_st.id, "parent_id": self.dealer.id,
                 "territory_id": self.terr_hz.id, "phone": "+8613800138006", "credit_limit": 8000.0},
            ],
        )
        for code in ("TS003", "TS004", "TS005", "KH-TS001"):
            self.assertFalse(self._member(code), f"{code} must not be imported")

        # every rejected row is reported with its file row number and reason
        reasons = self._reasons(job)
        self.assertEqual(sorted(reasons), [4, 5, 6])
        self.assertIn("批发商", reasons[5], "the unknown tier is named")

        # the rejected rows file: the original headers, a reason column, the three rows, ready to fix
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.rejected_file)), read_only=True).active
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(table[0][:7], ["客户编码", "客户名称", "渠道级别", "上级客户", "销售区域", "门店电话", "信用额度"])
        self.assertTrue(any("Reason" in str(cell) for cell in table[0][7:]), table[0])
        self.assertEqual([row[0] for row in table[1:]], ["KH-TS003", "KH-TS004", "KH-TS005"])
        action = job.action_download_rejected()
        self.assertEqual(
            action["url"],
            f"/web/content/distribution.import.job/{job.id}/rejected_file/{job.rejected_file_name}?download=true",
        )

        # the column mapped by hand is remembered for the next file of this legacy system
        mapping = self.tour_profile.mapping_ids.filtered(lambda line: line.header == "门店电话")
        self.assertEqual(mapping.field_id, self.env.ref("distribution_migration.import_field_member_phone"))

        # the import is logged
        self.assertTrue(job.message_ids.filtered(lambda message: "6 rows read" in str(message.body)))
