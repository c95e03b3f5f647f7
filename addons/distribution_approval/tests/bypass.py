"""Every way around an approval found so far (issue #25), tried on one document of an opted-in
model as the wrong users through RPC-like calls (``with_user``, the context keys a client could
send). The addons whose documents opt in run it on theirs: ``self._assert_no_bypass(...)``.

Kept apart from the tests so that other addons' tests import it without collecting this addon's
test cases."""

import contextlib

from odoo import Command, fields
from odoo.exceptions import UserError

# what a client could put in the context of an RPC call to switch a check off
BYPASS_CONTEXT = {
    "skip_validation_check": True,
    "skip_check_state_condition": True,
    "tier_validation_defer_compute_can_review": True,
    "tracking_disable": True,
}


class ApprovalBypassMixin:
    """For a test case: ``_assert_no_bypass`` (AccessError and ValidationError are UserErrors:
    refused, whichever of the guards speaks first)."""

    def _bypass_state(self, document, fields_read):
        self.env.invalidate_all()
        document = document.sudo()
        reviews = document.review_ids
        return {
            "state": document[document._state_field],
            "reviews": sorted(
                (r.id, r.status, r.sequence, tuple(sorted(r.reviewer_ids.ids)), r.definition_id.id, r.comment or "")
                for r in reviews
            ),
            "figures": {name: document._fields[name].convert_to_read(document[name], document) for name in fields_read},
        }

    def _assert_no_bypass(self, document, reviewer, attackers, figures, lines=None, line_figures=None):
        """Try every way around the pending approval of ``document`` (reviewed by ``reviewer``) as
        each of ``attackers`` (the requester, another internal user, a portal user...) and fail if
        one changes its state, its reviews or its figures.

        :param figures: {field: new value} the rules read, each tried on the document
        :param lines: lines of the document whose ``line_figures`` ({field: value}) are tried
        """
        review = document.sudo().review_ids.filtered(lambda r: r.status == "pending")
        self.assertTrue(review, "the document waits for a review")
        self.assertIn(reviewer, review.reviewer_ids)
        for attacker in attackers:
            self.assertNotIn(attacker, review.reviewer_ids, f"{attacker.login} is not a reviewer")
        watched = list(figures)
        before = self._bypass_state(document, watched)
        lines_before = lines.sudo().read(list(line_figures or ())) if lines else None
        Review = self.env["tier.review"]
        state_to = document._state_to[0]
        now = fields.Datetime.now()
        for attacker in attackers:
            doc = document.with_user(attacker).with_context(**BYPASS_CONTEXT)
            rev = review.with_user(attacker).with_context(**BYPASS_CONTEXT)
            attempts = {
                "forge an approved review": lambda a=attacker: Review.with_user(a).with_context(**BYPASS_CONTEXT).create(
                    {"model": document._name, "res_id": document.id, "definition_id": review[0].definition_id.id,
                     "status": "approved", "reviewer_ids": [Command.set(a.ids)]}),
                "add himself to the reviewers": lambda a=attacker, r=rev: r.write({"reviewer_ids": [Command.link(a.id)]}),
                "replace the reviewers": lambda a=attacker, r=rev: r.write({"reviewer_ids": [Command.set(a.ids)]}),
                "approve the review": lambda r=rev: r.write({"status": "approved"}),
                "move the review's step": lambda r=rev: r.write({"sequence": 999}),
                "drop the review's rule": lambda r=rev: r.write({"definition_id": False}),
                "delete the review": lambda r=rev: r.unlink(),
                "unlink it from the document": lambda d=doc: d.write({"review_ids": [Command.unlink(review[0].id)]}),
                "update it through the document": lambda a=attacker, d=doc: d.write(
                    {"review_ids": [Command.update(review[0].id, {"reviewer_ids": [Command.link(a.id)]})]}),
                "delegate the reviewer's approvals to himself": lambda a=attacker: self.env[
                    "distribution.approval.delegation"].with_user(a).with_context(**BYPASS_CONTEXT).create(
                    {"user_id": reviewer.id, "delegate_id": a.id, "date_from": now,
                     "date_to": fields.Datetime.add(now, days=2)}),
                "validate": lambda d=doc: d.validate_tier(),
                "approve as the portal page does": lambda d=doc: d._dms_approve(),
                "decide on the portal": lambda d=doc: d._dms_portal_decide(review[0], "approve"),
                "reject on the portal": lambda d=doc: d._dms_portal_decide(review[0], "reject", "no"),
                f"move it to {state_to}": lambda d=doc: d.write({document._state_field: state_to}),
            }
            for name, value in figures.items():
                attempts[f"write {name}"] = lambda d=doc, n=name, v=value: d.write({n: v})
            for name, value in (line_figures or {}).items():
                attempts[f"write the lines' {name}"] = lambda a=attacker, n=name, v=value: lines.with_user(a).with_context(
                    **BYPASS_CONTEXT).write({n: v})
            for name, attempt in attempts.items():
                with self.subTest(user=attacker.login, attempt=name):
                    # refused (any UserError), or it changed nothing: the state, reviews and figures
                    # are the same either way
                    with contextlib.suppress(UserError), self.env.cr.savepoint():
                        attempt()
                    self.assertEqual(self._bypass_state(document, watched), before, f"{attacker.login}: {name}")
                    if lines:
                        self.assertEqual(lines.sudo().read(list(line_figures)), lines_before, f"{attacker.login}: {name}")
        self.assertEqual(self._bypass_state(document, watched), before)
