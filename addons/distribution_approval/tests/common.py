from odoo import Command
from odoo.orm.model_classes import add_to_registry
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

TESTER_MODELS = ["dms.approval.tester", "dms.approval.tester.line", "dms.approval.tester.plain"]


class ApprovalCommon(BaseCommon):
    """Test documents registered for the test only (as the OCA's own tests do), an
    approver, a requester, a colleague and an approval manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .approval_tester import ApprovalTester, ApprovalTesterLine, ApprovalTesterPlain

        for model_def in (ApprovalTester, ApprovalTesterLine, ApprovalTesterPlain):
            add_to_registry(cls.registry, model_def)
        cls.registry._setup_models__(cls.env.cr, [*TESTER_MODELS, "tier.definition"])
        cls.registry.init_models(cls.env.cr, TESTER_MODELS, {"models_to_check": True})
        for model_name in TESTER_MODELS:
            cls.addClassCleanup(cls.registry.__delitem__, model_name)
        for model_name in TESTER_MODELS:
            model = cls.env["ir.model"]._get(model_name)
            cls.env["ir.model.access"].create({
                "name": f"access {model_name}", "model_id": model.id, "group_id": cls.env.ref("base.group_user").id,
                "perm_read": 1, "perm_write": 1, "perm_create": 1, "perm_unlink": 1,
            })
        cls.tester_model = cls.env["ir.model"]._get("dms.approval.tester")
        cls.plain_model = cls.env["ir.model"]._get("dms.approval.tester.plain")
        company = cls.env.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.approver = new_test_user(cls.env, login="apv_approver", name="Approver Ann", **common)
        cls.requester = new_test_user(cls.env, login="apv_requester", name="Requester Rex", **common)
        cls.colleague = new_test_user(cls.env, login="apv_colleague", name="Colleague Col", **common)
        cls.manager = new_test_user(
            cls.env, login="apv_manager", name="Manager Meg", groups="base.group_user,distribution_approval.group_approval_manager",
            **common,
        )
        cls.portal = new_test_user(cls.env, login="apv_portal", name="Portal Pat", groups="base.group_portal", **common)
        cls.env["tier.definition"].search([]).active = False
        cls.partner = cls.env["res.partner"].create({"name": "Customer Cy"})

    def _rule(self, model=None, **vals):
        values = {
            "name": "Rule",
            "model_id": (model or self.tester_model).id,
            "review_type": "individual",
            "reviewer_id": self.approver.id,
            "definition_domain": "[('amount', '>', 100)]",
            "approve_sequence": True,
        }
        values.update(vals)
        return self.env["tier.definition"].create(values)

    def _document(self, amount=500.0, user=None):
        env = self.env(user=user or self.requester)
        return env["dms.approval.tester"].create(
            {"partner_id": self.partner.id, "line_ids": [Command.create({"amount": amount})]}
        )

    def _pending(self, amount=500.0):
        document = self._document(amount)
        document.action_done()
        self.assertEqual(document.validation_status, "pending")
        self.assertEqual(document.state, "draft")
        return document
