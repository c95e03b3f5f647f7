"""The approval mixin (OCA ``tier.validation``), reinforced for the models that opt in.

Everything here applies only to the models that opt in with the class
attribute ``_dms_approval = True`` (as OCA's own ``_tier_validation_*``
hooks do). Every other model using ``tier.validation`` (purchase orders,
journal entries, pickings...) keeps OCA's behaviour exactly as shipped.

What the OCA engine lacks and this addon adds, for the models that opt in:

* reviewers taken from the channel: the member's channel manager, the
  territory's manager, the parent member's portal users (through the
  document's ``_dms_review_context()``);
* "all of a group": one review per group member, approved in parallel;
* escalation after N working hours (reminder, then a backup reviewer);
* delegation while a reviewer is away (``distribution.approval.delegation``);
* a mandatory reason on rejection, shown to the requester;
* the document moves on by itself once the last review is approved
  (``_dms_on_validated``), so the flow is never blocked after approval;
* frozen figures: what the rules read cannot change under approval;
* reviews cannot be forged through RPC: only the engine changes their status.

Why one file of some 700 lines: it is one model, the OCA mixin every opted-in
document shares, and an addon extends a model in one class (pylint-odoo's
R8180 consider-merging-classes-inherited refuses a second class inheriting
``tier.validation`` in the same addon, so it cannot be split by concern into
files of their own). Moving a concern into a new mixin instead would add a
model to every approval document for no behaviour. The concerns are sections,
in this order: opt-in and channel context; frozen figures (what the rules read
cannot change under approval: ``_dms_figures_guard`` around ``write``); the
engine's overrides (request, validate, reject, restart, the hooks
``_dms_on_validated`` / ``_dms_on_rejected``); the portal page My Approvals.
"""

import json
from ast import literal_eval
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ENGINE, GUARD, UNTRUSTED_CONTEXT_KEYS, engine_marked, plain


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"

    # Opt-in: the channel reinforcements (channel reviewers, delegation, frozen figures,
    # protected reviews...) apply only to models that set this to True, and there to the
    # documents a channel rule (tier.definition.dms_channel_rule) sends for approval.
    _dms_approval = False
    # Whether a rule created by code on this model, without saying, is a channel rule
    # (in the form, a rule on an opted-in model always starts as one).
    _dms_approval_rules_default = True

    dms_rejection_reason = fields.Char(
        string="Reviewer's Reason", compute="_compute_dms_rejection_reason", help="Why the approval was refused."
    )

    @api.depends("review_ids.status", "review_ids.comment")
    def _compute_dms_rejection_reason(self):
        # sudo: the requester reads why his document was refused (a portal requester, e.g. a
        # promoter on his withdrawals, has no access to the reviews themselves)
        for record in self:
            rejected = record.sudo().review_ids.filtered(lambda r: r.status == "rejected").sorted("reviewed_date")
            record.dms_rejection_reason = rejected[-1:].comment or False

    def _get_to_validate_message_name(self):
        """The document type in the reader's language for the banner "This ... needs to be
        validated" (the OCA uses ``_description``, which is English whatever the language)."""
        return self.env["ir.model"].sudo()._get(self._name).name or super()._get_to_validate_message_name()

    def _dms_review_context(self):
        """Channel context of the document for channel review types: ``member``,
        ``manager`` (users), ``territory`` (with a ``manager_id``), ``parent`` (a
        member, with a ``partner_id``). By default read from the document's
        ``channel_member_id`` (duck typing: this addon does not know the channel
        models); documents override it to say where their channel is."""
        self.ensure_one()
        member = self["channel_member_id"] if "channel_member_id" in self._fields else None
        if not member:
            return {"member": member, "manager": self.env["res.users"], "territory": None, "parent": None}
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

    def _dms_channel_reviews(self):
        """The reviews of self made by channel rules."""
        return self.sudo().review_ids.filtered(lambda r: r.definition_id.dms_channel_rule)

    def _dms_reinforced(self):
        """The records of self under the channel's guarantees: of an opted-in model, with a
        review of a channel rule, or (not sent for approval yet) matched by a channel rule.
        The others keep the OCA's behaviour, as documents of any other model do."""
        if not self._dms_approval:
            return self.browse()
        records = self.filtered(lambda r: isinstance(r.id, int))
        reinforced = records.filtered(lambda r: r._dms_channel_reviews())
        rest = (records - reinforced).filtered(lambda r: not r.sudo().review_ids)
        if rest:
            reinforced |= rest._dms_matching_records()
        return reinforced

    def _dms_trusted(self):
        """Self with the switches an RPC caller could send (skip_validation_check...)
        removed, unless the engine itself set them."""
        if engine_marked(self.env) or not any(self.env.context.get(key) for key in UNTRUSTED_CONTEXT_KEYS):
            return self
        if not self._dms_reinforced():
            return self  # the OCA's behaviour
        return self.with_context(**dict.fromkeys(UNTRUSTED_CONTEXT_KEYS, False))

    def _check_state_from_condition(self):
        if (
            self._dms_approval
            and not engine_marked(self.env)
            and self.env.context.get("skip_check_state_condition")
            and self._dms_reinforced()
        ):
            return self.with_context(skip_check_state_condition=False)._check_state_from_condition()
        return super()._check_state_from_condition()

    @api.model
    def _dms_definitions(self):
        """The active channel rules of this model."""
        return (
            self.env["tier.definition"]
            .sudo()
            .with_context(active_test=True)
            .search([("model", "=", self._name), ("dms_channel_rule", "=", True)])
        )

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
                        [line.id] + [plain(line._fields[f], line[f]) for f in line_fields] for line in value
                    )
                else:
                    value = plain(field, value)
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
        validation of a channel rule, or approved (in _state_from or _state_to), or
        done while channel rules exist (none may be left out)."""
        if not self._dms_approval or engine_marked(self.env):
            return self.browse()
        records = self.filtered(lambda r: isinstance(r.id, int)).sudo()
        if not records:
            return self.browse()
        has_rules = None
        guarded = self.browse()
        for record in records:
            state = record[record._state_field]
            if state in record._state_from:
                if record._dms_channel_reviews() and record.validation_status in ("waiting", "pending", "validated"):
                    guarded |= record
            elif state in record._state_to:
                if has_rules is None:
                    has_rules = bool(self._dms_definitions())
                if has_rules or record._dms_channel_reviews():
                    guarded |= record
        return guarded.with_env(self.env)

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
            reviews = record._dms_channel_reviews().filtered(lambda r: r.status != "rejected")
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
        """The active channel rules whose domain matches the record now (whatever its state)."""
        self.ensure_one()
        company = self._get_company()
        matched = self.env["tier.definition"]
        for definition in self._dms_definitions():
            if definition.company_id and definition.company_id != company:
                continue
            if self.sudo().evaluate_tier(definition):
                matched |= definition
        return matched

    def _dms_matching_records(self, channel_only=True):
        """The records of self matched by at least one active channel rule (any rule:
        ``channel_only=False``). Set-based: one search of the rules, each rule's domain
        evaluated once on the whole batch (the OCA version searches and evaluates per record)."""
        records = self.filtered(lambda r: isinstance(r.id, int))
        matched = self.browse()
        if not records:
            return matched
        domain = [("model", "=", self._name)] + ([("dms_channel_rule", "=", True)] if channel_only else [])
        definitions = self.env["tier.definition"].sudo().with_context(active_test=True).search(domain)
        if definitions:
            for company, group in records.grouped(lambda r: r._get_company()).items():
                for definition in definitions.filtered(lambda d, c=company: not d.company_id or d.company_id == c):
                    matched |= group.evaluate_tier(definition)
        return matched

    @api.depends("review_ids")
    def _compute_need_validation(self):
        if not self._dms_approval:
            return super()._compute_need_validation()
        matched = self._dms_matching_records(channel_only=False)
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
        # who may not write the document at all is told so first (AccessError), before any
        # approval guard explains why this change would be refused
        self.check_access("write")
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
        for review in reviews.filtered(
            lambda r: r.definition_id.dms_channel_rule and r.definition_id.dms_approve_all and len(r.reviewer_ids) > 1
        ):
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
        if not self._dms_approval or not self._dms_channel_reviews():
            return super()._validate_tier(tiers)
        self.ensure_one()
        self._dms_lock_reviews()
        user = self.env.user
        tiers = tiers or self.review_ids
        allowed = self._get_sequences_to_approve(user)
        mine = tiers.filtered(
            lambda r: (user in r.reviewer_ids and r.sequence in allowed)
            or (r.approve_sequence_bypass and user in r.reviewer_ids)
        )
        if mine:
            delegated = mine.filtered("dms_delegated_from_ids")
            for review in delegated:
                if hasattr(self, "message_post"):
                    self.sudo().message_post(
                        body=self.env._(
                            "%(delegate)s approved %(step)s on behalf of %(users)s (delegation).",
                            delegate=user.name,
                            step=review.name,
                            users=", ".join(review.dms_delegated_from_ids.mapped("name")),
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
        return super(TierValidation, self.with_context(dms_tier_engine=ENGINE))._validate_tier(
            (mine or self.env["tier.review"]).with_context(dms_tier_engine=ENGINE)
        )

    def _dms_lock_reviews(self):
        """Two reviewers deciding on the same document at once: each transaction would see the
        other's review still pending, so with two parallel reviews approved at the same moment
        neither would move the document on (or one would confirm it while the other rejects).
        Locking the document's reviews first makes the second one wait for the first, then fail
        to serialise and be retried, seeing the first decision."""
        self.env["tier.review"].flush_model(["status"])
        self.env.cr.execute(
            "SELECT id FROM tier_review WHERE model = %s AND res_id = ANY(%s) FOR NO KEY UPDATE",
            [self._name, self.ids],
        )

    def _rejected_tier(self, tiers=False):
        if not self._dms_approval or not self._dms_channel_reviews():
            return super()._rejected_tier(tiers)
        self._dms_lock_reviews()
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
        """On opted-in models, the button returns a value an RPC client can read (XML-RPC
        cannot marshal None): the comment wizard's action, or True."""
        if not self._dms_approval:
            return super().validate_tier()
        if not self._dms_channel_reviews():
            res = super().validate_tier()  # the OCA's behaviour
            return True if res is None else res
        self._check_reviewer_can_act()
        res = super().validate_tier()
        if res:  # comment wizard: the document moves on when the wizard is confirmed
            return res
        self._dms_after_review()
        return True

    def reject_tier(self):
        """Rejecting always asks for a reason, which the requester sees."""
        if not self._dms_approval:
            return super().reject_tier()
        if not self._dms_channel_reviews():
            res = super().reject_tier()  # the OCA's behaviour
            return True if res is None else res
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
            if (
                record.validation_status == "validated"
                and record._dms_channel_reviews()
                and record._check_state_from_condition()
            ):
                record._dms_on_validated()

    def _dms_on_validated(self):
        """Hook: move the document on once every review is approved."""

    def _dms_on_rejected(self):
        """Hook: the document was refused by a reviewer (its reviews stay: they record who
        refused and why). By default the document stays where it is, editable, and the
        reviewer's reason goes to its chatter, addressed to whoever asked for the approval;
        a document with a refused state of its own overrides this to move there."""
        if not hasattr(self, "message_post"):
            return
        for record in self:
            requesters = record.sudo().review_ids.requested_by
            record.sudo().message_post(
                body=self.env._(
                    "Approval refused by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=record.dms_rejection_reason or "-",
                ),
                partner_ids=requesters.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _dms_decided_write(self, vals):
        """Write a state the engine decided (a reviewer's rejection), past the checks a client's
        write meets, with the reviews kept as the record of the decision (the OCA deletes them
        when a document goes to its cancel state). Rights: the engine's; who decided stays the
        current user (``sudo()`` keeps him)."""
        return (
            self.sudo()
            .with_context(skip_validation_check=True, dms_tier_engine=ENGINE, dms_keep_reviews=ENGINE)
            .write(vals)
        )

    def _allow_to_remove_reviews(self, values):
        if self._dms_approval and self.env.context.get("dms_keep_reviews") is ENGINE:
            return False
        return super()._allow_to_remove_reviews(values)

    def _dms_review_or_pass(self):
        """What an Approve button does under approval rules: for documents under review,
        the current user's approval (refused if it is not their turn); returns the other
        documents that may go on now (no rule matches, or all approved)."""
        under_review = self.filtered(
            lambda r: r._dms_channel_reviews() and r.validation_status in ("waiting", "pending")
        )
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
        sends the others for approval (or refuses if their approval is pending/refused).
        Documents no channel rule is about go on: the OCA's own checks apply to them."""
        ready = self.browse()
        self.invalidate_recordset(["need_validation"])  # not stored: conditions may have changed
        reinforced = self._dms_reinforced()
        for record in self:
            if record not in reinforced:
                ready |= record
            elif record.need_validation:
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

    # ------------------------------------------------------------------
    # Portal: "My Approvals" (what it shows of a document, the decision taken there)
    # ------------------------------------------------------------------
    # Fields read, in this order, for the amount a portal reviewer sees first.
    _dms_portal_amount_fields = ("amount_total", "amount")

    def _dms_portal_approval_summary(self):
        """{id: {"kind", "name", "url", "member", "amount", "currency"}} of the documents of self, as the
        portal page "My Approvals" shows them to the current user (self may be sudo). A link is
        given only to a portal page the current user may open himself; addons override this to
        name their own page and the member who asks (``member``: a name, ``amount``: a number
        or False, ``currency``: a res.currency or False)."""
        user_records = self.sudo(False)
        readable = set(user_records._filtered_access("read").ids) if "access_url" in self._fields else set()
        amount_field = next(
            (name for name in self._dms_portal_amount_fields if self._fields.get(name, None) is not None
             and self._fields[name].type in ("monetary", "float")),
            None,
        )
        kind = self._get_to_validate_message_name()
        result = {}
        for record in self.sudo():
            partner = record["partner_id"] if "partner_id" in record._fields else None
            url = record.access_url if record.id in readable and record.access_url not in (False, "#") else False
            result[record.id] = {
                "kind": kind,
                "name": record.display_name,
                "url": url,
                "member": partner.commercial_partner_id.name if partner else False,
                "amount": record[amount_field] if amount_field else False,
                "currency": record["currency_id"] if "currency_id" in record._fields else False,
            }
        return result

    def _dms_portal_decide(self, review, decision, reason=None):
        """Approve or reject, from the portal, the review ``review`` of this document as the
        current user: the engine's own path (the reviewer must be the current user, at his step,
        as computed by the engine; nothing in the context switches a check off)."""
        self.ensure_one()
        if review not in self.env["tier.review"]._dms_portal_reviews():
            raise AccessError(self.env._("You are not a reviewer of %(name)s at this step.", name=self.display_name))
        # the rights of the engine; who decides stays the current user, and nothing the caller put
        # in the context (skip_validation_check, tier_validation_*...) comes along
        context = {key: self.env.context[key] for key in ("lang", "tz") if key in self.env.context}
        document = self.with_env(self.env(context=context, su=True))
        if decision == "approve":
            document._dms_approve()
        elif decision == "reject":
            document._dms_reject(reason)
        else:
            raise AccessError(self.env._("Unknown decision."))
