from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distribution_approval.tools import ENGINE


class DistributionPricePublication(models.Model):
    """A new price version (调价发布): products, old → new price per channel
    pricelist, an effective date. Publishing writes dated items into Odoo's
    pricelists, so the new prices take effect on their date by themselves."""

    _name = "distribution.price.publication"
    _description = "Channel Price Publication"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]
    _state_from = ["to_review"]
    _state_to = ["approved", "published"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = ("line_ids", "effective_date", "company_id")
    _dms_approval_on_change = "reset"
    _dms_approval_numbers_may_decrease = False
    _order = "effective_date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    effective_date = fields.Date(required=True, tracking=True, default=lambda self: fields.Date.context_today(self) + timedelta(days=7))
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_review", "To Review"),
            ("approved", "Approved"),
            ("published", "Published"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    in_effect = fields.Boolean(compute="_compute_in_effect", help="Published and its effective date has come.")
    note = fields.Html(string="Announcement", help="Sent to the affected members with their new prices.")
    line_ids = fields.One2many("distribution.price.publication.line", "publication_id", string="Prices", copy=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    pricelist_ids = fields.Many2many("product.pricelist", compute="_compute_pricelist_ids", string="Pricelists")
    member_ids = fields.Many2many(
        "distribution.member", compute="_compute_member_ids", string="Affected Members",
        help="Members whose pricelist is one of the publication's pricelists.",
    )
    member_count = fields.Integer(compute="_compute_member_ids")
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    published_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("state", "effective_date")
    def _compute_in_effect(self):
        today = fields.Date.context_today(self)
        for publication in self:
            publication.in_effect = publication.state == "published" and publication.effective_date <= today

    @api.depends("line_ids.pricelist_id")
    def _compute_pricelist_ids(self):
        for publication in self:
            publication.pricelist_ids = publication.line_ids.pricelist_id

    @api.depends("line_ids.pricelist_id")
    def _compute_member_ids(self):
        members = self.env["distribution.member"].search(
            [
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "active"),
                ("pricelist_id", "in", self.line_ids.pricelist_id.ids),
            ]
        )
        for publication in self:
            publication.member_ids = members.filtered(
                lambda m, p=publication: m.company_id == p.company_id and m.pricelist_id in p.line_ids.pricelist_id
            )
            publication.member_count = len(publication.member_ids)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        for publication in self:
            if publication.state not in allowed:
                raise UserError(
                    self.env._("%(name)s cannot be %(action)s in its current state.", name=publication.name, action=action)
                )

    def action_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        for publication in self:
            if not publication.line_ids:
                raise UserError(self.env._("Add at least one price to %(name)s.", name=publication.name))
        self.write({"state": "to_review", "submitted_by_id": self.env.user.id})
        self._dms_request_or_pass()
        return True

    def action_approve(self):
        """Approve; when approval rules apply, this is the current reviewer's approval."""
        self._check_state(("to_review",), self.env._("approved"))
        ready = self._dms_review_or_pass()
        if ready:
            ready._check_manager()
            ready.write({"state": "approved", "reviewed_by_id": self.env.user.id})
        return True

    def _dms_on_validated(self):
        self.sudo().write({"state": "approved", "reviewed_by_id": self.env.user.id})

    def _dms_on_rejected(self):
        """A reviewer refused the prices: back to Draft to be changed, the reviewer's reason in the
        chatter for whoever submitted them. The refused reviews stay (the reason on the form) until
        it is submitted again, when the rules apply anew."""
        self.filtered(lambda p: p.state == "to_review")._dms_decided_write({"state": "draft", "reviewed_by_id": False})
        return super()._dms_on_rejected()

    def action_reset(self):
        self._check_state(("to_review", "approved", "cancel"), self.env._("reset to draft"))
        self.review_ids.with_context(dms_tier_engine=ENGINE).unlink()
        self.write({"state": "draft", "reviewed_by_id": False})
        return True

    def action_cancel(self):
        self._check_state(("draft", "to_review", "approved"), self.env._("cancelled"))
        self.write({"state": "cancel"})
        return True

    def _check_manager(self):
        if not self.env.user.has_group("distribution_core.group_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager can review and publish prices."))

    def action_publish(self):
        """Write the new prices into the pricelists, effective on the date, and
        tell the members whose pricelist changes."""
        self._check_manager()
        self._check_state(("approved",), self.env._("published"))
        for publication in self:
            if publication.effective_date < fields.Date.context_today(self):
                raise UserError(
                    self.env._(
                        "The effective date of %(name)s has passed; choose today or a later date.",
                        name=publication.name,
                    )
                )
            publication.line_ids._apply_to_pricelists()
            publication.write(
                {"state": "published", "published_by_id": self.env.user.id, "published_date": fields.Datetime.now()}
            )
            publication._announce()
        return True

    def _effective_datetime(self):
        """Midnight of the effective date in the user's timezone, as a UTC naive datetime."""
        self.ensure_one()
        tz = pytz.timezone(self.env.user.tz or self.env.company.partner_id.tz or "UTC")
        local = tz.localize(datetime.combine(self.effective_date, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _announce(self):
        """Email and portal notice to the affected members' companies."""
        template = self.env.ref("distribution_sale.mail_template_price_publication")
        for publication in self:
            partners = publication.member_ids.partner_id
            if not partners:
                continue
            # one generic message per language of the members (each member sees its own prices in the
            # portal only): a Chinese member reads it in Chinese whoever publishes, dates in its format
            by_lang = defaultdict(lambda: self.env["res.partner"])
            for partner in partners:
                by_lang[partner.lang or self.env.lang] |= partner
            for lang, readers in sorted(by_lang.items()):
                publication.with_context(lang=lang).message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=readers.ids,
                )
