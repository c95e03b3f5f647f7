from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_approval.tests.bypass import ApprovalBypassMixin

from .common import DistributionCommon

UNDER_REVIEW = "waiting for approval|under validation"


@tagged("post_install", "-at_install")
class TestApplicationApproval(DistributionCommon, ApprovalBypassMixin):
    """Applications go through the approval engine: the territory manager decides, and nobody
    gets around it (moved here from the sell-in approval tests, now in distribution_sale)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def _application_under_territory_manager(self):
        """A store's application to the Hangzhou dealer, whose territory manager approves members."""
        self.terr_hz.manager_id = self.channel_manager
        self.env["tier.definition"].create(
            {"name": "Territory manager approves members",
             "model_id": self.env.ref("distribution_core.model_distribution_application").id,
             "review_type": "territory_manager", "definition_domain": "[]"}
        )
        invitation = self.env["distribution.invitation"].with_user(self.channel_manager).create(
            {"name": "Stores", "inviter_member_id": self.members["dl_hz"].id, "tier_id": self.tier_st.id,
             "territory_id": self.terr_hz.id}
        )
        return self.env["distribution.application"].create(
            {"invitation_id": invitation.id, "name": "Corner Shop", "contact_name": "Li Lei",
             "email": "lilei@example.com", "vat": "91330100XH0000009X", "territory_id": self.terr_hz.id}
        )

    def test_application_needs_territory_manager(self):
        application = self._application_under_territory_manager()
        # the channel user's approval only asks the territory manager
        application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.state, "pending")
        self.assertFalse(application.member_id)
        self.assertEqual(application.review_ids.reviewer_ids, self.channel_manager)
        with self.assertRaises(AccessError):
            application.with_user(self.channel_user).validate_tier()
        application.with_user(self.channel_manager).validate_tier()
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.member_id.parent_id, self.members["dl_hz"])

    def test_application_cannot_be_moved_under_review(self):
        application = self._application_under_territory_manager()
        application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.review_ids.reviewer_ids, self.channel_manager)
        with self.assertRaises(AccessError):
            application.review_ids.with_user(self.channel_user).write({"reviewer_ids": [Command.set(self.channel_user.ids)]})
        with self.assertRaises(AccessError):
            application.review_ids.with_user(self.channel_user).unlink()
        # moving the application to a territory whose manager is more lenient, while it waits
        with self.assertRaisesRegex(ValidationError, UNDER_REVIEW):
            application.with_user(self.channel_user).write({"manager_id": self.channel_user.id})
        self.assertEqual(application.state, "pending")

    def test_reviewer_rejection_rejects_the_application(self):
        """The territory manager refuses with the Reject button: the application is Rejected with his
        reason, decided by him, and the applicant (who has no account yet) gets it by email."""
        application = self._application_under_territory_manager()
        application.with_user(self.channel_user).action_approve()
        review = application.review_ids
        action = application.with_user(self.channel_manager).reject_tier()
        wizard = self.env["comment.wizard"].with_user(self.channel_manager).with_context(**action["context"]).create(
            {"comment": "Hangzhou has enough stores"}
        )
        wizard.add_comment()
        self.assertEqual(
            (application.state, application.validation_status, application.reject_reason, application.decided_by_id),
            ("rejected", "rejected", "Hangzhou has enough stores", self.channel_manager),
        )
        self.assertFalse(application.member_id)
        self.assertEqual(application.review_ids, review, "the review stays: who refused, and why")
        self.assertEqual((review.status, review.done_by), ("rejected", self.channel_manager))
        mail = self.env["mail.mail"].search([("email_to", "=", "lilei@example.com")], limit=1)
        self.assertIn("Hangzhou has enough stores", str(mail.body_html), "the applicant is told why")
        # decided: neither the reviewer nor anyone else approves it afterwards
        with self.assertRaises(UserError):
            application.with_user(self.channel_manager).validate_tier()
        with self.assertRaises(UserError):
            application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.state, "rejected")

    def test_no_way_around_a_pending_application(self):
        """The catalogue of ways around a pending review (distribution_approval/tests/bypass.py) on an
        application: as the channel user who sent it for approval (one of the rule's group, never his
        own reviewer), as another internal user and as the inviting dealer's portal user."""
        group = self.env["res.groups"].create(
            {"name": "Membership reviewers", "user_ids": [Command.set((self.channel_user | self.channel_manager).ids)]}
        )
        self.env["tier.definition"].create(
            {"name": "Reviewers check members", "model_id": self.env.ref("distribution_core.model_distribution_application").id,
             "review_type": "group", "reviewer_group_id": group.id, "definition_domain": "[]"}
        )
        invitation = self.env["distribution.invitation"].with_user(self.channel_manager).create(
            {"name": "Stores", "inviter_member_id": self.members["dl_hz"].id, "tier_id": self.tier_st.id,
             "territory_id": self.terr_hz.id}
        )
        application = self.env["distribution.application"].create(
            {"invitation_id": invitation.id, "name": "Corner Shop", "contact_name": "Li Lei",
             "email": "lilei@example.com", "vat": "91330100XH0000009X", "territory_id": self.terr_hz.id}
        )
        application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.review_ids.reviewer_ids, self.channel_manager, "not the requester himself")
        other = new_test_user(self.env, login="app_other", groups="base.group_user")
        self._assert_no_bypass(
            application, self.channel_manager, self.channel_user | other | self.users["dl_hz"],
            figures={"territory_id": self.terr_nj.id, "manager_id": self.channel_user.id,
                     "invitation_id": invitation.copy({"territory_id": self.terr_nj.id}).id},
        )
        self.assertFalse(application.member_id)
        application.with_user(self.channel_manager).validate_tier()
        self.assertEqual((application.state, application.member_id.territory_id), ("approved", self.terr_hz))
