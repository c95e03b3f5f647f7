"""Reviews (OCA ``tier.review``) of opted-in documents: reviewers from the channel,
delegation, escalation, lead times, and protection: only the engine changes a review."""

import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import CHANNEL_REVIEW_TYPES, DEFER_KEY, ENGINE, FREE_REVIEW_FIELDS, engine, opted_in


class TierReview(models.Model):
    _inherit = "tier.review"

    dms_user_id = fields.Many2one(
        "res.users", string="Assigned User", readonly=True, help="Set on the reviews of an 'all of the group' step."
    )
    dms_pending_since = fields.Datetime(string="Pending Since", readonly=True, index=True)
    dms_reminded = fields.Boolean(string="Reminded", readonly=True)
    dms_escalated_to_id = fields.Many2one("res.users", string="Escalated To", readonly=True)
    dms_escalated_date = fields.Datetime(string="Escalated Date", readonly=True)
    dms_delegated_from_ids = fields.Many2many(
        "res.users",
        "tier_review_delegated_from_rel",
        "review_id",
        "user_id",
        string="On Behalf Of",
        compute="_compute_reviewer_ids",
        store=True,
        help="Reviewers who are away and whose review their delegate handles.",
    )
    dms_lead_time_hours = fields.Float(
        string="Lead Time (h)",
        compute="_compute_lead_time_hours",
        store=True,
        aggregator="avg",
        help="Hours from the request to the decision.",
    )
    dms_res_name = fields.Char(string="Document", compute="_compute_res_name")
    dms_approved_figures = fields.Text(
        string="Approved Figures",
        readonly=True,
        help="What the rules read on the document when it was sent for approval (JSON).",
    )
    dms_review_count = fields.Integer(string="Review Count", compute="_compute_review_count", aggregator="sum")

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + ["dms_user_id", "dms_escalated_to_id", "definition_id.review_type"]

    @api.depends("reviewed_date", "create_date")
    def _compute_lead_time_hours(self):
        for review in self:
            if review.reviewed_date and review.create_date:
                review.dms_lead_time_hours = (review.reviewed_date - review.create_date).total_seconds() / 3600.0
            else:
                review.dms_lead_time_hours = 0.0

    def _compute_review_count(self):
        for review in self:
            review.dms_review_count = 1

    def _compute_res_name(self):
        by_model = {}
        for review in self:
            by_model.setdefault(review.model, set()).add(review.res_id)
        names = {}
        for model, ids in by_model.items():
            if not model or model not in self.env:
                continue
            records = self.env[model].sudo().browse(list(ids)).exists()
            for record in records:
                names[(model, record.id)] = record.display_name
        for review in self:
            review.dms_res_name = names.get((review.model, review.res_id), False)

    # ------------------------------------------------------------------
    # Reviewers
    # ------------------------------------------------------------------
    def _dms_channel_reviewers(self):
        """Users of a channel review type, from the document's channel context."""
        users = self.env["res.users"]
        record = self.env[self.model].browse(self.res_id).exists() if self.model in self.env else None
        if not record or not hasattr(record, "_dms_review_context"):
            return users
        context = record.sudo()._dms_review_context()
        review_type = self.definition_id.review_type
        if review_type == "channel_manager":
            users = context.get("manager") or users
        elif review_type == "territory_manager":
            users = context.get("territory").manager_id if context.get("territory") else users
        elif review_type == "parent_portal":
            parent = context.get("parent")
            if parent:
                users = self.env["res.users"].sudo().search(
                    [("share", "=", True), ("partner_id.commercial_partner_id", "=", parent.partner_id.id)]
                )
        return users

    def _dms_base_reviewers(self):
        """Reviewers before delegation."""
        self.ensure_one()
        if self.dms_escalated_to_id:
            return self.dms_escalated_to_id
        if self.dms_user_id:
            return self.dms_user_id
        if self.definition_id.review_type in dict(CHANNEL_REVIEW_TYPES):
            return self._dms_channel_reviewers()
        return super()._get_reviewers()

    def _dms_split(self):
        """(reviews of channel rules on opted-in documents, the others)."""
        ours = self.filtered(lambda r: r.sudo().definition_id.dms_channel_rule and opted_in(self.env, r.model))
        return ours, self - ours

    def _dms_protected(self):
        """The reviews of self that only the engine may change: those of documents (of an
        opted-in model) with at least one review of a channel rule."""
        candidates = self.filtered(lambda r: opted_in(self.env, r.model))
        if not candidates:
            return candidates
        channel = self.sudo().search(
            [
                ("model", "in", list(set(candidates.mapped("model")))),
                ("res_id", "in", list(set(candidates.mapped("res_id")))),
                ("definition_id.dms_channel_rule", "=", True),
            ]
        )
        documents = {(r.model, r.res_id) for r in channel}
        return candidates.filtered(lambda r: (r.model, r.res_id) in documents)

    def _get_reviewers(self):
        if not (self.sudo().definition_id.dms_channel_rule and opted_in(self.env, self.model)):
            return super()._get_reviewers()
        reviewers = self._dms_base_reviewers()
        delegations = self.env["distribution.approval.delegation"].sudo()._active_for(reviewers)
        reviewers = (reviewers - delegations.user_id) | delegations.delegate_id
        if self.definition_id.exclude_requester and self.requested_by:
            reviewers -= self.requested_by
        return reviewers

    @api.model
    def _dms_snapshot(self, record):
        """The figures of ``record`` its reviewers approve (JSON)."""
        return json.dumps(record._dms_figures().get(record.id, {}), sort_keys=True, default=str)

    @api.depends(lambda self: self._get_reviewer_fields())
    def _compute_reviewer_ids(self):
        ours, others = self._dms_split()
        res = super(TierReview, others)._compute_reviewer_ids() if others else None  # OCA's, untouched
        others.dms_delegated_from_ids = False
        base = {review: review._dms_base_reviewers() for review in ours}
        all_users = self.env["res.users"].union(*base.values()) if base else self.env["res.users"]
        delegations = self.env["distribution.approval.delegation"].sudo()._active_for(all_users)
        delegate_of = {d.user_id: d.delegate_id for d in delegations}
        for review in ours:
            reviewers = base[review]
            away = reviewers.filtered(lambda u: u in delegate_of)
            for user in away:
                reviewers = (reviewers - user) | delegate_of[user]
            if review.definition_id.exclude_requester and review.requested_by:
                reviewers -= review.requested_by
            review.reviewer_ids = reviewers
            review.dms_delegated_from_ids = away
        return res

    def _dms_refresh_reviewers(self):
        """Recompute who may review open reviews (delegations start and end with time)."""
        reviews = self.filtered(lambda r: r.status in ("waiting", "pending"))
        if reviews:
            # marks reviewer_ids / dms_delegated_from_ids and everything that depends on them
            reviews.modified(["dms_user_id"])
            self.env.flush_all()

    # ------------------------------------------------------------------
    # Protection: only the engine changes a review's outcome
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not engine(self.env) and any(self._dms_create_protected(vals) for vals in vals_list):
            raise AccessError(self.env._("Reviews are created by the approval engine only."))
        for vals in vals_list:
            if vals.get("status") == "pending":
                vals.setdefault("dms_pending_since", fields.Datetime.now())
        return super().create(vals_list)

    @api.model
    def _dms_create_protected(self, vals):
        """Whether creating this review is the engine's job only: a review of a channel
        rule, or any review of a document under channel rules."""
        if not opted_in(self.env, vals.get("model")):
            return False
        definition = self.env["tier.definition"].sudo().browse(vals.get("definition_id") or [])
        if definition.dms_channel_rule:
            return True
        return bool(
            self.sudo().search_count(
                [
                    ("model", "=", vals["model"]),
                    ("res_id", "=", vals.get("res_id") or 0),
                    ("definition_id.dms_channel_rule", "=", True),
                ],
                limit=1,
            )
        )

    def write(self, vals):
        # on documents under channel rules nothing of a review (reviewers, sequence, status,
        # comment...) changes except through the engine; other documents keep OCA's rules
        if not engine(self.env) and set(vals) - FREE_REVIEW_FIELDS and self._dms_protected():
            raise AccessError(
                self.env._("Approve or reject with the Validate / Reject buttons; reviews cannot be edited.")
            )
        if vals.get("status") == "pending":
            vals = dict(vals, dms_pending_since=fields.Datetime.now())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_engine(self):
        if not engine(self.env) and self._dms_protected():
            raise AccessError(
                self.env._(
                    "Reviews cannot be deleted: cancel or reset the document to draft, its reviews go with it."
                )
            )

    def _update_review_status(self):
        """OCA's ``tier_validation_defer_compute_can_review`` leaves the next step waiting. Our
        engine never sets it (OCA's forward wizard does, which cannot create reviews on documents
        under channel rules anyway): sent along by a client, in whatever call, it would leave such
        a document with no pending review, blocked; on their reviews it is ignored."""
        engine_env = self.with_context(dms_tier_engine=ENGINE)
        if self.env.context.get(DEFER_KEY):
            protected = self._dms_protected()
            if protected:
                super(TierReview, protected.with_context(dms_tier_engine=ENGINE, **{DEFER_KEY: False}))._update_review_status()
                engine_env = (self - protected).with_context(dms_tier_engine=ENGINE)
        return super(TierReview, engine_env)._update_review_status()

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------
    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Portal: "My Approvals"
    # ------------------------------------------------------------------
    @api.model
    def _dms_portal_reviews(self):
        """The pending reviews the current user may decide now, on documents of every model
        that opts in to the channel's approvals: he is among the reviewers the engine computed,
        and it is his step (what Validate / Reject would act on). Oldest first."""
        user = self.env.user
        reviews = self.sudo().search(
            [("reviewer_ids", "in", user.ids), ("status", "=", "pending"), ("can_review", "=", True)],
            order="create_date, id",
        )
        result = self.sudo().browse()
        for model, group in reviews.grouped("model").items():
            if not opted_in(self.env, model):
                continue
            documents = self.env[model].sudo().browse(group.mapped("res_id")).exists()
            sequences = {document.id: document._get_sequences_to_approve(user) for document in documents}
            result |= group.filtered(lambda r, s=sequences: r.sequence in s.get(r.res_id, ()))
        return reviews & result

    @api.model
    def _dms_portal_requests(self):
        """The current user's own requests that wait for someone's decision, on documents of every
        model that opts in: one review per document, the step it waits at (pending first), oldest
        request first. What My Approvals shows him under "My requests waiting"."""
        reviews = self.sudo().search(
            [("requested_by", "=", self.env.user.id), ("status", "in", ("waiting", "pending"))],
            order="create_date, id",
        )
        result = self.sudo().browse()
        for model, group in reviews.grouped("model").items():
            if not opted_in(self.env, model):
                continue
            waiting = (
                self.env[model].sudo().browse(set(group.mapped("res_id"))).exists()
                .filtered(lambda d: d.validation_status in ("waiting", "pending"))
            )
            steps = group.filtered(lambda r, ids=set(waiting.ids): r.res_id in ids).sorted(
                lambda r: (r.status != "pending", r.create_date, r.id)
            )
            seen = set()
            for review in steps:
                if review.res_id not in seen:
                    seen.add(review.res_id)
                    result |= review
        return result.sorted(lambda r: (r.create_date, r.id))

    @api.model
    def _dms_portal_card(self):
        """Whether the portal home shows the card My Approvals to the current user: he has a review
        to decide now, or a request of his own waiting (not because he once reviewed something)."""
        return bool(self._dms_portal_reviews() or self._dms_portal_requests())

    def _dms_portal_rows(self):
        """[(review, summary)] of self for the portal page (see ``_dms_portal_approval_summary``),
        one summary query per model."""
        summaries = {}
        for model, group in self.grouped("model").items():
            documents = self.env[model].sudo().browse(group.mapped("res_id"))
            summaries[model] = documents._dms_portal_approval_summary()
        return [(review, summaries[review.model][review.res_id]) for review in self]

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    def _dms_deadline(self, hours):
        self.ensure_one()
        company = self.company_id or self.env.company
        calendar = company.resource_calendar_id
        start = self.dms_pending_since or self.create_date
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)

    @api.model
    def _cron_escalate(self):
        """Remind, then move to the backup reviewer, pending reviews nobody handled in time."""
        now = fields.Datetime.now()
        reviews = self.sudo().search(
            [
                ("status", "=", "pending"),
                ("dms_escalated_to_id", "=", False),
                "|",
                ("definition_id.dms_remind_hours", ">", 0),
                ("definition_id.dms_escalate_hours", ">", 0),
            ]
        )
        reviews = reviews._dms_split()[0]
        engine = self.with_context(dms_tier_engine=ENGINE)
        for review in reviews.with_env(engine.env):
            definition = review.definition_id
            record = self.env[review.model].sudo().browse(review.res_id).exists()
            if not record:
                continue
            if definition.dms_escalate_hours and review._dms_deadline(definition.dms_escalate_hours) <= now:
                previous = review.reviewer_ids
                review.write({"dms_escalated_to_id": definition.dms_backup_user_id.id, "dms_escalated_date": now})
                if hasattr(record, "message_post"):
                    record.message_post(
                        body=self.env._(
                            "Review %(step)s was not handled within %(hours)s working hours by %(users)s: "
                            "escalated to %(backup)s.",
                            step=review.name,
                            hours=definition.dms_escalate_hours,
                            users=", ".join(previous.mapped("name")) or "-",
                            backup=definition.dms_backup_user_id.name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                review._dms_schedule_activity(record, review.reviewer_ids)
            elif (
                definition.dms_remind_hours
                and not review.dms_reminded
                and review._dms_deadline(definition.dms_remind_hours) <= now
            ):
                review.dms_reminded = True
                review._dms_schedule_activity(record, review.reviewer_ids)

    def _dms_schedule_activity(self, record, users):
        if not hasattr(record, "activity_schedule"):
            return
        for user in users.filtered(lambda u: not u.share):
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Approval waiting: %(step)s", step=self.name),
            )
