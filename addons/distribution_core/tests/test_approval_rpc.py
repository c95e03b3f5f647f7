"""Approvals through the wire (issue #25): what an RPC client gets back from Validate /
Reject, and what a portal user can do to the approvals of documents outside his subtree."""

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionCommon, DistributionHttpCommon


class ApplicationMixin:
    def _try_everything(self, document, reviewer):
        now = fields.Datetime.now()
        review = document.review_ids
        for key in ("dl_nj", "dl_hz"):
            portal = self.users[key]
            attempts = {
                "validate": lambda p=portal: document.with_user(p).validate_tier(),
                "approve (portal path)": lambda p=portal: document.with_user(p)._dms_approve(),
                "reject": lambda p=portal: document.with_user(p)._dms_reject("no"),
                "add himself as reviewer": lambda p=portal: review.with_user(p).write(
                    {"reviewer_ids": [Command.link(p.id)]}),
                "approve the review": lambda p=portal: review.with_user(p).write({"status": "approved"}),
                "delete the review": lambda p=portal: review.with_user(p).unlink(),
                "forge a review": lambda p=portal: self.env["tier.review"].with_user(p).create(
                    {"model": document._name, "res_id": document.id, "definition_id": review.definition_id.id,
                     "status": "approved"}),
                "delegate the reviewer's approvals to himself": lambda p=portal: self.env[
                    "distribution.approval.delegation"].with_user(p).create(
                    {"user_id": reviewer.id, "delegate_id": p.id, "date_from": now,
                     "date_to": fields.Datetime.add(now, days=2)}),
                "comment wizard": lambda p=portal: self.env["comment.wizard"].with_user(p).create(
                    {"res_model": document._name, "res_id": document.id, "validate_reject": "validate",
                     "review_ids": [Command.set(review.ids)]}).add_comment(),
            }
            for name, attempt in attempts.items():
                with self.assertRaises(AccessError, msg=f"{key}: {name}"):
                    attempt()
        self.assertEqual(review.status, "pending")
        self.assertEqual(review.reviewer_ids, reviewer)

    def _application(self, name="Corner Shop", vat="91330100XH0000009X"):
        """An application waiting for the territory manager (the channel manager)."""
        self.terr_hz.manager_id = self.channel_manager
        if not self.env["tier.definition"].search([("name", "=", "Territory manager approves members")]):
            self.env["tier.definition"].create(
                {"name": "Territory manager approves members",
                 "model_id": self.env.ref("distribution_core.model_distribution_application").id,
                 "review_type": "territory_manager", "definition_domain": "[]"}
            )
        invitation = self.env["distribution.invitation"].with_user(self.channel_manager).create(
            {"name": "Stores", "inviter_member_id": self.members["dl_hz"].id, "tier_id": self.tier_st.id,
             "territory_id": self.terr_hz.id}
        )
        application = self.env["distribution.application"].create(
            {"invitation_id": invitation.id, "name": name, "contact_name": "Li Lei",
             "email": "lilei@example.com", "vat": vat, "territory_id": self.terr_hz.id}
        )
        application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.review_ids.status, "pending")
        self.assertEqual(application.review_ids.reviewer_ids, self.channel_manager)
        return application


@tagged("post_install", "-at_install")
class TestApprovalRpc(ApplicationMixin, DistributionHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def _call_kw(self, model, method, ids):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": [ids], "kwargs": {}},
        )

    def test_validate_and_reject_over_json_rpc(self):
        application = self._application()
        rejected = self._application(name="Kiosk", vat="91330100XH0000010X")
        self.authenticate("dist_manager", "dist_manager")
        self.assertIs(self._call_kw("distribution.application", "validate_tier", application.ids), True)
        self.assertEqual(application.state, "approved", "the last approval moves the application on")
        action = self._call_kw("distribution.application", "reject_tier", rejected.ids)
        self.assertEqual((action["res_model"], action["type"]), ("comment.wizard", "ir.actions.act_window"))
        self.assertEqual(rejected.review_ids.status, "pending", "the reason is asked first")

    def test_validate_over_xml_rpc(self):
        """XML-RPC cannot marshal None: the client gets True, not a fault."""
        application = self._application()
        uid = self.channel_manager.id
        result = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "dist_manager", "distribution.application", "validate_tier", [application.ids]
        )
        self.assertIs(result, True)
        self.assertEqual(application.state, "approved")

@tagged("post_install", "-at_install")
class TestPortalApprovalBypass(ApplicationMixin, DistributionCommon):
    """A portal user (of another subtree, or the inviting member itself) tries to decide,
    forge or hand over the approvals of applications (price publications: distribution_sale)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def test_application(self):
        application = self._application()
        self._try_everything(application, self.channel_manager)
        self.assertEqual(application.state, "pending")
        self.assertFalse(application.member_id)
