"""Frozen figures of a document under approval, a concern of the approval mixin
(``tier.validation`` inherits this mixin; see tier_validation.py).

What an approval is about (the model's ``_dms_approval_fields`` and every field the domains of
its active channel rules read, lines included through ``distribution.approval.line.mixin``)
cannot change while the document waits for approval; approved but not done yet, a change
withdraws the approval (``_dms_approval_on_change = "reset"``) or is refused; once done, a
change beyond what was approved is refused, and every allowed change leaves a note in the
chatter. ``tier.validation.write`` runs the change inside ``_dms_figures_guard``."""

import json
from ast import literal_eval
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import ENGINE, GUARD, engine_marked, plain


class DistributionApprovalFigures(models.AbstractModel):
    _name = "distribution.approval.figures"
    _description = "Approval: Frozen Figures"

    # Fields the approval is about, besides those the active rules' domains read.
    _dms_approval_fields = ()
    # What a change of those fields does on a document approved but still in _state_from:
    # "reset" (the approval is withdrawn, the rules apply again) or "refuse".
    _dms_approval_on_change = "reset"
    # Once approved, numbers (amounts, discounts, yes/no flags) may still go down
    # without a new approval; False: any change is refused.
    _dms_approval_numbers_may_decrease = True

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
