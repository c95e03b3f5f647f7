"""The reinforcements on a document that opts in, and OCA's behaviour on one that does not,
tried as the wrong user through RPC-like calls (``with_user``, context keys he could send)."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .bypass import ApprovalBypassMixin
from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalEngine(ApprovalCommon, ApprovalBypassMixin):
    # ------------------------------------------------------------------ the flow
    def test_document_moves_on_after_the_last_approval(self):
        self._rule()
        small = self._document(50.0)
        small.action_done()
        self.assertEqual(small.state, "done", "no rule matches: the document goes on")
        document = self._pending()
        self.assertEqual(document.review_ids.reviewer_ids, self.approver)
        document.with_user(self.approver).validate_tier()
        self.assertEqual(document.validation_status, "validated")
        self.assertEqual(document.state, "done", "approved: the document moves on by itself")

    def test_channel_reviewer_from_the_document(self):
        self._rule(review_type="channel_manager", reviewer_id=False)
        document = self._document()
        document.manager_id = self.colleague
        document.action_done()
        self.assertEqual(document.review_ids.reviewer_ids, self.colleague)

    def test_all_of_the_group_approve_in_parallel(self):
        group = self.env["res.groups"].create(
            {"name": "Approvers", "user_ids": [Command.set((self.approver | self.colleague).ids)]}
        )
        self._rule(review_type="group", reviewer_id=False, reviewer_group_id=group.id, dms_approve_all=True)
        document = self._pending()
        self.assertEqual(len(document.review_ids), 2)
        self.assertEqual(document.review_ids.dms_user_id, self.approver | self.colleague)
        document.with_user(self.approver).validate_tier()
        self.assertEqual(document.state, "draft", "one of two is not enough")
        document.with_user(self.colleague).validate_tier()
        self.assertEqual(document.state, "done")

    def test_reject_needs_a_reason_and_the_requester_sees_it(self):
        self._rule()
        document = self._pending()
        with self.assertRaises(UserError):
            document.with_user(self.approver)._dms_reject("  ")
        document.with_user(self.approver)._dms_reject("Too expensive")
        self.assertEqual(document.validation_status, "rejected")
        self.assertEqual(document.with_user(self.requester).dms_rejection_reason, "Too expensive")

    def test_rejection_tells_the_requester(self):
        """By default a refused document stays where it is, the reason in its chatter addressed to
        the requester; the review stays as the record of who refused."""
        self._rule()
        document = self._pending()
        review = document.review_ids
        document.with_user(self.approver)._dms_reject("Too expensive")
        self.assertEqual((document.state, document.review_ids, review.status, review.done_by),
                         ("draft", review, "rejected", self.approver))
        note = document.message_ids.filtered(lambda m: "Too expensive" in (m.body or ""))
        self.assertEqual(note.author_id, self.approver.partner_id)
        self.assertIn("Approver Ann", note.body)
        self.assertEqual(note.partner_ids, self.requester.partner_id)

    def test_deferring_the_next_step_is_ignored(self):
        """OCA's ``tier_validation_defer_compute_can_review`` sent by a client would leave the
        document with no pending review (nobody could approve it): ignored on channel documents."""
        self._rule(name="Second", reviewer_id=self.colleague.id, sequence=10)
        self._rule(name="First", sequence=20)
        document = self._document(500.0).with_context(tier_validation_defer_compute_can_review=True)
        document.action_done()
        first = document.review_ids.filtered(lambda r: r.name == "First")
        second = document.review_ids - first
        self.assertEqual((first.status, second.status), ("pending", "waiting"))
        document.with_user(self.approver).with_context(tier_validation_defer_compute_can_review=True).validate_tier()
        self.assertEqual((first.status, second.status), ("approved", "pending"))
        document.with_user(self.colleague).with_context(tier_validation_defer_compute_can_review=True).validate_tier()
        self.assertEqual(document.state, "done")

    def test_no_way_around_a_pending_review(self):
        """The catalogue of ways around (tests/bypass.py) on the opted-in document, as the requester
        (internal), a colleague and a portal user."""
        self._rule()
        document = self._pending()
        self._assert_no_bypass(
            document, self.approver, self.requester | self.colleague | self.portal,
            figures={"partner_id": self.env["res.partner"].create({"name": "Other"}).id},
            lines=document.line_ids, line_figures={"amount": 5000.0},
        )
        document.with_user(self.approver).validate_tier()
        self.assertEqual(document.state, "done")

    # ------------------------------------------------------------------ reviews only through the engine
    def test_reviews_cannot_be_created_written_or_deleted(self):
        rule = self._rule()
        document = self._pending()
        review = document.review_ids.with_user(self.colleague)
        for vals in ({"reviewer_ids": [Command.link(self.colleague.id)]}, {"status": "approved"}, {"sequence": 99},
                     {"comment": "ok"}, {"done_by": self.colleague.id}, {"requested_by": self.approver.id}):
            with self.assertRaises(AccessError, msg=f"write {vals}"):
                review.write(vals)
            with self.assertRaises(AccessError, msg=f"write {vals} with an engine-looking context"):
                review.with_context(dms_tier_engine=True).write(vals)
        with self.assertRaises(AccessError):
            review.unlink()
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.colleague).create(
                {"model": document._name, "res_id": document.id, "definition_id": rule.id, "status": "approved"}
            )
        with self.assertRaises(AccessError):
            document.with_user(self.colleague).validate_tier()
        self.assertEqual(document.review_ids.status, "pending")
        self.assertEqual(document.state, "draft")

    def test_portal_user_cannot_touch_reviews(self):
        self._rule()
        document = self._pending()
        review = document.review_ids.with_user(self.portal)
        with self.assertRaises(AccessError):
            review.write({"status": "approved"})
        with self.assertRaises(AccessError):
            review.unlink()

    def test_other_models_keep_the_oca_behaviour(self):
        """A model that does not opt in: reviews are written as the OCA allows, the requester
        may approve his own request (OCA default), no frozen figures."""
        rule = self._rule(model=self.plain_model, reviewer_id=self.requester.id, definition_domain="[]")
        self.assertFalse(rule.exclude_requester, "four eyes by default only on opted-in documents")
        self.assertTrue(self._rule().exclude_requester)
        document = self.env["dms.approval.tester.plain"].with_user(self.requester).create({"amount": 10})
        document.request_validation()
        self.assertEqual(document.review_ids.requested_by, self.requester)
        document.review_ids.with_user(self.colleague).write({"comment": "OCA lets users write reviews"})
        self.assertEqual(document.review_ids.reviewer_ids, self.requester)
        document.with_user(self.requester).validate_tier()
        self.assertEqual(document.validation_status, "validated")

    def test_rule_that_is_not_a_channel_rule_keeps_the_oca_behaviour(self):
        """Per rule, not per model: on an opted-in model, a rule unticked as channel rule (as
        rules made by other OCA approval modules are) behaves as the OCA ships it."""
        rule = self._rule(dms_channel_rule=False)
        self.assertFalse(rule.exclude_requester)
        document = self._document()
        with self.assertRaisesRegex(ValidationError, "needs to be validated"):
            document.action_done()  # the OCA refuses; a channel rule sends it for approval
        document.request_validation()
        review = document.review_ids
        review.with_user(self.colleague).write({"comment": "OCA lets users write reviews"})
        document.with_user(self.approver).validate_tier()
        self.assertEqual(document.validation_status, "validated")
        self.assertEqual(document.state, "draft", "the OCA does not move the document on")
        document.action_done()
        self.assertEqual(document.state, "done")
        # a channel rule on the same model still gets every guarantee
        self._rule(name="Channel", definition_domain="[('amount', '>', 1000)]")
        big = self._pending(2000.0)
        with self.assertRaises(AccessError):
            big.review_ids.filtered(lambda r: r.definition_id.dms_channel_rule).with_user(self.colleague).write(
                {"status": "approved"})
        with self.assertRaises(AccessError, msg="nor the OCA review of a document under a channel rule"):
            big.review_ids.filtered(lambda r: not r.definition_id.dms_channel_rule).with_user(self.colleague).unlink()

    def test_which_rules_are_channel_rules(self):
        self.assertTrue(self._rule().dms_channel_rule, "by code on an opted-in model: a channel rule by default")
        self.assertFalse(self._rule(model=self.plain_model).dms_channel_rule)
        self.assertFalse(self._rule(model=self.plain_model, dms_channel_rule=True).dms_channel_rule,
                         "meaningless on a model that does not opt in")
        forced = self._rule(review_type="channel_manager", reviewer_id=False, dms_channel_rule=False)
        self.assertTrue(forced.dms_channel_rule, "channel reviewers exist only in channel rules")
        rule = self._rule()
        self._pending()
        with self.assertRaises(ValidationError, msg="not while its reviews wait"):
            rule.dms_channel_rule = False

    # ------------------------------------------------------------------ four eyes, delegation
    def test_requester_does_not_approve_his_own_request(self):
        self._rule(reviewer_id=self.requester.id)
        document = self._pending()
        self.assertFalse(document.review_ids.reviewer_ids)
        with self.assertRaises(AccessError):
            document.with_user(self.requester).validate_tier()

    def test_delegation(self):
        self._rule()
        now = fields.Datetime.now()
        period = {"date_from": now - timedelta(hours=1), "date_to": now + timedelta(days=3)}
        Delegation = self.env["distribution.approval.delegation"]
        with self.assertRaises(AccessError, msg="nobody hands someone's reviews to himself"):
            Delegation.with_user(self.colleague).create({"user_id": self.approver.id, "delegate_id": self.colleague.id, **period})
        with self.assertRaises(AccessError, msg="nor to a third person"):
            Delegation.with_user(self.colleague).create({"user_id": self.approver.id, "delegate_id": self.manager.id, **period})
        with self.assertRaises(AccessError, msg="an approval manager neither, to himself"):
            Delegation.with_user(self.manager).create({"user_id": self.approver.id, "delegate_id": self.manager.id, **period})
        document = self._pending()
        delegation = Delegation.with_user(self.approver).create({"user_id": self.approver.id, "delegate_id": self.colleague.id, **period})
        self.assertEqual(document.review_ids.reviewer_ids, self.colleague)
        with self.assertRaises(AccessError, msg="the delegate cannot redirect it to himself"):
            delegation.with_user(self.colleague).write({"delegate_id": self.requester.id})
        document.with_user(self.colleague).validate_tier()
        self.assertEqual(document.state, "done")
        self.assertIn("on behalf of Approver Ann", " ".join(document.message_ids.mapped("body")))

    # ------------------------------------------------------------------ frozen figures
    def test_figures_frozen_under_validation(self):
        self._rule()
        document = self._pending()
        as_requester = document.with_user(self.requester)
        with self.assertRaises(ValidationError) as refusal:
            as_requester.line_ids.write({"amount": 900.0})
        self.assertIn("Tester is waiting for approval (Rule): Amount cannot change now", str(refusal.exception))
        with self.assertRaises(ValidationError):
            self.env["dms.approval.tester.line"].with_user(self.requester).create({"order_id": document.id, "amount": 1})
        with self.assertRaises(ValidationError):
            as_requester.line_ids.unlink()
        with self.assertRaises(ValidationError, msg="a context key sent by RPC switches nothing off"):
            as_requester.with_context(skip_validation_check=True, skip_check_state_condition=True).write(
                {"partner_id": self.env["res.partner"].create({"name": "Other"}).id}
            )
        self.assertEqual(document.amount, 500.0)

    def test_approved_figures_may_go_down_not_up(self):
        self._rule()
        document = self._pending()
        document.with_user(self.approver).validate_tier()
        self.assertEqual(document.state, "done")
        line = document.line_ids.with_user(self.requester)
        line.amount = 400.0
        self.assertIn("within the approved figures", " ".join(document.message_ids.mapped("body")))
        with self.assertRaises(ValidationError) as refusal:
            line.amount = 600.0
        self.assertIn("Rule blocking: Rule", str(refusal.exception))
        self.assertEqual(document.amount, 400.0)

    def test_done_without_approval_cannot_grow_into_a_rule(self):
        self._rule()
        document = self._document(50.0)
        document.action_done()
        self.assertEqual(document.state, "done")
        with self.assertRaises(ValidationError):
            document.line_ids.with_user(self.requester).amount = 5000.0

    def test_state_and_figures_in_one_write(self):
        """OCA checks the rules on the old values: 'done' with a big amount in one call."""
        self._rule()
        document = self._document(50.0)
        with self.assertRaises(ValidationError):
            document.with_user(self.requester).write(
                {"state": "done", "line_ids": [Command.create({"amount": 5000.0})]}
            )

    # ------------------------------------------------------------------ escalation
    def test_escalation_after_working_hours(self):
        calendar = self.env.company.resource_calendar_id
        self.assertTrue(calendar)
        self._rule(dms_remind_hours=2.0, dms_escalate_hours=8.0, dms_backup_user_id=self.manager.id)
        monday = datetime(2026, 3, 2, 9, 0)
        with freeze_time(monday):
            document = self._pending()
        with freeze_time(monday + timedelta(hours=3)):
            self.env["tier.review"]._cron_escalate()
        self.assertTrue(document.review_ids.dms_reminded)
        self.assertFalse(document.review_ids.dms_escalated_to_id)
        with freeze_time(monday + timedelta(days=1, hours=2)):
            self.env["tier.review"]._cron_escalate()
        self.assertEqual(document.review_ids.dms_escalated_to_id, self.manager)
        self.assertEqual(document.review_ids.reviewer_ids, self.manager)
        with self.assertRaises(ValidationError):
            self._rule(dms_escalate_hours=4.0)
