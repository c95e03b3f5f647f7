import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distribution_sms.models.distribution_sms_provider import normalize_cn_mobile

SMS_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("retry", "Retrying"),
    ("failed", "Failed"),
    ("cancel", "Cancelled"),
    ("opted_out", "Opted Out"),
    ("no_mobile", "No Mobile Number"),
]
MESSAGE_TO_SMS_STATE = {"outgoing": "queued", "sent": "sent", "error": "retry", "failed": "failed",
                        "cancel": "cancel"}


class DistributionPromotionAnnouncement(models.Model):
    """A promotion announced to one store: its text message, when the store
    first read the promotion's page and who, when it acknowledged it.

    One per promotion and store (unique), created by *Announce to Stores*;
    each store's link to the promotion page carries its own token so that
    opening it counts as that store's read receipt.
    """

    _name = "distribution.promotion.announcement"
    _description = "Promotion Announcement"
    _order = "date_announced desc, id desc"
    _rec_name = "member_id"

    program_id = fields.Many2one("loyalty.program", string="Promotion", required=True, readonly=True,
                                 ondelete="cascade", index=True)
    member_id = fields.Many2one("distribution.member", string="Store", required=True, readonly=True,
                                ondelete="cascade", index=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True)
    territory_id = fields.Many2one(related="member_id.territory_id", store=True, string="Territory")
    tier_id = fields.Many2one(related="member_id.tier_id", store=True, string="Tier")
    date_announced = fields.Datetime(string="Announced On", required=True, readonly=True,
                                     default=fields.Datetime.now)
    access_token = fields.Char(required=True, readonly=True, copy=False, groups="base.group_system",
                               default=lambda self: secrets.token_urlsafe(16))
    url = fields.Char(string="Store's Link", compute="_compute_url")
    mobile = fields.Char(readonly=True, help="The number the announcement was texted to.")
    sms_message_id = fields.Many2one("distribution.sms.message", string="Text Message", readonly=True,
                                     ondelete="set null")
    sms_state = fields.Selection(SMS_STATES, string="SMS Status", compute="_compute_sms_state", store=True,
                                 readonly=True, compute_sudo=True)
    sms_error = fields.Text(related="sms_message_id.error_message", string="SMS Error", compute_sudo=True)
    date_read = fields.Datetime(string="First Read On", readonly=True)
    read_by_user_id = fields.Many2one("res.users", string="First Read By", readonly=True,
                                      help="Empty: opened through the store's link by someone not logged in.")
    read_count = fields.Integer(string="Page Views", readonly=True)
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True)
    acknowledged_by_user_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True)
    acknowledged_via = fields.Selection([("portal", "Portal"), ("pos", "Point of Sale")], readonly=True)
    stage = fields.Selection(
        [("announced", "Announced"), ("read", "Read"), ("acknowledged", "Acknowledged")],
        compute="_compute_stage", store=True,
    )

    _program_member_uniq = models.Constraint(
        "UNIQUE(program_id, member_id)", "A promotion is announced to a store only once."
    )
    _access_token_uniq = models.Constraint("UNIQUE(access_token)", "The link of an announcement must be unique.")

    @api.depends("sms_message_id.state", "mobile", "member_id.promotion_sms_opt_out")
    def _compute_sms_state(self):
        for announcement in self:
            message = announcement.sms_message_id
            if message:
                announcement.sms_state = MESSAGE_TO_SMS_STATE[message.state]
            elif announcement.sms_state in ("queued", "sent", "retry", "failed", "cancel"):
                continue  # the message was deleted: keep what we knew
            elif not announcement.mobile:
                announcement.sms_state = "no_mobile"
            else:
                announcement.sms_state = "opted_out"

    @api.depends("date_read", "date_acknowledged")
    def _compute_stage(self):
        for announcement in self:
            announcement.stage = (
                "acknowledged" if announcement.date_acknowledged
                else "read" if announcement.date_read else "announced"
            )

    def _compute_url(self):
        for announcement in self:
            announcement.url = f"{announcement.get_base_url()}/dist/promo/{announcement.sudo().access_token}"

    # ------------------------------------------------------------------
    # Announcing
    # ------------------------------------------------------------------
    @api.model
    def _announce(self, program, members):
        """Create the announcements of ``program`` for the ``members`` that do not
        have one yet and queue their text messages. Never twice: the program row
        is locked while its stores are read, and (program, store) is unique."""
        self.env.cr.execute("SELECT id FROM loyalty_program WHERE id = %s FOR UPDATE", [program.id])
        done = self.search([("program_id", "=", program.id), ("member_id", "in", members.ids)]).member_id
        members -= done
        if not members:
            return self
        vals_list = []
        for member in members:
            mobile = normalize_cn_mobile(member.promotion_sms_mobile)
            vals_list.append({"program_id": program.id, "member_id": member.id, "mobile": mobile or False})
        announcements = self.create(vals_list)
        announcements._queue_sms()
        return announcements

    def _prepare_sms_vals(self):
        self.ensure_one()
        program = self.program_id.with_context(lang=self._announce_lang(self.member_id.partner_id))
        dates = program._get_announce_dates_text()
        body = program.env._(
            "%(promotion)s %(dates)s. Details: %(url)s Reply R to unsubscribe",
            promotion=program.name, dates=dates, url=self.url,
        )
        return {
            "number": self.mobile,
            "body": body,
            "template_params": program._get_announce_sms_template_params(self, dates),
            "res_model": self._name,
            "res_id": self.id,
            "company_id": self.company_id.id,
        }

    @api.model
    def _announce_lang(self, partner=None):
        """The language of what the stores and their customers read (SMS, public
        page, customer display): the partner's own Chinese, else Simplified
        Chinese (the channel's working language) when it is installed."""
        lang = partner.lang if partner else False
        if lang and lang.startswith("zh"):
            return lang
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return "zh_CN" if "zh_CN" in installed else (lang or self.env.lang)

    def _queue_sms(self):
        """Queue the text message of the announcements that have a mobile
        number and whose store did not opt out."""
        to_text = self.filtered(lambda a: a.mobile and not a.member_id.promotion_sms_opt_out and not a.sms_message_id)
        if not to_text:
            return
        # the store's users may not read the SMS log: narrow sudo to create the messages
        messages = self.env["distribution.sms.message"].sudo().create([a._prepare_sms_vals() for a in to_text])
        for announcement, message in zip(to_text, messages, strict=True):
            announcement.sms_message_id = message
        messages._send_later()

    # ------------------------------------------------------------------
    # Read receipts and acknowledgements
    # ------------------------------------------------------------------
    def _register_read(self, user=None):
        """The page was opened through this announcement's link or by one of
        the store's users: the first opening is kept (when, by whom)."""
        for announcement in self.sudo():
            vals = {"read_count": announcement.read_count + 1}
            if not announcement.date_read:
                # by whom: one of the store's users; anyone else holding the store's link stays anonymous
                vals.update(date_read=fields.Datetime.now(),
                            read_by_user_id=user.id if announcement._is_store_user(user) else False)
            announcement.write(vals)

    def _is_store_user(self, user):
        """Whether ``user`` belongs to the store of this announcement (its portal
        users, and the store staff whose company contact is the store)."""
        self.ensure_one()
        return bool(user and not user._is_public()
                    and user.commercial_partner_id == self.member_id.partner_id.commercial_partner_id)

    def _acknowledge(self, via):
        """The current user acknowledges the promotion for his store."""
        user = self.env.user
        for announcement in self.sudo():
            if not announcement._is_store_user(user):
                raise UserError(self.env._("Only the users of %(store)s can acknowledge this promotion for it.",
                                           store=announcement.member_id.display_name))
            if announcement.date_acknowledged:
                continue
            now = fields.Datetime.now()
            vals = {"date_acknowledged": now, "acknowledged_by_user_id": user.id, "acknowledged_via": via}
            if not announcement.date_read:
                vals.update(date_read=now, read_by_user_id=user.id)
            announcement.write(vals)
        return True

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_send_sms(self):
        """Text the announcements again whose message failed or never left
        (a sent message is never sent twice)."""
        for announcement in self:
            if announcement.sms_state == "sent":
                raise UserError(self.env._("The text message to %(store)s was already sent.",
                                           store=announcement.member_id.display_name))
        for announcement in self.filtered(lambda a: not a.sms_message_id):
            announcement.mobile = normalize_cn_mobile(announcement.member_id.promotion_sms_mobile) or False
        retry = self.filtered(lambda a: a.sms_message_id.state in ("failed", "cancel"))
        retry.sms_message_id.sudo().action_retry()
        (self - retry)._queue_sms()
        return True

    def action_open_page(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}
