"""Approval rules (OCA ``tier.definition``): channel review types, "all of the group",
reminder and escalation delays, four eyes by default on opted-in documents."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import CHANNEL_REVIEW_TYPES, opted_in


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

    @api.model_create_multi
    def create(self, vals_list):
        # four eyes by default on opted-in documents: the requester does not approve his own
        # request unless the rule says so (exclude_requester unticked)
        for vals in vals_list:
            if "exclude_requester" not in vals and vals.get("model_id"):
                if opted_in(self.env, self.env["ir.model"].browse(vals["model_id"]).model):
                    vals["exclude_requester"] = True
        return super().create(vals_list)

    @api.onchange("model_id")
    def _onchange_model_id_dms_exclude_requester(self):
        if opted_in(self.env, self.model_id.model):
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
