"""The portal page My Approvals, as the engine sees it: which reviews a portal user may decide,
what he is shown, and his decision going through the same checks as the back office's buttons."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ApprovalCommon

BYPASS_CONTEXT = {"skip_validation_check": True, "skip_check_state_condition": True,
                  "tier_validation_defer_compute_can_review": True}


@tagged("post_install", "-at_install")
class TestPortalApprovals(ApprovalCommon):
    def setUp(self):
        super().setUp()
        self._rule(reviewer_id=self.portal.id)
        self.document = self._pending()
        self.review = self.document.review_ids

    def test_lists_what_the_portal_user_may_decide(self):
        Review = self.env["tier.review"]
        self.assertEqual(Review.with_user(self.portal)._dms_portal_reviews(), self.review)
        for user in (self.requester, self.colleague, self.approver):
            self.assertFalse(Review.with_user(user)._dms_portal_reviews())
        # a model that does not opt in keeps its reviews out of the page
        self._rule(model=self.plain_model, reviewer_id=self.portal.id)
        plain = self.env["dms.approval.tester.plain"].with_user(self.requester).create({"amount": 500.0})
        plain.request_validation()
        self.assertEqual(plain.review_ids.reviewer_ids, self.portal)
        self.assertEqual(Review.with_user(self.portal)._dms_portal_reviews(), self.review)
        [(review, summary)] = Review.with_user(self.portal)._dms_portal_reviews()._dms_portal_rows()
        self.assertEqual(review, self.review)
        self.assertEqual(
            {key: summary[key] for key in ("kind", "name", "member", "amount", "url")},
            {"kind": "Approval Tester", "name": self.document.display_name, "member": "Customer Cy",
             "amount": 500.0, "url": False},
        )

    def test_only_the_reviewer_decides_and_nothing_skips_a_check(self):
        for user in (self.requester, self.colleague, self.approver):
            document = self.document.with_user(user).with_context(**BYPASS_CONTEXT)
            for decision in ("approve", "reject"):
                with self.assertRaises(AccessError):
                    document._dms_portal_decide(self.review, decision, "no")
        self.assertEqual((self.document.state, self.review.status), ("draft", "pending"))
        portal = self.document.with_user(self.portal).with_context(**BYPASS_CONTEXT)
        with self.assertRaises(AccessError):
            portal._dms_portal_decide(self.review, "sign", "")
        portal._dms_portal_decide(self.review, "approve")
        self.assertEqual((self.document.state, self.review.status, self.review.done_by),
                         ("done", "approved", self.portal))
        with self.assertRaises(AccessError):
            portal._dms_portal_decide(self.review, "approve")  # once decided, no longer his to decide

    def test_rejection_needs_a_reason(self):
        portal = self.document.with_user(self.portal)
        with self.assertRaisesRegex(UserError, "reason"):
            portal._dms_portal_decide(self.review, "reject", " ")
        portal._dms_portal_decide(self.review, "reject", "Price too low")
        self.assertEqual((self.document.state, self.document.validation_status), ("draft", "rejected"))
        self.assertEqual(self.document.dms_rejection_reason, "Price too low")

    def test_card_for_who_has_something_to_see(self):
        """The portal home's card My Approvals: for the reviewer with a decision to take and for the
        requester whose request waits; not for anyone else, nor for having reviewed once."""
        Review = self.env["tier.review"]
        self.assertEqual(Review.with_user(self.requester)._dms_portal_requests(), self.review)
        for user in (self.portal, self.requester):
            self.assertTrue(Review.with_user(user)._dms_portal_card(), user.login)
        for user in (self.colleague, self.approver):
            self.assertFalse(Review.with_user(user)._dms_portal_card(), user.login)
            self.assertFalse(Review.with_user(user)._dms_portal_requests())
        [(review, summary)] = Review.with_user(self.requester)._dms_portal_requests()._dms_portal_rows()
        self.assertEqual((review.todo_by, summary["name"], summary["amount"]),
                         (self.portal.name, self.document.display_name, 500.0))
        self.document.with_user(self.portal)._dms_portal_decide(self.review, "reject", "Too expensive")
        for user in (self.portal, self.requester):
            self.assertFalse(Review.with_user(user)._dms_portal_card(), f"{user.login}: nothing left to see")
        self.assertFalse(Review.with_user(self.requester)._dms_portal_requests(), "a refused request no longer waits")
