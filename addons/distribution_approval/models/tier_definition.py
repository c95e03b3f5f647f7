"""Approval rules (OCA ``tier.definition``): channel rules (the guarantees of this addon apply
to the documents they send for approval), channel review types, "all of the group", reminder
and escalation delays, four eyes by default."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import CHANNEL_REVIEW_TYPES, opted_in


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    review_type = fields.Selection(
        selection_add=CHANNEL_REVIEW_TYPES,
        ondelete={key: "set default" for key, _label in CHANNEL_REVIEW_TYPES},
    )
    dms_channel_rule = fields.Boolean(
        string="Channel Rule",
        help="The documents this rule sends for approval get the channel's guarantees: reviews changed "
        "only by the approval engine, channel reviewers, delegation and escalation, four eyes by default, "
        "frozen figures, switches sent through RPC ignored, the document moving on by itself after the "
        "last approval. A rule that is not a channel rule (e.g. one made for another OCA approval module) "
        "behaves exactly as the OCA ships it.",
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
    def _dms_channel_rule_default(self, model_name):
        """A new rule on an opted-in model is a channel rule, unless the model says that rules
        made by code default to the OCA's behaviour (``_dms_approval_rules_default``: sale
        orders, whose approvals sale_tier_validation and its users also define)."""
        return opted_in(self.env, model_name) and bool(self.env[model_name]._dms_approval_rules_default)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            model_name = self.env["ir.model"].browse(vals["model_id"]).model if vals.get("model_id") else False
            if vals.get("review_type") in dict(CHANNEL_REVIEW_TYPES):
                vals["dms_channel_rule"] = True  # reviewers only a channel rule knows
            elif "dms_channel_rule" not in vals:
                vals["dms_channel_rule"] = self._dms_channel_rule_default(model_name)
            if not opted_in(self.env, model_name):
                vals["dms_channel_rule"] = False
            # four eyes by default: the requester does not approve his own request unless the
            # rule says so (exclude_requester unticked)
            if vals["dms_channel_rule"] and "exclude_requester" not in vals:
                vals["exclude_requester"] = True
        return super().create(vals_list)

    def write(self, vals):
        if "dms_channel_rule" in vals:
            for definition in self:
                if bool(vals["dms_channel_rule"]) != definition.dms_channel_rule:
                    open_reviews = self.env["tier.review"].sudo().search_count(
                        [("definition_id", "=", definition.id), ("status", "in", ("waiting", "pending"))], limit=1
                    )
                    if open_reviews:
                        raise ValidationError(
                            self.env._(
                                "Rule %(name)s has reviews waiting: it cannot stop or start being a channel "
                                "rule before they are decided.",
                                name=definition.name,
                            )
                        )
        res = super().write(vals)
        if {"model_id", "dms_channel_rule", "review_type"} & set(vals):
            for definition in self:
                if definition.dms_channel_rule and not opted_in(self.env, definition.model):
                    definition.dms_channel_rule = False
                elif definition.review_type in dict(CHANNEL_REVIEW_TYPES) and not definition.dms_channel_rule:
                    definition.dms_channel_rule = True
        return res

    @api.onchange("model_id")
    def _onchange_model_id_dms_exclude_requester(self):
        # in the form, a rule on an opted-in model is a channel rule (untick to have the OCA's behaviour)
        self.dms_channel_rule = opted_in(self.env, self.model_id.model)
        if self.dms_channel_rule:
            self.exclude_requester = True

    @api.onchange("dms_channel_rule", "review_type")
    def _onchange_dms_channel_rule(self):
        if self.review_type in dict(CHANNEL_REVIEW_TYPES):
            self.dms_channel_rule = True

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
