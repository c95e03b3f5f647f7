import base64
import io
import secrets
from datetime import timedelta

import qrcode

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# What a member's portal user may ask of its own invitations (its portal form offers the uses, the
# expiry is the default): beyond these, the channel manager creates the invitation.
PORTAL_MAX_USES = 100
PORTAL_MAX_DAYS = 90


class DistributionInvitation(models.Model):
    """An invitation link and QR code (邀请链接 / 二维码) to join the channel
    under a member (or directly under HQ) at a given tier and territory."""

    _name = "distribution.invitation"
    _description = "Channel Invitation"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(
        required=True,
        default=lambda self: self.env._("Invitation"),
        help="For your own reference, e.g. the event or the prospect.",
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        groups="distribution_core.group_channel_user,base.group_portal",
    )
    inviter_member_id = fields.Many2one(
        "distribution.member",
        string="Invited Under",
        index=True,
        ondelete="cascade",
        default=lambda self: self.env["distribution.member"]._for_user() if self.env.user.share else False,
        help="The member the newcomer will sit under. Empty: directly under HQ.",
    )
    tier_id = fields.Many2one("distribution.tier", string="Target Tier", required=True, ondelete="restrict")
    territory_id = fields.Many2one("distribution.territory", string="Target Territory", ondelete="restrict")
    expiry_date = fields.Datetime(
        required=True,
        default=lambda self: fields.Datetime.now() + timedelta(days=14),
    )
    max_uses = fields.Integer(default=1, required=True, help="How many applications this link accepts.")
    use_count = fields.Integer(compute="_compute_use_count", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    application_ids = fields.One2many("distribution.application", "invitation_id", string="Applications")
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("used", "Used Up"), ("cancelled", "Cancelled")],
        compute="_compute_state",
    )
    url = fields.Char(string="Invitation Link", compute="_compute_url")
    qr_code = fields.Binary(string="QR Code", compute="_compute_qr_code")

    _max_uses_positive = models.Constraint("CHECK(max_uses > 0)", "An invitation must accept at least one use.")

    @api.depends("application_ids")
    def _compute_use_count(self):
        counts = dict(
            self.env["distribution.application"]
            .sudo()
            ._read_group([("invitation_id", "in", self.ids)], ["invitation_id"], ["__count"])
        )
        for invitation in self:
            invitation.use_count = counts.get(invitation, 0)

    @api.depends("expiry_date", "use_count", "max_uses", "active")
    def _compute_state(self):
        now = fields.Datetime.now()
        for invitation in self:
            if not invitation.active:
                invitation.state = "cancelled"
            elif invitation.expiry_date and invitation.expiry_date < now:
                invitation.state = "expired"
            elif invitation.use_count >= invitation.max_uses:
                invitation.state = "used"
            else:
                invitation.state = "valid"

    @api.depends("token")
    def _compute_url(self):
        base_url = self.get_base_url()
        for invitation in self:
            token = invitation.sudo().token
            invitation.url = f"{base_url}/dist/join/{token}" if token else False

    @api.depends("url")
    def _compute_qr_code(self):
        for invitation in self:
            if not invitation.url:
                invitation.qr_code = False
                continue
            image = qrcode.make(invitation.url, box_size=6, border=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            invitation.qr_code = base64.b64encode(buffer.getvalue())

    @api.constrains("tier_id", "inviter_member_id")
    def _check_tier_below_inviter(self):
        for invitation in self:
            inviter = invitation.inviter_member_id
            if inviter and invitation.tier_id.sequence <= inviter.tier_id.sequence:
                raise ValidationError(
                    self.env._(
                        "%(member)s (%(tier)s) can only invite members of a lower tier than its own, not %(target)s.",
                        member=inviter.name,
                        tier=inviter.tier_id.name,
                        target=invitation.tier_id.name,
                    )
                )
            if inviter and inviter.state != "active":
                raise ValidationError(
                    self.env._("%(member)s is not an active member and cannot invite.", member=inviter.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        if self._is_portal_caller():
            for vals in vals_list:
                # checked before the insert: a huge number would not even fit the column
                uses = vals.get("max_uses", 1)
                if not isinstance(uses, int) or not 1 <= uses <= PORTAL_MAX_USES:
                    raise ValidationError(
                        self.env._("An invitation accepts from 1 to %(max)s applications.", max=PORTAL_MAX_USES)
                    )
        invitations = super().create(vals_list)
        if self._is_portal_caller():
            invitations._check_portal_scope()
        invitations._check_user_scope()
        return invitations

    def write(self, vals):
        # the portal offers no way to change an invitation once made: over RPC neither
        if self._is_portal_caller():
            raise AccessError(
                self.env._("An invitation cannot be changed from the portal: create a new one.")
            )
        self._check_user_scope()
        res = super().write(vals)
        if {"inviter_member_id", "territory_id"} & set(vals):
            self._check_user_scope()
        return res

    def _check_user_scope(self):
        """A channel user (not a channel manager) invites only under, and into, his part of the channel."""
        Member = self.env["distribution.member"]
        for invitation in self.sudo():
            Member._check_user_place(invitation.inviter_member_id, invitation.territory_id, invitation.name)

    def _is_portal_caller(self):
        return not self.env.su and self.env.user.share

    def _check_portal_scope(self):
        """A portal user invites under its own member only, into its own territory (or below),
        for a limited number of uses and days."""
        member = self.env["distribution.member"]._for_user()
        latest = fields.Datetime.now() + timedelta(days=PORTAL_MAX_DAYS)
        for invitation in self.sudo():
            if not member or invitation.inviter_member_id != member or invitation.company_id != member.company_id:
                raise AccessError(self.env._("You can only invite under your own company."))
            territory = invitation.territory_id
            if territory and member.territory_id and not territory.parent_path.startswith(
                member.territory_id.parent_path
            ):
                raise AccessError(
                    self.env._("You can only invite into your own territory (%(territory)s) or below it.",
                               territory=member.territory_id.complete_name)
                )
            if invitation.expiry_date > latest:
                raise ValidationError(
                    self.env._("An invitation expires within %(days)s days at the latest.", days=PORTAL_MAX_DAYS)
                )

    def action_cancel(self):
        self.active = False
        return True

    @api.model
    def _get_by_token(self, token):
        """The invitation behind a public token, read as superuser because the
        applicant is anonymous; only the token, never an id, opens it."""
        if not token or not isinstance(token, str) or len(token) > 64:
            return self.browse()
        return self.sudo().with_context(active_test=False).search([("token", "=", token)], limit=1)

    def _check_usable(self):
        """Return an error message if the invitation cannot take an application."""
        self.ensure_one()
        if self.state == "expired":
            return self.env._("This invitation expired on %(date)s. Ask the person who invited you for a new link.",
                              date=fields.Datetime.to_string(self.expiry_date)[:10])
        if self.state == "used":
            return self.env._("This invitation has already been used. Ask the person who invited you for a new link.")
        if self.state == "cancelled":
            return self.env._("This invitation was withdrawn. Ask the person who invited you for a new link.")
        return False
