import json

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal


class PromotionAnnouncePortal(CustomerPortal):
    """The promotion page (public, by token), the store's acknowledgement, the
    store's list of announced promotions in the portal, and the promotions
    feed of the POS customer display."""

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _promo_by_token(self, token):
        """(program, announcement) behind a public token, read as superuser
        because the reader may be anonymous; only the token opens them."""
        if not token or len(token) > 64:
            return None, None
        Announcement = request.env["distribution.promotion.announcement"].sudo()
        announcement = Announcement.search([("access_token", "=", token)], limit=1)
        if announcement:
            return announcement.program_id, announcement
        program = request.env["loyalty.program"].sudo().search([("dms_announce_token", "=", token)], limit=1)
        return (program, Announcement) if program else (None, None)

    def _store_announcement(self, program, user):
        """The announcement of ``program`` to the store of ``user`` (a store's
        portal user or staff), or an empty recordset."""
        Announcement = request.env["distribution.promotion.announcement"].sudo()
        if user._is_public():
            return Announcement
        member = request.env["distribution.member"]._for_user(user)
        if not member:
            return Announcement
        return Announcement.search([("program_id", "=", program.id), ("member_id", "=", member.id)], limit=1)

    def _store_figures(self, program, member):
        """The store's own execution figures of the promotion."""
        groups = request.env["distribution.promotion.execution"].sudo()._read_group(
            [("program_id", "=", program.id), ("member_id", "=", member.id)],
            [], ["eligible_order_count:sum", "applied_order_count:sum"],
        )
        eligible, applied = groups[0] if groups else (0, 0)
        eligible, applied = int(eligible or 0), int(applied or 0)
        return {
            "eligible": eligible,
            "applied": applied,
            "missed": eligible - applied,
            "rate": round(100.0 * applied / eligible, 1) if eligible else None,
        }

    def _page_lang(self, program, announcement):
        user = request.env.user
        if not user._is_public():
            return user.lang
        partner = announcement.member_id.partner_id if announcement else program.company_id.partner_id
        return request.env["distribution.promotion.announcement"]._announce_lang(partner)

    # ------------------------------------------------------------------
    # public page
    # ------------------------------------------------------------------
    @http.route("/dist/promo/<string:token>", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"])
    def promotion_page(self, token, **kwargs):
        program, announcement = self._promo_by_token(token)
        if not program:
            raise NotFound()
        user = request.env.user
        own = self._store_announcement(program, user)
        if announcement and own and own != announcement:
            own = own.browse()  # a store's link opened by another store's user: the link's store reads it
        to_register = announcement or own
        to_register._register_read(user)
        program = program.with_context(lang=self._page_lang(program, announcement))
        store = own.member_id
        values = {
            "program": program,
            "token": token,
            "announcement": own,
            "store": store,
            "figures": self._store_figures(program, store) if store else None,
            "products": program._get_announce_products_text(),
            "rewards": program.reward_ids.mapped("description"),
            "dates": program._get_announce_dates_text(),
            "places": (program.channel_tier_ids.mapped("name"), program.channel_territory_ids.mapped("complete_name")),
            "qr_code": program.dms_announce_qr_code,
            "running": program._is_active_on(fields.Date.context_today(program)),
        }
        request.update_context(lang=program.env.lang)
        return request.render("distribution_promotion_announce.promotion_page", values)

    @http.route("/dist/promo/<string:token>/acknowledge", type="http", auth="user", website=True, sitemap=False,
                methods=["POST"])
    def promotion_acknowledge(self, token, **kwargs):
        program, _announcement = self._promo_by_token(token)
        if not program:
            raise NotFound()
        own = self._store_announcement(program, request.env.user)
        if not own:
            raise NotFound()
        own.with_env(request.env)._acknowledge("portal")
        return request.redirect(f"/dist/promo/{token}")

    # ------------------------------------------------------------------
    # portal: My Promotions
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_promotion_count" in counters:
            member = request.env["distribution.member"]._for_user()
            values["channel_promotion_count"] = request.env["distribution.promotion.announcement"].sudo().search_count(
                [("member_id", "=", member.id)]) if member else 0
        return values

    @http.route("/my/promotions", type="http", auth="user", website=True)
    def portal_my_promotions(self, **kwargs):
        member = request.env["distribution.member"]._for_user()
        announcements = request.env["distribution.promotion.announcement"].sudo().search(
            [("member_id", "=", member.id)]) if member else request.env["distribution.promotion.announcement"]
        values = self._prepare_portal_layout_values()
        values.update({"announcements": announcements, "page_name": "channel_promotions", "store": member})
        return request.render("distribution_promotion_announce.portal_my_promotions", values)

    @http.route("/my/promotions/sms", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_promotions_sms(self, opt_out="", **kwargs):
        """The store says whether it wants HQ's promotion text messages (its own setting only)."""
        member = request.env["distribution.member"]._for_user()
        if not member:
            raise NotFound()
        # sudo: portal users may not write members; the member is the user's own store
        member.sudo().promotion_sms_opt_out = bool(opt_out)
        return request.redirect("/my/promotions")

    # ------------------------------------------------------------------
    # customer display feed
    # ------------------------------------------------------------------
    @http.route("/dist/promo/display/<int:config_id>", type="http", auth="public", methods=["GET"], sitemap=False)
    def customer_display_promotions(self, config_id, access_token="", **kwargs):
        config = request.env["pos.config"].sudo().browse(config_id).exists()
        if not config or not access_token or not consteq(config.access_token or "", access_token):
            raise NotFound()
        return request.make_response(
            json.dumps({"promotions": config._get_display_promotions()}),
            headers=[("Content-Type", "application/json"), ("Cache-Control", "no-store")],
        )
