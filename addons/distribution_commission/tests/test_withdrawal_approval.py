"""Issue #25 on withdrawals: a promoter's withdrawal under an approval rule cannot be got around
by the promoter who asks for it nor by another portal user, through RPC-like calls (``with_user``,
context keys a client could send); the reviewer decides it on the portal page My Approvals."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_approval.tests.bypass import ApprovalBypassMixin
from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import CommissionCommon

# what a client could put in the context of an RPC call to switch a check off
BYPASS_CONTEXT = {
    "skip_validation_check": True,
    "skip_check_state_condition": True,
    "tier_validation_defer_compute_can_review": True,
    "tracking_disable": True,
}
# AccessError and ValidationError are UserErrors: refused, whichever the reason
REFUSED = UserError


class WithdrawalApprovalCommon(CommissionCommon, ApprovalBypassMixin):
    """A withdrawal of the promoter (mid) waiting for the approval of the team's leads: the
    recruiter (top) and the promoter himself, who never reviews his own request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top_user = cls.env["res.users"].create(
            {"name": "Recruiter", "login": "promoter_top", "password": "promoter_top",
             "partner_id": cls.top.partner_id.id, "group_ids": [Command.set([cls.env.ref("base.group_portal").id])]}
        )
        # the team's leads approve withdrawals; the promoter asking is one of them
        cls.leads = cls.env["res.groups"].create(
            {"name": "Promoter leads", "user_ids": [Command.set((cls.top_user | cls.mid_user).ids)]}
        )
        cls.rule = cls.env["tier.definition"].create(
            {"name": "Leads check withdrawals",
             "model_id": cls.env.ref("distribution_commission.model_distribution_commission_withdrawal").id,
             "review_type": "group", "reviewer_group_id": cls.leads.id, "definition_domain": "[]"}
        )

    def setUp(self):
        super().setUp()
        self.commission = self._available(self.mid, 80.0)
        Withdrawal = self.env["distribution.commission.withdrawal"].with_user(self.mid_user)
        self.withdrawal = Withdrawal._request(self.mid.with_user(self.mid_user), 50.0)
        self.review = self.withdrawal.review_ids

    def _available(self, promoter, amount):
        return self.env["distribution.commission"].sudo().create(
            {"promoter_id": promoter.id, "company_id": self.env.company.id, "level": "1", "amount": amount,
             "state": "available", "release_date": "2025-01-01"}
        )

    def assertStillPending(self):
        self.env.invalidate_all()
        withdrawal, review = self.withdrawal, self.review
        self.assertEqual(withdrawal.review_ids, review, "no review was added or removed")
        self.assertEqual(
            (withdrawal.state, withdrawal.validation_status, review.status, withdrawal.amount, withdrawal.partner_id),
            ("submitted", "pending", "pending", 50.0, self.mid.partner_id),
        )
        self.assertEqual(review.reviewer_ids, self.top_user, "the requester is not his own reviewer")
        self.assertFalse(withdrawal.move_id, "nothing paid")
        self.assertEqual(self.commission.state, "available")
        self.assertEqual((self.mid.amount_withdrawn, self.mid.amount_available), (0.0, 80.0))



@tagged("post_install", "-at_install")
class TestWithdrawalApprovalBypass(WithdrawalApprovalCommon):
    def test_pending_withdrawal_is_reviewed_by_the_other_lead(self):
        self.assertStillPending()
        self.assertEqual(self.review.requested_by, self.mid_user)
        Review = self.env["tier.review"]
        self.assertEqual(Review.with_user(self.top_user)._dms_portal_reviews(), self.review)
        self.assertFalse(Review.with_user(self.mid_user)._dms_portal_reviews(), "not his own request")
        self.assertFalse(Review.with_user(self.low_user)._dms_portal_reviews())
        [(review, summary)] = Review.with_user(self.top_user)._dms_portal_reviews()._dms_portal_rows()
        self.assertEqual(
            (review, summary["member"], summary["amount"], summary["currency"], summary["url"]),
            (self.review, "Promoter", 50.0, self.env.company.currency_id, False),
            "the recruiter cannot open the promoter's withdrawal: no link, the figures on the card",
        )

    def test_create_is_refused(self):
        values = {"promoter_id": self.mid.id, "amount": 60.0, "state": "paid", "payout_account": "mine"}
        for user in (self.mid_user, self.low_user):
            Withdrawal = self.env["distribution.commission.withdrawal"].with_user(user).with_context(**BYPASS_CONTEXT)
            with self.assertRaises(AccessError):
                Withdrawal.create(values)
            with self.assertRaises(AccessError):
                self.env["tier.review"].with_user(user).with_context(**BYPASS_CONTEXT).create(
                    {"model": self.withdrawal._name, "res_id": self.withdrawal.id, "definition_id": self.rule.id,
                     "status": "approved", "reviewer_ids": [Command.set(user.ids)]}
                )
        self.assertEqual(self.env["distribution.commission.withdrawal"].search([]), self.withdrawal)
        self.assertStillPending()

    def test_figures_cannot_change_after_submission(self):
        other = self.env["distribution.promoter"].create({"partner_id": self.customer.id, "bank_account": "X"})
        for user in (self.mid_user, self.low_user):
            withdrawal = self.withdrawal.with_user(user).with_context(**BYPASS_CONTEXT)
            for values in ({"amount": 80.0}, {"promoter_id": other.id}, {"partner_id": self.customer.id},
                           {"state": "approved"}, {"payout_account": "somebody else's"}):
                with self.assertRaises(AccessError):
                    withdrawal.write(values)
            with self.assertRaises(AccessError):
                self.mid.with_user(user).with_context(**BYPASS_CONTEXT).write({"partner_id": self.customer.id})
        # a channel manager may write withdrawals, not the figures of one under approval
        with self.assertRaises(ValidationError):
            self.withdrawal.with_user(self.channel_manager).with_context(**BYPASS_CONTEXT).write({"amount": 80.0})
        self.assertStillPending()

    def test_the_review_cannot_be_removed_or_taken_over(self):
        for user in (self.mid_user, self.low_user):
            review = self.review.with_user(user).with_context(**BYPASS_CONTEXT)
            with self.assertRaises(AccessError):
                review.unlink()
            with self.assertRaises(AccessError):
                review.write({"reviewer_ids": [Command.link(user.id)]})
            with self.assertRaises(AccessError):
                review.write({"status": "approved"})
            withdrawal = self.withdrawal.with_user(user).with_context(**BYPASS_CONTEXT)
            with self.assertRaises(AccessError):
                withdrawal.write({"review_ids": [Command.unlink(self.review.id)]})
            with self.assertRaises(AccessError):
                withdrawal.write({"review_ids": [Command.update(self.review.id, {"reviewer_ids": [Command.link(user.id)]})]})
            with self.assertRaises(AccessError):
                self.env["distribution.approval.delegation"].with_user(user).create(
                    {"user_id": self.top_user.id, "delegate_id": user.id, "date_to": "2099-01-01 00:00:00"}
                )
        self.assertStillPending()

    def test_nobody_but_the_reviewer_decides(self):
        for user in (self.mid_user, self.low_user):
            withdrawal = self.withdrawal.with_user(user).with_context(**BYPASS_CONTEXT)
            for attempt in (
                withdrawal.validate_tier,
                withdrawal.action_approve,
                lambda w=withdrawal: w._dms_portal_decide(self.review, "approve"),
                lambda w=withdrawal: w._dms_portal_decide(self.review, "reject", "no"),
                lambda w=withdrawal: w._dms_approve(),
            ):
                with self.assertRaises(REFUSED):
                    attempt()
                self.assertStillPending()
        # the requester is a lead too, but never his own reviewer (the rule does not say otherwise)
        self.assertTrue(self.rule.exclude_requester)
        self.assertStillPending()
        # the other lead approves on his portal page: the engine pays
        self.withdrawal.with_user(self.top_user)._dms_portal_decide(self.review, "approve")
        self.env.invalidate_all()
        self.assertEqual((self.withdrawal.state, self.review.status, self.review.done_by),
                         ("paid", "approved", self.top_user))
        self.assertEqual(self.withdrawal.move_id.amount_total, 45.0)  # 50 less his 10% withholding tax
        self.assertEqual((self.mid.amount_withdrawn, self.mid.amount_available), (50.0, 30.0))

    def test_catalogue_of_ways_around(self):
        """The catalogue of distribution_approval/tests/bypass.py on the pending withdrawal, as the
        promoter who asked (a lead too), the sub-promoter and an internal user without rights on it."""
        clerk = new_test_user(self.env, login="wd_clerk", groups="base.group_user")
        self._assert_no_bypass(
            self.withdrawal, self.top_user, self.mid_user | self.low_user | clerk,
            figures={"amount": 80.0, "partner_id": self.customer.id, "withholding_rate": 0.0},
        )
        self.assertStillPending()

    def test_reviewer_rejects_with_a_reason(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self.withdrawal.with_user(self.top_user)._dms_portal_decide(self.review, "reject", "  ")
        self.withdrawal.with_user(self.top_user)._dms_portal_decide(self.review, "reject", "Bank account unverified")
        self.env.invalidate_all()
        self.assertEqual((self.withdrawal.state, self.review.status), ("rejected", "rejected"))
        self.assertEqual(self.withdrawal.dms_rejection_reason, "Bank account unverified")
        self.assertFalse(self.withdrawal.move_id)
        self.assertEqual(self.mid.amount_withdrawable, 80.0, "a rejected request no longer holds the money")


@tagged("post_install", "-at_install")
class TestWithdrawalOnMyApprovals(WithdrawalApprovalCommon, DistributionHttpCommon):
    """The same withdrawal through the portal page My Approvals, over HTTP."""

    def test_the_other_lead_approves_on_my_approvals(self):
        for login in ("promoter_mid", "promoter_low"):
            self.authenticate(login, login)
            page = self.url_open("/my/approvals").text
            self.assertIn("Nothing waits for your approval.", page)
            # nothing to decide (the requester sees it only among his own requests waiting)
            self.assertNotIn(self.withdrawal.name, page.split("o_dms_approval_requests")[0])
            csrf = self._csrf("/my/earnings")  # his page has nothing to approve, so no form
            self.assertTrue(csrf)
            response = self.url_open(f"/my/approvals/{self.review.id}/approve", data={"csrf_token": csrf})
            self.assertEqual(response.status_code, 404)
        self.assertStillPending()

        self.authenticate("promoter_top", "promoter_top")
        page = self.url_open("/my/approvals").text
        card = page[page.index("o_dms_approval_card"):page.index("o_dms_approval_table")]
        for shown in (self.withdrawal.name, "Commission Withdrawal", "Promoter", "50.00", "Leads check withdrawals"):
            self.assertIn(shown, card)
        csrf = self._csrf("/my/approvals")
        response = self.url_open(f"/my/approvals/{self.review.id}/approve", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing waits for your approval.", response.text)
        self.env.invalidate_all()
        self.assertEqual((self.withdrawal.state, self.review.done_by), ("paid", self.top_user))

    def test_the_promoter_reads_why_his_withdrawal_was_rejected(self):
        """Rejected on My Approvals: the promoter's earnings page shows the request Rejected with the
        reviewer's reason, and the money is withdrawable again."""
        self.authenticate("promoter_top", "promoter_top")
        csrf = self._csrf("/my/approvals")
        response = self.url_open(
            f"/my/approvals/{self.review.id}/reject", data={"csrf_token": csrf, "reason": "Bank account unverified"}
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual((self.withdrawal.state, self.review.done_by), ("rejected", self.top_user))
        self.authenticate("promoter_mid", "promoter_mid")
        page = self.url_open("/my/earnings").text
        # on a phone its card, on a wide screen its row, each with the reason
        card = page[page.index("o_withdrawal_card"):]
        card = card[:card.index("</li>")]
        row = next(r for r in page.split("<tr") if self.withdrawal.name in r and "o_withdrawal_net" in r)
        row = row[:row.index("</tr>")]
        for shown in (card, row):
            self.assertIn(self.withdrawal.name, shown)
            self.assertIn("o_withdrawal_reason", shown)
            self.assertIn("Bank account unverified", shown)
        self.assertEqual(self.mid.amount_withdrawable, 80.0)

    def _card_shown(self, login):
        self.authenticate(login, login)
        page = self.url_open("/my").text
        link = page.index('href="/my/approvals"')
        card = page[page.rindex("o_portal_index_card", 0, link):link]
        return "d-none" not in card

    def test_the_card_shows_to_who_has_something_there(self):
        """The portal home shows My Approvals to the lead who decides and to the promoter whose
        request waits (listed for him with who it waits for); to nobody else, and no longer once
        decided."""
        self.assertTrue(self._card_shown("promoter_top"), "a decision to take")
        self.assertTrue(self._card_shown("promoter_mid"), "his request waits")
        self.assertFalse(self._card_shown("promoter_low"))
        page = self.url_open("/my/approvals").text  # as promoter_low
        self.assertNotIn("o_dms_approval_request", page)
        self.authenticate("promoter_mid", "promoter_mid")
        page = self.url_open("/my/approvals").text
        requests = page[page.index("o_dms_approval_requests"):]
        self.assertIn(self.withdrawal.name, requests)
        self.assertTrue(self.review.todo_by)
        self.assertIn(self.review.todo_by, requests, "who it waits for")
        self.withdrawal.with_user(self.top_user)._dms_portal_decide(self.review, "approve")
        self.assertFalse(self._card_shown("promoter_top"), "having reviewed once does not keep the card")
        self.assertFalse(self._card_shown("promoter_mid"))
