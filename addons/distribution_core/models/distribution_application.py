from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from odoo.addons.distribution_approval.tools import ENGINE

from ..tools.codes import normalize_code


class DistributionApplication(models.Model):
    """An application to join the channel, sent through an invitation link."""

    _name = "distribution.application"
    _description = "Channel Application"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]
    _state_from = ["pending"]
    _state_to = ["approved"]
    _cancel_state = "rejected"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = ("invitation_id", "territory_id", "manager_id", "company_id")
    _dms_approval_on_change = "refuse"
    _dms_approval_numbers_may_decrease = False
    _order = "create_date desc, id desc"

    name = fields.Char(string="Company Name", required=True, tracking=True)
    contact_name = fields.Char(required=True)
    email = fields.Char(required=True)
    phone = fields.Char()
    vat = fields.Char(string="Tax ID")
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    state_id = fields.Many2one("res.country.state", string="Province / State")
    country_id = fields.Many2one("res.country")
    code = fields.Char(string="Member Code", help="Code the new member will get; proposed from the company name.")
    invitation_id = fields.Many2one("distribution.invitation", required=True, ondelete="restrict", index=True)
    parent_member_id = fields.Many2one(related="invitation_id.inviter_member_id", store=True, string="Under Member")
    tier_id = fields.Many2one(related="invitation_id.tier_id", store=True)
    territory_id = fields.Many2one(
        "distribution.territory",
        string="Requested Territory",
        help="Territory the applicant asks for; defaults to the invitation's.",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Channel Manager",
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(related="invitation_id.company_id", store=True)
    state = fields.Selection(
        [("pending", "Waiting for Approval"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending",
        required=True,
        tracking=True,
        index=True,
    )
    reject_reason = fields.Text(tracking=True)
    member_id = fields.Many2one("distribution.member", readonly=True, copy=False)
    partner_id = fields.Many2one("res.partner", string="Created Company", readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="Portal User", readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decided_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("invitation_id")
    def _compute_manager_id(self):
        for application in self:
            invitation = application.invitation_id
            application.manager_id = (
                invitation.inviter_member_id.manager_id or invitation.territory_id.manager_id or invitation.create_uid
            ).filtered(lambda u: not u.share)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("email") and not email_normalize(vals["email"]):
                raise ValidationError(self.env._("%(email)s is not a valid email address.", email=vals["email"]))
            if vals.get("code"):
                vals["code"] = normalize_code(vals["code"])
        # checked before creating: the new application itself counts as a use
        invitations = self.env["distribution.invitation"].browse(
            [vals["invitation_id"] for vals in vals_list if vals.get("invitation_id")]
        )
        for invitation in invitations:
            message = invitation._check_usable()
            if message:
                raise ValidationError(message)
            uses = sum(1 for vals in vals_list if vals.get("invitation_id") == invitation.id)
            if invitation.use_count + uses > invitation.max_uses:
                raise ValidationError(invitation._check_usable() or self.env._(
                    "This invitation accepts %(count)s more application(s) only.",
                    count=invitation.max_uses - invitation.use_count,
                ))
        applications = super().create(vals_list)
        for application in applications:
            if not application.territory_id:
                application.territory_id = application.invitation_id.territory_id
        applications._check_not_member()
        applications._notify_manager()
        return applications

    def _check_not_member(self):
        Member = self.env["distribution.member"]
        for application in self:
            if application.vat:
                Member._check_vat_unused({application.vat})
            if application.code:
                existing = Member.sudo().search([("code", "=", application.code)], limit=1)
                if existing:
                    raise ValidationError(
                        self.env._("The code %(code)s is already used by member %(member)s.",
                                   code=application.code, member=existing.name)
                    )

    def _notify_manager(self):
        for application in self.filtered("manager_id"):
            application.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=application.manager_id.id,
                summary=self.env._("Review channel application of %(name)s", name=application.name),
            )

    def _propose_code(self):
        self.ensure_one()
        if self.code:
            return self.code
        prefix = normalize_code(self.tier_id.code or "M")
        sequence = self.env["ir.sequence"].sudo().next_by_code("distribution.member.code") or str(self.id)
        return f"{prefix}{sequence}"

    def _dms_review_context(self):
        return {
            "member": self.env["distribution.member"],
            "manager": self.manager_id,
            "territory": self.territory_id,
            "parent": self.parent_member_id,
        }

    def _dms_on_validated(self):
        self.sudo().action_approve()

    def _dms_on_rejected(self):
        """A reviewer refused it (back office or My Approvals): the application is Rejected with
        the reviewer's reason, decided by him, and the applicant gets the rejection email, as when
        a channel user rejects it directly. The reviews stay as the record of the decision."""
        for application in self.filtered(lambda a: a.state == "pending"):
            reason = application.dms_rejection_reason or self.env._("Rejected by a reviewer.")
            application.sudo().with_context(
                skip_validation_check=True, dms_tier_engine=ENGINE, dms_keep_reviews=ENGINE
            )._action_reject(reason)

    def action_approve(self):
        """Create the company, its contact, its place in the tree and its portal user
        (once the approval rules, if any, are satisfied)."""
        for application in self:
            if application.state != "pending":
                raise UserError(self.env._("Application %(name)s has already been decided.", name=application.name))
        self = self._dms_request_or_pass()
        for application in self:
            if application.state != "pending":
                raise UserError(self.env._("Application %(name)s has already been decided.", name=application.name))
            application._check_not_member()
        for application in self:
            # sudo: approving creates the applicant's company and contact even for a
            # channel user without the right to create contacts in general
            partner = self.env["res.partner"].sudo().create(
                {
                    "name": application.name,
                    "is_company": True,
                    "vat": application.vat,
                    "email": application.email,
                    "phone": application.phone,
                    "street": application.street,
                    "city": application.city,
                    "zip": application.zip,
                    "state_id": application.state_id.id,
                    "country_id": application.country_id.id,
                    "company_id": False,
                }
            )
            contact = self.env["res.partner"].sudo().create(
                {
                    "name": application.contact_name,
                    "parent_id": partner.id,
                    "type": "contact",
                    "email": application.email,
                    "phone": application.phone,
                }
            )
            member = self.env["distribution.member"].create(
                {
                    "partner_id": partner.id,
                    "code": application._propose_code(),
                    "tier_id": application.tier_id.id,
                    "parent_id": application.parent_member_id.id,
                    "territory_id": application.territory_id.id,
                    "manager_id": application.manager_id.id or self.env.user.id,
                    "company_id": application.company_id.id,
                    "state": "active",
                }
            )
            user = application._grant_portal_access(contact)
            application.write(
                {
                    "state": "approved",
                    "member_id": member.id,
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "decided_by_id": self.env.user.id,
                    "decided_date": fields.Datetime.now(),
                }
            )
            application.activity_feedback(["mail.mail_activity_data_todo"])
            member.message_post(
                body=self.env._("Joined the channel through invitation %(invitation)s.",
                                invitation=application.invitation_id.name)
            )
        return True

    def _grant_portal_access(self, contact):
        """Give the contact a portal user through Odoo's own portal wizard,
        which sends the sign-up email so the applicant sets a password."""
        wizard = self.env["portal.wizard"].sudo().with_context(active_ids=[contact.id]).create({})
        wizard_user = wizard.user_ids.filtered(lambda u: u.partner_id == contact)
        wizard_user.action_grant_access()
        return contact.with_context(active_test=False).user_ids[:1]

    def _action_reject(self, reason):
        if not reason:
            raise UserError(self.env._("Tell the applicant why the application is rejected."))
        template = self.env.ref("distribution_core.mail_template_application_rejected")
        for application in self:
            if application.state != "pending":
                raise UserError(self.env._("Application %(name)s has already been decided.", name=application.name))
            application.write(
                {
                    "state": "rejected",
                    "reject_reason": reason,
                    "decided_by_id": self.env.user.id,
                    "decided_date": fields.Datetime.now(),
                }
            )
            application.activity_unlink(["mail.mail_activity_data_todo"])
            template.send_mail(application.id)
            application.message_post(
                body=self.env._("Application rejected: %(reason)s", reason=reason)
            )
        return True

    def action_reject(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids, "default_action": "reject"},
        }
