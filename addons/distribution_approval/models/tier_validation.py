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

The model is extended in this one class (an addon extends a model once:
pylint-odoo R8180); two further concerns are abstract mixins it inherits,
each in the file of its name: ``distribution.approval.figures`` (frozen
figures: what the rules read cannot change under approval; the guard itself
wraps ``write`` here) and ``distribution.approval.portal`` (what My Approvals
shows of a document, the decision there). Here: opt-in and channel context,
which rules apply, the engine's overrides (request, validate, reject,
restart) and the hooks ``_dms_on_validated`` / ``_dms_on_rejected``.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import ENGINE, UNTRUSTED_CONTEXT_KEYS, engine_marked


class TierValidation(models.AbstractModel):
    _name = "tier.validation"
    _inherit = ["tier.validation", "distribution.approval.figures", "distribution.approval.portal"]

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
