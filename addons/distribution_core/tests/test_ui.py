
from odoo.tests import tagged

from .common import DistributionHttpCommon


@tagged("post_install", "-at_install")
class TestOnboardingTour(DistributionHttpCommon):
    def test_invite_apply_approve_login(self):
        self.env["distribution.territory"].create(
            {"name": "Ningbo", "territory_type": "city", "parent_id": self.terr_zj.id}
        )
        # 1. the channel manager creates the invitation
        self.start_tour("/odoo", "distribution_invitation_create", login="dist_manager")
        invitation = self.env["distribution.invitation"].search([("name", "=", "Ningbo dealer tour")])
        self.assertEqual(invitation.inviter_member_id, self.members["rd_zj"])
        # 2. the applicant signs up through the link, without an account
        self.start_tour(f"/dist/join/{invitation.sudo().token}", "distribution_onboarding_apply")
        application = invitation.application_ids
        self.assertEqual(application.state, "pending")
        # 3. the manager approves
        self.start_tour("/odoo", "distribution_application_approve", login="dist_manager")
        self.assertEqual(application.state, "approved")
        member = application.member_id
        self.assertEqual((member.parent_id, member.tier_id), (self.members["rd_zj"], self.tier_dl))
        # 4. the dealer sets its password (from the sign-up email) and logs in
        application.user_id.password = "ningbo-dealer-pw"
        self.start_tour("/my", "distribution_portal_my_channel", login=application.user_id.login)


@tagged("post_install", "-at_install")
class TestMemberTreeTour(DistributionHttpCommon):
    def test_suspended_member_shows_in_the_tree(self):
        self.members["rd_zj"]._action_suspend("Overdue payments")
        self.assertEqual(self.members["rd_zj"].state, "suspended")
        self.start_tour(
            "/odoo/action-distribution_core.distribution_member_tree_action",
            "distribution_member_tree_status",
            login="dist_manager",
        )
