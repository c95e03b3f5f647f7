"""Channel approvals on top of OCA ``base_tier_validation``.

Everything here applies only to the models that opt in with the class
attribute ``_dms_approval = True`` (as OCA's own ``_tier_validation_*``
hooks do). Every other model using ``tier.validation`` (purchase orders,
journal entries, pickings...) keeps OCA's behaviour exactly as shipped.

What the OCA engine lacks and this file adds, for the models that opt in:

* reviewers taken from the channel: the member's channel manager, the
  territory's manager, the parent member's portal users;
* "all of a group": one review per group member, approved in parallel;
* escalation after N working hours (reminder, then a backup reviewer);
* delegation while a reviewer is away (``distribution.approval.delegation``);
* a mandatory reason on rejection, shown to the requester;
* the document moves on by itself once the last review is approved
  (``_dms_on_validated``), so the sale flow is never blocked after approval;
* reviews cannot be forged through RPC: only the engine changes their status.
"""

import json
from ast import literal_eval
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

CHANNEL_REVIEW_TYPES = [
    ("channel_manager", "Member's channel manager"),
    ("territory_manager", "Territory manager"),
    ("parent_portal", "Parent member's portal users"),
]

# fields of tier.review that only the engine may change
PROTECTED_REVIEW_FIELDS = {
    "status",
    "done_by",
    "reviewed_date",
    "model",
    "res_id",
    "definition_id",
    "sequence",
    "requested_by",
    "dms_user_id",
    "escalated_to_id",
}


# Context keys of base_tier_validation that switch a check off. A context sent through
# RPC is the caller's: on opted-in models they are honoured only from the engine.
UNTRUSTED_CONTEXT_KEYS = ("skip_validation_check", "skip_check_state_condition")

# fields of tier.review a non-engine write may still change (bookkeeping of OCA's reminder)
FREE_REVIEW_FIELDS = {"last_reminder_date"}

# The marker of the approval engine's own writes. An object, not a flag: a
# context sent through RPC is JSON and can never contain it.
ENGINE = object()
# The marker of a change already watched by the frozen-figures guard (same reason).
GUARD = object()


def _engine(env):
    """An environment allowed to change reviews (the engine itself)."""
    return env.context.get("dms_tier_engine") is ENGINE or env.su


def _engine_marked(env):
    """The engine's own code, and only it: unlike _engine(), sudo() is not enough (code
    running as superuser on behalf of a portal or RPC user keeps that user's context)."""
    return env.context.get("dms_tier_engine") is ENGINE


def _opted_in(env, model_name):
    """Whether the channel reinforcements apply to documents of this model."""
    return bool(model_name) and model_name in env and bool(getattr(env[model_name], "_dms_approval", False))


def _plain(field, value):
    """A field's value as a plain, JSON-comparable value."""
    if field.type == "many2one":
        return value.id
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type in ("float", "monetary"):
        return round(value or 0.0, 6)
    if field.type in ("date", "datetime"):
        return str(value) if value else False
    return value


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    review_type = fields.Selection(
        selection_add=CHANNEL_REVIEW_TYPES,
        ondelete={key: "set default" for key, _label in CHANNEL_REVIEW_TYPES},
    )
    dms_approve_all = fields.Boolean(
        string="All of the Group",
        help="Every user of the group must approve (in parallel); otherwise any one of them is enough.",
    )
    dms_remind_hours = fields.Float(
        string="Remind After (working hours)",
        help="A pending review not handled within this many working hours of the company's calendar "
        "reminds its reviewers (activity). 0: no reminder.",
    )
    dms_escalate_hours = fields.Float(
        string="Escalate After (working hours)",
        help="A pending review not handled within this many working hours moves to the backup reviewer. "
        "0: no escalation.",
    )
    dms_backup_user_id = fields.Many2one(
        "res.users",
        string="Backup Reviewer",
        domain=[("share", "=", False)],
        help="Takes over a review nobody handled in time.",
    )

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res += [
            "distribution.channel.order",
            "distribution.application",
            "distribution.price.publication",
        ]
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # four eyes by default on opted-in documents: the requester does not approve his own
        # request unless the rule says so (exclude_requester unticked)
        for vals in vals_list:
            if "exclude_requester" not in vals and vals.get("model_id"):
                if _opted_in(self.env, self.env["ir.model"].browse(vals["model_id"]).model):
                    vals["exclude_requester"] = True
        return super().create(vals_list)

    @api.onchange("model_id")
    def _onchange_model_id_dms_exclude_requester(self):
        if _opted_in(self.env, self.model_id.model):
            self.exclude_requester = True

    @api.constrains("dms_escalate_hours", "dms_backup_user_id")
    def _check_escalation(self):
        for definition in self:
            if definition.dms_escalate_hours and not definition.dms_backup_user_id:
                raise ValidationError(
                    self.env._("Rule %(name)s escalates: choose its backup reviewer.", name=definition.name)
                )
            if definition.dms_escalate_hours < 0 or definition.dms_remind_hours < 0:
                raise ValidationError(self.env._("Reminder and escalation delays cannot be negative."))

    def _reviewers_to_check_for_access(self):
        if self.review_type in dict(CHANNEL_REVIEW_TYPES):
            return self.env["res.users"]
        return super()._reviewers_to_check_for_access()


class TierReview(models.Model):
    _inherit = "tier.review"

    dms_user_id = fields.Many2one(
        "res.users", string="Assigned User", readonly=True, help="Set on the reviews of an 'all of the group' step."
    )
    pending_since = fields.Datetime(readonly=True, index=True)
    dms_reminded = fields.Boolean(string="Reminded", readonly=True)
    escalated_to_id = fields.Many2one("res.users", readonly=True)
    escalated_date = fields.Datetime(readonly=True)
    delegated_from_ids = fields.Many2many(
        "res.users",
        "tier_review_delegated_from_rel",
        "review_id",
        "user_id",
        string="On Behalf Of",
        compute="_compute_reviewer_ids",
        store=True,
        help="Reviewers who are away and whose review their delegate handles.",
    )
    lead_time_hours = fields.Float(
        string="Lead Time (h)",
        compute="_compute_lead_time_hours",
        store=True,
        aggregator="avg",
        help="Hours from the request to the decision.",
    )
    res_name = fields.Char(string="Document", compute="_compute_res_name")
    dms_approved_figures = fields.Text(
        string="Approved Figures",
        readonly=True,
        help="What the rules read on the document when it was sent for approval (JSON).",
    )
    review_count = fields.Integer(compute="_compute_review_count", aggregator="sum")

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + ["dms_user_id", "escalated_to_id", "definition_id.review_type"]

    @api.depends("reviewed_date", "create_date")
    def _compute_lead_time_hours(self):
        for review in self:
            if review.reviewed_date and review.create_date:
                review.lead_time_hours = (review.reviewed_date - review.create_date).total_seconds() / 3600.0
            else:
                review.lead_time_hours = 0.0

    def _compute_review_count(self):
        for review in self:
            review.review_count = 1

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
            review.res_name = names.get((review.model, review.res_id), False)

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
        if self.escalated_to_id:
            return self.escalated_to_id
        if self.dms_user_id:
            return self.dms_user_id
        if self.definition_id.review_type in dict(CHANNEL_REVIEW_TYPES):
            return self._dms_channel_reviewers()
        return super()._get_reviewers()

    def _dms_split(self):
        """(reviews of opted-in documents, the others)."""
        ours = self.filtered(lambda r: _opted_in(self.env, r.model))
        return ours, self - ours

    def _get_reviewers(self):
        if not _opted_in(self.env, self.model):
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
        others.delegated_from_ids = False
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
            review.delegated_from_ids = away
        return res

    def _dms_refresh_reviewers(self):
        """Recompute who may review open reviews (delegations start and end with time)."""
        reviews = self.filtered(lambda r: r.status in ("waiting", "pending"))
        if reviews:
            # marks reviewer_ids / delegated_from_ids and everything that depends on them
            reviews.modified(["dms_user_id"])
            self.env.flush_all()

    # ------------------------------------------------------------------
    # Protection: only the engine changes a review's outcome
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not _engine(self.env) and any(_opted_in(self.env, vals.get("model")) for vals in vals_list):
            raise AccessError(self.env._("Reviews are created by the approval engine only."))
        for vals in vals_list:
            if vals.get("status") == "pending":
                vals.setdefault("pending_since", fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        # on opted-in documents nothing of a review (reviewers, sequence, status, comment...)
        # changes except through the engine; other models keep OCA's rules
        if not _engine(self.env) and set(vals) - FREE_REVIEW_FIELDS and self._dms_split()[0]:
            raise AccessError(
                self.env._("Approve or reject with the Validate / Reject buttons; reviews cannot be edited.")
            )
        if vals.get("status") == "pending":
            vals = dict(vals, pending_since=fields.Datetime.now())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_engine(self):
        if not _engine(self.env) and self._dms_split()[0]:
            raise AccessError(
                self.env._(
                    "Reviews cannot be deleted: cancel or reset the document to draft, its reviews go with it."
                )
            )

    def _update_review_status(self):
        return super(TierReview, self.with_context(dms_tier_engine=ENGINE))._update_review_status()

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
    # Escalation
    # ------------------------------------------------------------------
    def _dms_deadline(self, hours):
        self.ensure_one()
        company = self.company_id or self.env.company
        calendar = company.resource_calendar_id
        start = self.pending_since or self.create_date
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
                ("escalated_to_id", "=", False),
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
                review.write({"escalated_to_id": definition.dms_backup_user_id.id, "escalated_date": now})
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


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"

    # Opt-in: the channel reinforcements (channel reviewers, delegation, frozen figures,
    # protected reviews...) apply only to models that set this to True.
    _dms_approval = False

    dms_rejection_reason = fields.Char(
        string="Reviewer's Reason", compute="_compute_dms_rejection_reason", help="Why the approval was refused."
    )

    @api.depends("review_ids.status", "review_ids.comment")
    def _compute_dms_rejection_reason(self):
        for record in self:
            rejected = record.review_ids.filtered(lambda r: r.status == "rejected").sorted("reviewed_date")
            record.dms_rejection_reason = rejected[-1:].comment or False

    def _dms_review_context(self):
        """Channel context of the document for channel review types:
        ``member``, ``manager`` (users), ``territory``, ``parent`` (member)."""
        self.ensure_one()
        member = self["channel_member_id"] if "channel_member_id" in self._fields else self.env["distribution.member"]
        return {
            "member": member,
            "manager": member.manager_id,
            "territory": member.territory_id,
            "parent": member.parent_id,
        }

    # ------------------------------------------------------------------
    # Frozen figures
    # ------------------------------------------------------------------
    # Fields the approval is about, besides those the active rules' domains read.
    _dms_approval_fields = ()
    # What a change of those fields does on a document approved but still in _state_from:
    # "reset" (the approval is withdrawn, the rules apply again) or "refuse".
    _dms_approval_on_change = "reset"
    # Once approved, numbers (amounts, discounts, yes/no flags) may still go down
    # without a new approval; False: any change is refused.
    _dms_approval_numbers_may_decrease = True

    def _dms_trusted(self):
        """Self with the switches an RPC caller could send (skip_validation_check...)
        removed, unless the engine itself set them."""
        if _engine_marked(self.env) or not any(self.env.context.get(key) for key in UNTRUSTED_CONTEXT_KEYS):
            return self
        return self.with_context(**dict.fromkeys(UNTRUSTED_CONTEXT_KEYS, False))

    def _check_state_from_condition(self):
        if self._dms_approval and not _engine_marked(self.env) and self.env.context.get("skip_check_state_condition"):
            return self.with_context(skip_check_state_condition=False)._check_state_from_condition()
        return super()._check_state_from_condition()

    @api.model
    def _dms_definitions(self):
        return self.env["tier.definition"].sudo().with_context(active_test=True).search([("model", "=", self._name)])

    @api.model
    def _dms_frozen_field_names(self):
        """Fields whose value an approval is about: the model's own list and every field
        the domains of its active rules read (first step of each path)."""
        names = set(self._dms_approval_fields)
        for definition in self._dms_definitions():
            try:
                domain = literal_eval(definition.definition_domain or "[]")
            except (ValueError, SyntaxError):
                continue
            for leaf in domain:
                if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and isinstance(leaf[0], str):
                    names.add(leaf[0].split(".")[0])
        return sorted(name for name in names if name in self._fields)

    def _dms_figures(self):
        """{id: {field: value}} of the frozen fields, as plain comparable values."""
        names = self._dms_frozen_field_names()
        result = {}
        for record in self.sudo():
            values = {}
            for name in names:
                field = record._fields[name]
                value = record[name]
                line_fields = getattr(value, "_dms_approval_line_fields", ()) if field.type == "one2many" else ()
                if line_fields:
                    # the lines' content, not only which lines
                    value = sorted(
                        [line.id] + [_plain(line._fields[f], line[f]) for f in line_fields] for line in value
                    )
                else:
                    value = _plain(field, value)
                values[name] = value
            result[record.id] = values
        return result

    def _dms_within(self, new, approved):
        """New figures are covered by the approved ones: numbers (and yes/no flags) may
        go down, anything else must be unchanged."""
        for name, value in new.items():
            old = approved.get(name)
            if (
                self._dms_approval_numbers_may_decrease
                and isinstance(value, (int, float))
                and isinstance(old, (int, float))
            ):
                if value > old + 1e-6:
                    return False
            elif value != old:
                return False
        return True

    def _dms_guarded(self):
        """The records of self whose figures are frozen now: opted-in, and under
        validation, or approved (in _state_from or _state_to)."""
        if not self._dms_approval or _engine_marked(self.env):
            return self.browse()
        records = self.filtered(lambda r: isinstance(r.id, int)).sudo()
        return records.filtered(
            lambda r: (
                r[r._state_field] in r._state_from
                and r.review_ids
                and r.validation_status in ("waiting", "pending", "validated")
            )
            or r[r._state_field] in r._state_to
        ).with_env(self.env)

    @contextmanager
    def _dms_figures_guard(self):
        """Around a change of the document (or of its lines): refuse, or withdraw the
        approval, when the change touches what the approval is about."""
        records = self._dms_guarded()
        marker = self.env.context.get("dms_figures_guard")
        if marker and marker[0] is GUARD:
            records = records.filtered(lambda r: (r._name, r.id) not in marker[1])
        if not records:
            yield self
            return
        before = records._dms_figures()
        states = {r.id: r[r._state_field] for r in records.sudo()}
        watched = frozenset((r._name, r.id) for r in records) | (marker[1] if marker and marker[0] is GUARD else frozenset())
        yield self.with_context(dms_figures_guard=(GUARD, watched))
        records = records.exists()
        after = records._dms_figures()
        records._dms_check_figures(before, after, states)

    def _dms_check_figures(self, before, after, states):
        to_reset = self.browse()
        for record in self.sudo():
            old, new = before.get(record.id), after.get(record.id)
            if old == new:
                continue
            changed = sorted(name for name in new if new[name] != old.get(name))
            labels = ", ".join(record._fields[name]._description_string(self.env) for name in changed)
            reviews = record.review_ids.filtered(lambda r: r.status != "rejected")
            state_before = states[record.id]
            if state_before in record._state_from:
                if reviews.filtered(lambda r: r.status in ("waiting", "pending")):
                    raise ValidationError(
                        self.env._(
                            "%(doc)s is waiting for approval (%(rules)s): %(fields)s cannot change now. "
                            "Reject or restart its validation first.",
                            doc=record.display_name,
                            rules=", ".join(reviews.definition_id.mapped("name")),
                            fields=labels,
                        )
                    )
                if record._dms_approval_on_change == "reset" and record[record._state_field] in record._state_from:
                    to_reset |= record
                    record._dms_audit(changed, old, new, self.env._("the approval is withdrawn"))
                    continue
                raise ValidationError(
                    self.env._(
                        "%(doc)s was approved (%(rules)s): %(fields)s cannot change any more.",
                        doc=record.display_name,
                        rules=", ".join(reviews.definition_id.mapped("name")),
                        fields=labels,
                    )
                )
            # approved (or confirmed without approval): no rule may be left out
            matching = record._dms_matching_definitions()
            if not matching:
                if reviews:
                    record._dms_audit(changed, old, new, self.env._("no approval rule applies"))
                continue
            approved = [json.loads(r.dms_approved_figures) for r in reviews if r.dms_approved_figures]
            if approved and reviews and all(r.status == "approved" for r in reviews):
                if all(record._dms_within(new, snapshot) for snapshot in approved) and (
                    matching <= reviews.definition_id
                ):
                    record._dms_audit(changed, old, new, self.env._("within the approved figures"))
                    continue
            raise ValidationError(
                self.env._(
                    "%(doc)s is already %(state)s: %(fields)s cannot go beyond what was approved. "
                    "Rule blocking: %(rules)s. Cancel it and reset it to draft to have it approved again.",
                    doc=record.display_name,
                    state=dict(record._fields[record._state_field]._description_selection(self.env)).get(
                        record[record._state_field], record[record._state_field]
                    ),
                    fields=labels,
                    rules=", ".join(matching.mapped("name")),
                )
            )
        if to_reset:
            to_reset.with_env(self.env).with_context(dms_tier_engine=ENGINE).restart_validation()

    def _dms_audit(self, changed, old, new, outcome):
        """A note in the chatter: who changed what on a document under approval."""
        if not hasattr(self, "message_post"):
            return
        details = "; ".join(
            f"{self._fields[name]._description_string(self.env)}: {old.get(name)} → {new.get(name)}" for name in changed
        )
        self.sudo().message_post(
            body=self.env._(
                "%(user)s changed %(details)s on a document under approval: %(outcome)s.",
                user=self.env.user.name,
                details=details,
                outcome=outcome,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _dms_matching_definitions(self):
        """The active rules whose domain matches the record now (whatever its state)."""
        self.ensure_one()
        company = self._get_company()
        matched = self.env["tier.definition"]
        for definition in self._dms_definitions():
            if definition.company_id and definition.company_id != company:
                continue
            if self.sudo().evaluate_tier(definition):
                matched |= definition
        return matched

    def _dms_matching_records(self):
        """The records of self matched by at least one active rule. Set-based: one search
        of the rules, each rule's domain evaluated once on the whole batch (the OCA
        version searches and evaluates per record)."""
        records = self.filtered(lambda r: isinstance(r.id, int))
        matched = self.browse()
        if not records:
            return matched
        definitions = (
            self.env["tier.definition"].sudo().with_context(active_test=True).search([("model", "=", self._name)])
        )
        if definitions:
            for company, group in records.grouped(lambda r: r._get_company()).items():
                for definition in definitions.filtered(lambda d, c=company: not d.company_id or d.company_id == c):
                    matched |= group.evaluate_tier(definition)
        return matched

    @api.depends("review_ids")
    def _compute_need_validation(self):
        if not self._dms_approval:
            return super()._compute_need_validation()
        matched = self._dms_matching_records()
        for record in self:
            record.need_validation = (
                record in matched and not record.review_ids and record._check_state_from_condition()
            )

    def write(self, vals):
        """The OCA checks the rules before the write, on the old values: a write that
        changes the document and its state together (e.g. 1,000 units and 'sale' in
        one RPC call) would slip through. Check the rules again on the new values."""
        if not self._dms_approval:
            return super().write(vals)
        records = self._dms_trusted()
        with records._dms_figures_guard() as guarded:
            return guarded._dms_write(vals)

    def _dms_write(self, vals):
        to_check = self.browse()
        if self._state_field in vals and vals[self._state_field] in self._state_to:
            self.invalidate_recordset(["need_validation"])
            to_check = self.filtered(lambda r: r._tier_validation_get_current_state_value() in r._state_from)
        res = super().write(vals)
        if to_check:
            unapproved = to_check.filtered(lambda r: not (r.review_ids and r.validation_status == "validated"))
            if unapproved._dms_matching_records():
                raise ValidationError(
                    self.env._("This action needs to be validated for at least one record. Please request a validation.")
                )
        return res

    def request_validation(self):
        if not self._dms_approval:
            return super().request_validation()
        reviews = super(TierValidation, self.with_context(dms_tier_engine=ENGINE)).request_validation()
        for record in self:
            mine = reviews.filtered(lambda r, rec=record: r.model == rec._name and r.res_id == rec.id)
            if mine:
                mine.with_context(dms_tier_engine=ENGINE).dms_approved_figures = self.env["tier.review"]._dms_snapshot(
                    record
                )
        # "all of the group": one review per user, approved in parallel
        for review in reviews.filtered(lambda r: r.definition_id.dms_approve_all and len(r.reviewer_ids) > 1):
            users = review.reviewer_ids
            review.dms_user_id = users[0]
            for user in users[1:]:
                reviews |= review.copy({"dms_user_id": user.id, "status": review.status})
        return reviews

    def _tier_validation_check_write_remove_reviews(self, vals):
        if not self._dms_approval:
            return super()._tier_validation_check_write_remove_reviews(vals)
        return super(
            TierValidation, self.with_context(dms_tier_engine=ENGINE)
        )._tier_validation_check_write_remove_reviews(vals)

    def unlink(self):
        if not self._dms_approval:
            return super().unlink()
        return super(TierValidation, self.with_context(dms_tier_engine=ENGINE)).unlink()

    def restart_validation(self):
        if not self._dms_approval:
            return super().restart_validation()
        return super(TierValidation, self.with_context(dms_tier_engine=ENGINE)).restart_validation()

    def _validate_tier(self, tiers=False):
        """Approve only the current user's reviews whose turn it is (parallel reviews
        of the same step must not block each other)."""
        if not self._dms_approval:
            return super()._validate_tier(tiers)
        self.ensure_one()
        user = self.env.user
        tiers = tiers or self.review_ids
        allowed = self._get_sequences_to_approve(user)
        mine = tiers.filtered(
            lambda r: (user in r.reviewer_ids and r.sequence in allowed)
            or (r.approve_sequence_bypass and user in r.reviewer_ids)
        )
        if mine:
            delegated = mine.filtered("delegated_from_ids")
            for review in delegated:
                if hasattr(self, "message_post"):
                    self.sudo().message_post(
                        body=self.env._(
                            "%(delegate)s approved %(step)s on behalf of %(users)s (delegation).",
                            delegate=user.name,
                            step=review.name,
                            users=", ".join(review.delegated_from_ids.mapped("name")),
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
        return super(TierValidation, self.with_context(dms_tier_engine=ENGINE))._validate_tier(
            (mine or self.env["tier.review"]).with_context(dms_tier_engine=ENGINE)
        )

    def _rejected_tier(self, tiers=False):
        if not self._dms_approval:
            return super()._rejected_tier(tiers)
        if tiers:
            tiers = tiers.with_context(dms_tier_engine=ENGINE)
        res = super(TierValidation, self.with_context(dms_tier_engine=ENGINE))._rejected_tier(tiers)
        for record in self:
            if record.validation_status == "rejected":
                record._dms_on_rejected()
        return res

    def _check_reviewer_can_act(self):
        self.ensure_one()
        if not self.review_ids:
            raise UserError(self.env._("%(name)s is not waiting for approval.", name=self.display_name))
        if not self.can_review:
            raise AccessError(
                self.env._("You are not a reviewer of %(name)s at this step.", name=self.display_name)
            )

    def validate_tier(self):
        if not self._dms_approval:
            return super().validate_tier()
        self._check_reviewer_can_act()
        res = super().validate_tier()
        if res:  # comment wizard: the document moves on when the wizard is confirmed
            return res
        self._dms_after_review()
        return res

    def reject_tier(self):
        """Rejecting always asks for a reason, which the requester sees."""
        if not self._dms_approval:
            return super().reject_tier()
        self._check_reviewer_can_act()
        sequences = self._get_sequences_to_approve(self.env.user)
        reviews = self.review_ids.filtered(lambda r: r.sequence in sequences and self.env.user in r.reviewer_ids)
        action = self._add_comment("reject", reviews)
        action["name"] = self.env._("Reason for Rejection")
        return action

    def _dms_approve(self, comment=None):
        """Approve as the current user (backend, portal, tests): same checks as the button."""
        self._check_reviewer_can_act()
        if comment:
            sequences = self._get_sequences_to_approve(self.env.user)
            self.review_ids.filtered(
                lambda r: r.sequence in sequences and self.env.user in r.reviewer_ids
            ).with_context(dms_tier_engine=ENGINE).write({"comment": comment})
        sequences = self._get_sequences_to_approve(self.env.user)
        reviews = self.review_ids.filtered(lambda x: x.sequence in sequences or x.approve_sequence_bypass)
        self._validate_tier(reviews)
        self._update_counter({"review_deleted": True})
        self._dms_after_review()

    def _dms_reject(self, reason):
        self._check_reviewer_can_act()
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for the rejection."))
        sequences = self._get_sequences_to_approve(self.env.user)
        reviews = self.review_ids.filtered(lambda r: r.sequence in sequences and self.env.user in r.reviewer_ids)
        reviews.with_context(dms_tier_engine=ENGINE).write({"comment": reason.strip()})
        self._rejected_tier(reviews)
        self._update_counter({"review_deleted": True})

    def _dms_after_review(self):
        for record in self:
            if record.validation_status == "validated" and record._check_state_from_condition():
                record._dms_on_validated()

    def _dms_on_validated(self):
        """Hook: move the document on once every review is approved."""

    def _dms_on_rejected(self):
        """Hook: the document was refused by a reviewer."""

    def _dms_review_or_pass(self):
        """What an Approve button does under approval rules: for documents under review,
        the current user's approval (refused if it is not their turn); returns the other
        documents that may go on now (no rule matches, or all approved)."""
        under_review = self.filtered(lambda r: r.review_ids and r.validation_status in ("waiting", "pending"))
        for record in under_review:
            if not record.can_review:
                raise UserError(
                    self.env._(
                        "%(name)s is waiting for approval: %(todo)s.",
                        name=record.display_name,
                        todo=record.review_ids.filtered(lambda r: r.status == "pending")[:1].todo_by or "-",
                    )
                )
            record._dms_approve()
        return (self - under_review)._dms_request_or_pass()

    def _dms_request_or_pass(self):
        """For an action that needs approval: returns the records that may go on now, and
        sends the others for approval (or refuses if their approval is pending/refused)."""
        ready = self.browse()
        self.invalidate_recordset(["need_validation"])  # not stored: conditions may have changed
        for record in self:
            if record.need_validation:
                record.request_validation()
                record.invalidate_recordset(["validation_status", "review_ids"])
                if record.validation_status == "validated":
                    ready |= record
            elif record.review_ids and record.validation_status == "rejected":
                raise UserError(
                    self.env._(
                        "%(name)s was rejected (%(reason)s). Restart its validation after your changes.",
                        name=record.display_name,
                        reason=record.dms_rejection_reason or "-",
                    )
                )
            elif record.review_ids and record.validation_status != "validated":
                continue
            else:
                ready |= record
        return ready


class CommentWizard(models.TransientModel):
    _inherit = "comment.wizard"

    def add_comment(self):
        record = self.env[self.res_model].browse(self.res_id) if self.res_model in self.env else None
        if record is not None and getattr(record, "_dms_approval", False):
            # the wizard is created by the client: only the user's own reviews of that document
            record._check_reviewer_can_act()
            user = self.env.user
            self.review_ids = self.review_ids.filtered(
                lambda r: r.model == self.res_model and r.res_id == self.res_id and user in r.reviewer_ids
            )
        res = super(CommentWizard, self.with_context(dms_tier_engine=ENGINE)).add_comment()
        record = self.env[self.res_model].browse(self.res_id)
        if self.validate_reject == "validate" and record._dms_approval:
            record._dms_after_review()
        return res


class ApprovalDelegation(models.Model):
    """Out-of-office: a reviewer's reviews go to a delegate for a period."""

    _name = "distribution.approval.delegation"
    _description = "Approval Delegation"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"

    user_id = fields.Many2one(
        "res.users",
        string="Reviewer Away",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        index=True,
    )
    delegate_id = fields.Many2one("res.users", required=True, domain=[("share", "=", False)], tracking=True)
    date_from = fields.Datetime(string="Absent From", required=True, default=fields.Datetime.now, tracking=True)
    date_to = fields.Datetime(string="Absent Until", required=True, tracking=True)
    note = fields.Char()
    active = fields.Boolean(default=True, tracking=True)
    in_effect = fields.Boolean(compute="_compute_in_effect")

    def _compute_display_name(self):
        for delegation in self:
            delegation.display_name = f"{delegation.user_id.name} → {delegation.delegate_id.name}"

    @api.depends("date_from", "date_to", "active")
    def _compute_in_effect(self):
        now = fields.Datetime.now()
        for delegation in self:
            delegation.in_effect = delegation.active and delegation.date_from <= now <= delegation.date_to

    @api.constrains("user_id", "delegate_id", "date_from", "date_to")
    def _check_dates(self):
        for delegation in self:
            if delegation.user_id == delegation.delegate_id:
                raise UserError(self.env._("A reviewer cannot delegate to themself."))
            if delegation.date_to <= delegation.date_from:
                raise UserError(self.env._("The delegation must end after it starts."))

    @api.model
    def _active_for(self, users):
        if not users:
            return self.browse()
        now = fields.Datetime.now()
        return self.search(
            [("user_id", "in", users.ids), ("date_from", "<=", now), ("date_to", ">=", now), ("active", "=", True)]
        )

    def _refresh_reviews(self, users):
        reviews = (
            self.env["tier.review"]
            .sudo()
            .search(
                [
                    ("status", "in", ("waiting", "pending")),
                    "|",
                    ("reviewer_ids", "in", users.ids),
                    ("delegated_from_ids", "in", users.ids),
                ]
            )
        )
        reviews.with_context(dms_tier_engine=ENGINE)._dms_refresh_reviewers()

    def _check_who_delegates(self):
        """A delegation is made by the reviewer who will be away or by a channel manager,
        and nobody hands reviews to himself (a manager neither)."""
        if self.env.su or _engine(self.env):
            return
        user = self.env.user
        manager = user.has_group("distribution_core.group_channel_manager")
        for delegation in self:
            if delegation.delegate_id == user and delegation.user_id != user:
                raise AccessError(
                    self.env._(
                        "You cannot delegate %(user)s's approvals to yourself: %(user)s or another channel "
                        "manager must do it.",
                        user=delegation.user_id.name,
                    )
                )
            if delegation.user_id != user and not manager:
                raise AccessError(
                    self.env._(
                        "Only %(user)s (or a channel manager) can delegate %(user)s's approvals.",
                        user=delegation.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        delegations = super().create(vals_list)
        delegations._check_who_delegates()
        delegations._refresh_reviews(delegations.user_id | delegations.delegate_id)
        return delegations

    def write(self, vals):
        users = self.user_id | self.delegate_id
        self._check_who_delegates()  # who may change it (before)
        res = super().write(vals)
        self._check_who_delegates()  # and what it becomes
        self._refresh_reviews(users | self.user_id | self.delegate_id)
        return res

    @api.model
    def _cron_refresh(self):
        """Delegations start and end with time: hand open reviews over, and back."""
        now = fields.Datetime.now()
        since = now - timedelta(hours=2)
        changed = self.with_context(active_test=False).search(
            [
                "|",
                "&",
                ("date_from", ">=", since),
                ("date_from", "<=", now),
                "&",
                ("date_to", ">=", since),
                ("date_to", "<=", now),
            ]
        )
        if changed:
            changed._refresh_reviews(changed.user_id | changed.delegate_id)


class ApprovalLineMixin(models.AbstractModel):
    """Lines of an opted-in document: creating, changing or deleting them is a change of
    the document's figures (frozen while under approval and once approved)."""

    _name = "distribution.approval.line.mixin"
    _description = "Lines of a Document under Approval"

    _dms_approval_parent = "order_id"
    # line fields that can change the document's figures (empty: all)
    _dms_approval_line_fields = ()

    def _dms_line_relevant(self, vals):
        keys = set(vals)
        return not self._dms_approval_line_fields or bool(
            keys & (set(self._dms_approval_line_fields) | {self._dms_approval_parent})
        )

    def _dms_parents(self, ids=()):
        parent_model = self.env[self._fields[self._dms_approval_parent].comodel_name]
        parents = self.sudo()[self._dms_approval_parent] | parent_model.sudo().browse([i for i in ids if i])
        return parents.with_env(self.env)

    @api.model_create_multi
    def create(self, vals_list):
        ids = [vals.get(self._dms_approval_parent) for vals in vals_list]
        parents = self._dms_parents([i for i in ids if isinstance(i, int)])
        with parents._dms_figures_guard():
            return super().create(vals_list)

    def write(self, vals):
        if not self._dms_line_relevant(vals):
            return super().write(vals)
        new_parent = vals.get(self._dms_approval_parent)
        parents = self._dms_parents([new_parent] if isinstance(new_parent, int) else [])
        with parents._dms_figures_guard():
            return super().write(vals)

    def unlink(self):
        with self._dms_parents()._dms_figures_guard():
            return super().unlink()


def domain_reviewer_queue(user):
    return Domain("reviewer_ids", "in", user.ids) & Domain("status", "=", "pending") & Domain("can_review", "=", True)
