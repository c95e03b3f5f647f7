import base64
import io
import json
import secrets

import qrcode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    dms_announce_token = fields.Char(
        string="Page Token", copy=False, readonly=True,
        help="Unguessable part of the promotion page's public link.",
    )
    dms_announce_note = fields.Text(
        string="Announcement Text", translate=True,
        help="What the stores and their customers read on the promotion page, under the promotion's name.",
    )
    dms_announce_url = fields.Char(string="Promotion Page", compute="_compute_announce_url")
    dms_announce_qr_code = fields.Binary(string="QR Code", compute="_compute_announce_url")
    dms_announcement_ids = fields.One2many("distribution.promotion.announcement", "program_id", string="Announcements")
    dms_announcement_count = fields.Integer(compute="_compute_announcement_stats", compute_sudo=True, string="Stores Announced")
    dms_announcement_read_count = fields.Integer(compute="_compute_announcement_stats", compute_sudo=True, string="Stores Read")
    dms_announcement_ack_count = fields.Integer(compute="_compute_announcement_stats", compute_sudo=True, string="Stores Acknowledged")

    _announce_token_uniq = models.Constraint("UNIQUE(dms_announce_token)", "The promotion page link must be unique.")

    @api.depends("dms_announce_token")
    def _compute_announce_url(self):
        for program in self:
            program.dms_announce_url = program.dms_announce_token and (
                f"{program.get_base_url()}/dist/promo/{program.dms_announce_token}"
            )
            program.dms_announce_qr_code = program.dms_announce_url and program._make_qr_code(program.dms_announce_url)

    @staticmethod
    def _make_qr_code(url):
        image = qrcode.make(url, box_size=6, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    def _compute_announcement_stats(self):
        groups = self.env["distribution.promotion.announcement"]._read_group(
            [("program_id", "in", self.ids)], ["program_id", "stage"], ["__count"]
        )
        stats = {}
        for program, stage, count in groups:
            stats.setdefault(program.id, {})[stage] = count
        for program in self:
            counts = stats.get(program.id, {})
            program.dms_announcement_count = sum(counts.values())
            program.dms_announcement_ack_count = counts.get("acknowledged", 0)
            program.dms_announcement_read_count = counts.get("read", 0) + program.dms_announcement_ack_count

    # ------------------------------------------------------------------
    # Who is announced to
    # ------------------------------------------------------------------
    def _get_announce_member_domain(self):
        """Domain on distribution.member: the active stores the program is
        published to (those whose points of sale run it)."""
        self.ensure_one()
        domain = Domain("state", "=", "active")
        if self.channel_tier_ids:
            domain &= Domain("tier_id", "in", self.with_context(active_test=False).channel_tier_ids.ids)
        if self.channel_territory_ids:
            domain &= Domain("territory_id", "child_of",
                             self.with_context(active_test=False).channel_territory_ids.ids)
        # sudo: channel managers need not read the points of sale to know their stores
        configs = self.sudo().pos_config_ids
        if configs:
            domain &= Domain("id", "in", configs.channel_member_id.ids)
        return domain

    def _check_announceable(self):
        today = fields.Date.context_today(self)
        for program in self:
            if not (program.channel_published and program.pos_ok and program.active):
                raise UserError(self.env._(
                    "%(promotion)s is not published to the channel: choose store tiers or territories on its Channel "
                    "tab (and keep it active, for the point of sale) before announcing it.", promotion=program.name))
            if program.date_to and program.date_to < today:
                raise UserError(self.env._("%(promotion)s ended on %(date)s: there is nothing left to announce.",
                                           promotion=program.name, date=program.date_to))

    def action_announce(self):
        """Announce the promotion to the stores it is published to that were
        not announced yet: one text message each, and their page link."""
        self._check_announceable()
        Announcement = self.env["distribution.promotion.announcement"]
        new = Announcement
        for program in self:
            if not program.dms_announce_token:
                # sudo: a technical token; channel managers announce promotions, POS managers edit them
                program.sudo().dms_announce_token = secrets.token_urlsafe(16)
            members = self.env["distribution.member"].search(program._get_announce_member_domain())
            new |= Announcement._announce(program, members)
        texted = new.filtered("sms_message_id")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if new else "info",
                "title": self.env._("Promotion announced"),
                "message": self.env._(
                    "%(stores)s new store(s) announced, %(texts)s text message(s) queued; stores already announced "
                    "are never announced twice.", stores=len(new), texts=len(texted)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_announcements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_promotion_announce.distribution_promotion_announcement_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {"default_program_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Texts
    # ------------------------------------------------------------------
    def _get_announce_dates_text(self):
        self.ensure_one()
        env = self.env
        if self.date_from and self.date_to:
            return env._("%(start)s to %(end)s", start=self.date_from, end=self.date_to)
        if self.date_from:
            return env._("from %(start)s", start=self.date_from)
        if self.date_to:
            return env._("until %(end)s", end=self.date_to)
        return env._("until further notice")

    def _get_announce_sms_template_params(self, announcement, dates):
        """Values of the gateway template's variables (``promotion``, ``dates``, ``url``)."""
        return json.dumps({"promotion": self.name, "dates": dates, "url": announcement.url}, ensure_ascii=False)

    def _get_announce_products_text(self):
        """What the promotion applies to, from its rules: products, categories, tags."""
        self.ensure_one()
        parts = []
        for rule in self.rule_ids:
            parts += rule.product_ids.mapped("display_name")
            if rule.product_category_id:
                parts.append(rule.product_category_id.display_name)
            if rule.product_tag_id:
                parts.append(rule.product_tag_id.name)
        return parts

    def _is_active_on(self, day):
        self.ensure_one()
        return (not self.date_from or self.date_from <= day) and (not self.date_to or day <= self.date_to)
