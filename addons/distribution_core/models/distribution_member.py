from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.codes import normalize_code
from .distribution_territory import has_parent_cycle, moves_under_itself

STATES = [
    ("application", "Application"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]


class DistributionMember(models.Model):
    """A partner's place in the channel (渠道商)."""

    _name = "distribution.member"
    _description = "Channel Member"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _parent_store = True
    _parent_name = "parent_id"
    _order = "tier_sequence, name, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Member Company",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    name = fields.Char(related="partner_id.name", store=True, readonly=True)
    code = fields.Char(required=True, tracking=True, copy=False, help="Unique member code, normalised to upper case.")
    tier_id = fields.Many2one("distribution.tier", required=True, ondelete="restrict", tracking=True, index=True)
    tier_sequence = fields.Integer(related="tier_id.sequence", store=True)
    parent_id = fields.Many2one(
        "distribution.member",
        string="Parent Member",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Supplier of this member in the channel. Empty: supplied directly by HQ.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("distribution.member", "parent_id", string="Sub-members")
    territory_id = fields.Many2one("distribution.territory", ondelete="restrict", tracking=True, index=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Channel Manager",
        domain=[("share", "=", False)],
        default=lambda self: self.env.user if not self.env.user.share else False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(STATES, default="application", required=True, tracking=True, index=True)
    date_applied = fields.Date(default=fields.Date.context_today)
    date_activated = fields.Date(readonly=True)
    date_suspended = fields.Date(readonly=True)
    date_terminated = fields.Date(readonly=True)
    state_reason = fields.Text(string="Reason", tracking=True, help="Why the member was suspended or terminated.")
    vat = fields.Char(related="partner_id.vat")
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    color = fields.Integer(related="tier_id.color")
    image_128 = fields.Image(related="partner_id.image_128")
    depth = fields.Integer(compute="_compute_depth", help="1 for members directly under HQ.")
    path_display = fields.Char(string="Place in Channel", compute="_compute_path_display")
    child_count = fields.Integer(compute="_compute_child_count", string="Direct Sub-members")
    descendant_count = fields.Integer(compute="_compute_child_count", string="Whole Subtree")
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    _code_unique = models.Constraint("UNIQUE(code, company_id)", "This member code is already used.")
    # codes are stored normalised (upper case), whoever writes them: a code differing only in case
    # from another one is the same code
    _code_upper_unique = models.UniqueIndex("(upper(code), company_id)", "This member code is already used.")
    _partner_unique = models.Constraint("UNIQUE(partner_id, company_id)", "This company is already a channel member.")

    def _has_cycle(self, field_name=None):
        if field_name in (None, self._parent_name):
            return has_parent_cycle(self)  # a query per tier, whatever the size of the channel
        return super()._has_cycle(field_name)

    @api.depends("parent_path")
    def _compute_depth(self):
        for member in self:
            member.depth = (member.parent_path or "").count("/")

    @api.depends("name", "parent_id")
    def _compute_path_display(self):
        hq = self.env.company.name
        for member in self:
            names = []
            node = member.sudo()  # the names of the ancestors only, to show a member its place
            while node:
                names.append(node.name or "")
                node = node.parent_id
            member.path_display = " › ".join([hq, *reversed(names)])

    def _compute_child_count(self):
        children = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        subtree_paths = self.search([("id", "child_of", self.ids)]).mapped("parent_path") if self.ids else []
        for member in self:
            member.child_count = children.get(member, 0)
            prefix = member.parent_path or "-"
            member.descendant_count = sum(1 for path in subtree_paths if path.startswith(prefix)) - 1 if member.id else 0

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("channel_member_id", "in", self.ids), ("move_type", "in", ("out_invoice", "out_refund"))],
                ["channel_member_id"],
                ["__count"],
            )
        )
        for member in self:
            member.invoice_count = counts.get(member, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for member in self:
            member.display_name = f"[{member.code}] {member.name}" if member.code else (member.name or "")

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "=ilike", "like", "=like") and value:
            return ["|", ("code", operator, value), ("name", operator, value)]
        return super()._search_display_name(operator, value)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = normalize_code(vals["code"])
            today = fields.Date.context_today(self)
            if vals.get("state") in ("active", "suspended", "terminated") and not vals.get("date_activated"):
                vals["date_activated"] = today
            if vals.get("state") == "suspended" and not vals.get("date_suspended"):
                vals["date_suspended"] = today
            if vals.get("state") == "terminated" and not vals.get("date_terminated"):
                vals["date_terminated"] = today
        self.check_access("create")  # before telling anything about other members
        self._check_duplicates(vals_list)
        members = super().create(vals_list)
        members._check_user_placement()
        return members

    def write(self, vals):
        if vals.get("parent_id") and moves_under_itself(self, self.browse(vals["parent_id"])):
            raise ValidationError(
                self.env._("A member cannot be placed under itself or under one of its own sub-members.")
            )
        if vals.get("code"):
            vals["code"] = normalize_code(vals["code"])
            self._check_duplicates([dict(vals, partner_id=m.partner_id.id) for m in self], exclude=self)
        self._check_user_scope()
        res = super().write(vals)
        if {"parent_id", "territory_id"} & set(vals):
            self._check_user_placement()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_scope(self):
        self._check_user_scope()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        for member in self:
            if member.state != "application" or member.child_ids:
                raise UserError(
                    self.env._(
                        "Member %(name)s has been active in the channel: terminate it instead of deleting it.",
                        name=member.display_name,
                    )
                )

    @api.model
    def _check_duplicates(self, vals_list, exclude=None):
        """Refuse a code or a VAT already used by another member, naming it."""
        codes = {normalize_code(v["code"]) for v in vals_list if v.get("code")}
        if codes:
            # case-insensitive, as the unique index: a code stored in another case by an earlier
            # version or by SQL is still the same code
            self.flush_model(["code"])
            self.env.cr.execute(
                SQL("SELECT id FROM distribution_member WHERE upper(code) = ANY(%s) ORDER BY id", list(codes))
            )
            existing = self.sudo().browse(id_ for (id_,) in self.env.cr.fetchall())
            existing -= exclude or self.browse()
            if existing:
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by member %(member)s.",
                        code=existing[0].code,
                        member=existing[0].name,
                    )
                )
        partner_ids = [v["partner_id"] for v in vals_list if v.get("partner_id")]
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        vats = {p.vat.replace(" ", "").upper() for p in partners if p.vat}
        if vats:
            self._check_vat_unused(vats, exclude_partners=partners)

    @api.model
    def _check_vat_unused(self, vats, exclude_partners=None):
        vats = {v.replace(" ", "").upper() for v in vats if v}
        if not vats:
            return
        # the partners by their indexed tax ID first, then their members: one join of both tables
        # would be planned with their statistics, stale while members are created in bulk
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search([("vat", "in", list(vats))])
        clashes = self.sudo().search([("partner_id", "in", partners.ids)]) if partners else self.browse()
        if exclude_partners:
            clashes = clashes.filtered(lambda m: m.partner_id not in exclude_partners)
        if clashes:
            raise ValidationError(
                self.env._(
                    "The tax ID %(vat)s is already registered for member %(member)s.",
                    vat=clashes[0].vat,
                    member=clashes[0].display_name,
                )
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("parent_id", "tier_id")
    def _check_parent_and_tier(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A member cannot be placed under itself or under one of its own sub-members.")
            )
        for member in self:
            if member.parent_id and member.parent_id.tier_id.sequence >= member.tier_id.sequence:
                raise ValidationError(
                    self.env._(
                        "%(member)s (%(tier)s) cannot sit under %(parent)s (%(parent_tier)s): "
                        "a member must sit under a higher tier.",
                        member=member.name,
                        tier=member.tier_id.name,
                        parent=member.parent_id.name,
                        parent_tier=member.parent_id.tier_id.name,
                    )
                )
            bad_children = member.child_ids.filtered(lambda c, m=member: c.tier_id.sequence <= m.tier_id.sequence)
            if bad_children:
                raise ValidationError(
                    self.env._(
                        "%(member)s cannot move to tier %(tier)s: its sub-member %(child)s is of tier %(child_tier)s.",
                        member=member.name,
                        tier=member.tier_id.name,
                        child=bad_children[0].name,
                        child_tier=bad_children[0].tier_id.name,
                    )
                )

    @api.constrains("territory_id", "tier_id", "state")
    def _check_territory_exclusive(self):
        to_check = self.filtered(
            lambda m: m.territory_id and m.tier_id.exclusive_territory and m.state in ("active", "suspended")
        )
        if not to_check:
            return
        overlapping = to_check.territory_id._related_ids()
        candidates = self.sudo().search(
            [
                ("territory_id", "in", list(overlapping)),
                ("tier_id", "in", to_check.tier_id.ids),
                ("state", "in", ("active", "suspended")),
            ]
        )
        for member in to_check:
            mine = member.territory_id._related_ids()
            for other in candidates:
                if other.id != member.id and other.tier_id == member.tier_id and other.territory_id.id in mine:
                    raise ValidationError(
                        self.env._(
                            "Territory %(territory)s is exclusive for tier %(tier)s and overlaps %(other_territory)s, "
                            "which belongs to %(other)s.",
                            territory=member.territory_id.complete_name,
                            tier=member.tier_id.name,
                            other_territory=other.territory_id.complete_name,
                            other=other.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------
    def action_activate(self):
        for member in self:
            if member.state not in ("application", "suspended"):
                raise UserError(
                    self.env._("Only an application or a suspended member can be activated (%(member)s).",
                               member=member.display_name)
                )
        self.write({"state": "active", "date_activated": fields.Date.context_today(self), "state_reason": False})
        return True

    def _action_suspend(self, reason):
        for member in self:
            if member.state != "active":
                raise UserError(self.env._("Only an active member can be suspended (%(member)s).",
                                           member=member.display_name))
        self.write({"state": "suspended", "date_suspended": fields.Date.context_today(self), "state_reason": reason})

    def _action_terminate(self, reason):
        for member in self:
            if member.state == "terminated":
                raise UserError(self.env._("%(member)s is already terminated.", member=member.display_name))
            live_children = member.child_ids.filtered(lambda c: c.state != "terminated")
            if live_children:
                raise UserError(
                    self.env._(
                        "%(member)s still supplies %(count)s sub-member(s) (e.g. %(child)s): "
                        "move them to another parent first.",
                        member=member.display_name,
                        count=len(live_children),
                        child=live_children[0].display_name,
                    )
                )
        self.write({"state": "terminated", "date_terminated": fields.Date.context_today(self), "state_reason": reason})

    def action_suspend(self):
        return self._open_reason_wizard("suspend")

    def action_terminate(self):
        return self._open_reason_wizard("terminate")

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids, "default_action": action},
        }

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_core.distribution_member_action")
        action["domain"] = [("id", "child_of", self.id), ("id", "!=", self.id)]
        action["context"] = {"default_parent_id": self.id}
        action["display_name"] = self.env._("Subtree of %(name)s", name=self.name)
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("channel_member_id", "=", self.id), ("move_type", "in", ("out_invoice", "out_refund"))]
        action["context"] = {"default_move_type": "out_invoice", "default_partner_id": self.partner_id.id}
        return action

    def action_open_invitation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.invitation",
            "view_mode": "form",
            "target": "current",
            "context": {"default_inviter_member_id": self.id},
        }

    # ------------------------------------------------------------------
    # The part of the channel an internal user acts on
    # ------------------------------------------------------------------
    @api.model
    def _is_scope_restricted(self):
        """Whether the current user acts only inside his own part of the channel: every internal user
        but a channel manager (and the superuser). Portal users are held by their record rules."""
        user = self.env.user
        return not self.env.su and not user.share and not user.has_group("distribution_core.group_channel_manager")

    @api.model
    def _user_scope_domain(self):
        """The members the current user acts on: those he is the channel manager of, with their
        sub-members, and those of the territories he manages, and below them."""
        managed = self.sudo().with_context(active_test=False).search([("manager_id", "=", self.env.uid)])
        territories = self.env["distribution.territory"].sudo().with_context(active_test=False).search(
            [("manager_id", "=", self.env.uid)]
        )
        return Domain.OR([[("id", "child_of", managed.ids)], [("territory_id", "child_of", territories.ids)]])

    def _check_user_scope(self):
        """AccessError unless every member is in the current user's part of the channel (a channel
        manager decides elsewhere)."""
        if not self or not self._is_scope_restricted():
            return
        members = self.sudo().with_context(active_test=False)
        inside = members.search(Domain.AND([[("id", "in", members.ids)], self._user_scope_domain()]))
        outside = members - inside
        if outside:
            raise AccessError(
                self.env._(
                    "%(member)s is outside the members and territories you manage: ask a channel manager.",
                    member=outside[0].display_name,
                )
            )

    def _check_user_placement(self):
        """AccessError unless each member sits under a member, and in a territory, of the current
        user's part of the channel: a channel user never places a member under another region."""
        if not self or not self._is_scope_restricted():
            return
        for member in self.sudo():
            self._check_user_place(member.parent_id, member.territory_id, member.display_name)

    @api.model
    def _check_user_place(self, parent, territory, name):
        """AccessError unless the current user may place something (a member, an invitation) under
        ``parent`` (a member, or none: directly under HQ) in ``territory``: the parent in his part of
        the channel, the territory one he manages or the parent's, or below them."""
        if not self._is_scope_restricted():
            return
        allowed = self.env["distribution.territory"].sudo().search([("manager_id", "=", self.env.uid)])
        if parent:
            parent.with_env(self.env)._check_user_scope()
            allowed |= parent.sudo().territory_id
        elif not territory:
            raise AccessError(
                self.env._("Only a channel manager places a member directly under HQ (%(member)s).", member=name)
            )
        territory = territory.sudo()
        if territory and not any(territory.parent_path.startswith(t.parent_path) for t in allowed):
            raise AccessError(
                self.env._(
                    "%(territory)s is outside the territories you manage: ask a channel manager.",
                    territory=territory.complete_name,
                )
            )

    # ------------------------------------------------------------------
    # Helpers for other modules
    # ------------------------------------------------------------------
    @api.model
    def _for_user(self, user=None):
        """The channel member the (portal) user belongs to, or an empty recordset."""
        user = user or self.env.user
        return self.browse(user.sudo().commercial_partner_id.channel_member_id.id)
