from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MigrationCommon


@tagged("post_install", "-at_install")
class TestImportAccess(MigrationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.channel_user = new_test_user(
            cls.env, login="mig_channel_user", groups="distribution_core.group_channel_user",
            company_id=company.id, company_ids=[Command.set(company.ids)],
        )
        cls.portal_user = new_test_user(
            cls.env, login="mig_portal", groups="base.group_portal",
            company_id=company.id, company_ids=[Command.set(company.ids)],
        )
        cls.job = cls._job(cls, cls._csv([["code", "name", "tier"], ["AC1", "Access", "MST"]]))

    def test_channel_user_and_portal_have_no_access(self):
        for user in (self.channel_user, self.portal_user):
            env = self.env(user=user)
            for model, record in (("distribution.import.job", self.job), ("distribution.import.profile", self.profile)):
                with self.assertRaises(AccessError, msg=f"{user.login} reads {model}"):
                    env[model].browse(record.id).read(["name"])
                with self.assertRaises(AccessError, msg=f"{user.login} creates {model}"):
                    env[model].create({"name": "x", "profile_id": self.profile.id, "target": "member"}
                                      if model == "distribution.import.profile" else {"profile_id": self.profile.id})
            with self.assertRaises(AccessError):
                env["distribution.import.job"].browse(self.job.id).action_import()
            with self.assertRaises(AccessError):
                env["distribution.import.job.reject"].search([])

    def test_channel_manager_imports(self):
        # creating members means creating their companies: contact creation rights too
        self.manager.group_ids = [Command.link(self.env.ref("base.group_partner_manager").id)]
        job = self.job.with_user(self.manager)
        job.action_dry_run()
        job.action_import()
        self.assertEqual(job.rows_create, 1)
        self.assertEqual(self._member("AC1").manager_id, self.manager)
        self.assertEqual(job.user_id, self.env.user)  # who created the job

    def test_target_rights_checked_before_writing(self):
        """A user allowed to run imports but not to create members is refused before anything is written."""
        importer = new_test_user(self.env, login="mig_importer", groups="base.group_user")
        self.env["ir.model.access"].create({
            "name": "test import job", "model_id": self.env.ref("distribution_migration.model_distribution_import_job").id,
            "group_id": self.env.ref("base.group_user").id, "perm_read": True, "perm_write": True,
            "perm_create": True,
        })
        for model in ("profile", "field", "job_column", "job_reject", "job_preview", "profile_mapping", "prefix_map"):
            self.env["ir.model.access"].create({
                "name": f"test {model}",
                "model_id": self.env.ref(f"distribution_migration.model_distribution_import_{model}").id,
                "group_id": self.env.ref("base.group_user").id, "perm_read": True, "perm_write": True,
                "perm_create": True, "perm_unlink": True,
            })
        job = self.job.with_user(importer)
        job.action_dry_run()  # reading and checking is allowed
        with self.assertRaises(AccessError):
            job.action_import()
        self.assertFalse(self._member("AC1"))
