import base64
import csv
import io

import xlsxwriter

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class MigrationCommon(TransactionCase):
    """A small channel and a member import profile, with helpers to build files and
    run imports. Other targets' tests reuse the helpers (``_csv``, ``_xlsx``,
    ``_job``, ``_dry_run``, ``_import``, ``assertCountsAddUp``).

        TGA  MIG-GA  (East)
        └── TRD  MIG-RD  (Zhejiang)        VAT 91330000MIGRD0001X, +8613900000001
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env, login="mig_manager", groups="distribution_core.group_channel_manager",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        Tier = cls.env["distribution.tier"]
        cls.tier_ga, cls.tier_rd, cls.tier_dl, cls.tier_st = Tier.create(
            [
                {"name": "Mig General Agent", "code": "MGA", "sequence": 210},
                {"name": "Mig Regional Distributor", "code": "MRD", "sequence": 220},
                {"name": "Mig Dealer", "code": "MDL", "sequence": 230},
                {"name": "Mig Store", "code": "MST", "sequence": 240, "exclusive_territory": False},
            ]
        )
        Territory = cls.env["distribution.territory"]
        cls.terr_east = Territory.create({"name": "Mig East", "code": "MEAST"})
        cls.terr_zj = Territory.create({"name": "Mig Zhejiang", "code": "MZJ", "parent_id": cls.terr_east.id})
        cls.terr_hz = Territory.create({"name": "Mig Hangzhou", "code": "MHZ", "parent_id": cls.terr_zj.id})
        cls.terr_js = Territory.create({"name": "Mig Jiangsu", "code": "MJS", "parent_id": cls.terr_east.id})
        Partner = cls.env["res.partner"]
        cls.ga = cls.env["distribution.member"].create(
            {
                "partner_id": Partner.create({"name": "Mig GA Co", "is_company": True}).id,
                "code": "MIG-GA",
                "tier_id": cls.tier_ga.id,
                "territory_id": cls.terr_east.id,
                "state": "active",
            }
        )
        cls.rd = cls.env["distribution.member"].create(
            {
                "partner_id": Partner.create(
                    {"name": "Mig RD Co", "is_company": True, "vat": "91330000MIGRD0001X", "phone": "+8613900000001"}
                ).id,
                "code": "MIG-RD",
                "tier_id": cls.tier_rd.id,
                "parent_id": cls.ga.id,
                "territory_id": cls.terr_zj.id,
                "state": "active",
            }
        )
        cls.profile = cls.env["distribution.import.profile"].create(
            {"name": "Legacy ERP members (test)", "source_system": "Test ERP", "target": "member"}
        )

    # ------------------------------------------------------------------
    # Files
    # ------------------------------------------------------------------
    @staticmethod
    def _csv(rows, encoding="utf-8", delimiter=","):
        """CSV bytes of the rows (lists of cells; a str row is written as is)."""
        output = io.StringIO(newline="")
        writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            if isinstance(row, str):
                output.write(row + "\r\n")
            else:
                writer.writerow(row)
        return output.getvalue().encode(encoding)

    @staticmethod
    def _xlsx(rows):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet()
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for index, row in enumerate(rows):
            for column, value in enumerate(row):
                if hasattr(value, "year"):
                    sheet.write_datetime(index, column, value, date_format)
                elif value is not None:
                    sheet.write(index, column, value)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    def _job(self, content, file_name="members.csv", profile=None, **vals):
        job = self.env["distribution.import.job"].create(
            dict(
                {
                    "profile_id": (profile or self.profile).id,
                    "file": base64.b64encode(content),
                    "file_name": file_name,
                },
                **vals,
            )
        )
        job.action_read_file()
        return job

    def _dry_run(self, content, file_name="members.csv", profile=None, **vals):
        job = self._job(content, file_name, profile, **vals)
        job.action_dry_run()
        self.assertCountsAddUp(job)
        return job

    def _import(self, content, file_name="members.csv", profile=None, **vals):
        job = self._job(content, file_name, profile, **vals)
        job.action_import()
        self.assertCountsAddUp(job)
        return job

    def _counts(self, job):
        return {
            "read": job.rows_read,
            "create": job.rows_create,
            "update": job.rows_update,
            "unchanged": job.rows_unchanged,
            "merge": job.rows_merge,
            "reject": job.rows_reject,
        }

    def _reasons(self, job):
        """{row number: reason} of the rejected rows."""
        return {reject.row: reject.reason for reject in job.reject_ids}

    def assertCountsAddUp(self, job):
        self.assertEqual(
            job.rows_read,
            job.rows_create + job.rows_update + job.rows_merge + job.rows_reject,
            "every row read is created, updated, merged or rejected",
        )
        self.assertLessEqual(job.rows_unchanged, job.rows_update)
        self.assertEqual(len(job.reject_ids), job.rows_reject)
        self.assertEqual(bool(job.rejected_file), bool(job.rows_reject))

    def _member(self, code):
        return self.env["distribution.member"].search([("code", "=", code)])
