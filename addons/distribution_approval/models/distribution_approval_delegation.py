"""Out-of-office delegation of reviews."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import ENGINE, engine


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
                    ("dms_delegated_from_ids", "in", users.ids),
                ]
            )
        )
        reviews.with_context(dms_tier_engine=ENGINE)._dms_refresh_reviewers()

    def _check_who_delegates(self):
        """A delegation is made by the reviewer who will be away or by a channel manager,
        and nobody hands reviews to himself (a manager neither)."""
        if self.env.su or engine(self.env):
            return
        user = self.env.user
        manager = user.has_group("distribution_approval.group_approval_manager")
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
