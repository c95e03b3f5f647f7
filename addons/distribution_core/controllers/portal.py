from odoo import fields, http
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


class DistributionPortal(PortalAccount):
    """'My channel': a member's own place, its subtree and its invitations."""

    def _get_invoices_domain(self, m_type=None):
        """'My Invoices' stays the company's own: record rules let a distributor
        read its sub-members' invoices, which it finds under My Channel."""
        partner = request.env.user.partner_id.commercial_partner_id
        return super()._get_invoices_domain(m_type) & Domain("partner_id", "child_of", partner.id)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # /my itself: the channel's cards are for channel members only (a promoter or a customer
            # with a portal login is not one)
            values["is_channel_member"] = bool(request.env["distribution.member"]._for_user())
        if "channel_member_count" in counters:
            member = request.env["distribution.member"]._for_user()
            values["channel_member_count"] = (
                request.env["distribution.member"].search_count([("id", "child_of", member.id), ("id", "!=", member.id)])
                if member
                else 0
            )
        if "channel_price_count" in counters:
            Line = request.env["distribution.price.publication.line"]
            values["channel_price_count"] = Line.search_count(
                [("publication_id.state", "=", "published"),
                 ("publication_id.effective_date", ">=", fields.Date.context_today(request.env.user))]
            ) if Line.has_access("read") else 0
        return values

    def _channel_open_amounts(self, members):
        """Open receivable per member, in one grouped query (as the portal user:
        record rules restrict it to the user's subtree)."""
        groups = request.env["account.move"]._read_group(
            [
                ("channel_member_id", "in", members.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("payment_state", "not in", ("paid", "in_payment", "reversed")),
            ],
            ["channel_member_id"],
            ["amount_residual_signed:sum"],
        )
        return {member.id: amount for member, amount in groups}

    def _channel_order_counts(self, members):
        groups = request.env["sale.order"]._read_group(
            [("channel_member_id", "in", members.ids), ("state", "=", "sale")], ["channel_member_id"], ["__count"]
        )
        return {member.id: count for member, count in groups}

    @http.route(["/my/channel"], type="http", auth="user", website=True)
    def portal_my_channel(self, **kwargs):
        Member = request.env["distribution.member"]
        member = Member._for_user()
        if not member:
            return request.render("distribution_core.portal_no_channel", self._prepare_portal_layout_values())
        subtree = Member.search([("id", "child_of", member.id)], order="parent_path")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel",
                "member": member,
                "subtree": subtree - member,
                "open_amounts": self._channel_open_amounts(subtree),
                "order_counts": self._channel_order_counts(subtree),
                "root_depth": member.depth,
            }
        )
        return request.render("distribution_core.portal_my_channel", values)

    @http.route(["/my/channel/member/<int:member_id>"], type="http", auth="user", website=True)
    def portal_channel_member(self, member_id, **kwargs):
        member = request.env["distribution.member"].browse(member_id).exists()
        try:
            member.check_access("read")
        except AccessError:
            member = None
        if not member:
            return request.redirect("/my/channel")
        orders = request.env["sale.order"].search(
            [("channel_member_id", "=", member.id), ("state", "=", "sale")], limit=50
        )
        invoices = request.env["account.move"].search(
            [
                ("channel_member_id", "=", member.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            limit=50,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_member",
                "member": member,
                "orders": orders,
                "invoices": invoices,
                "open_amount": self._channel_open_amounts(member).get(member.id, 0.0),
            }
        )
        return request.render("distribution_core.portal_channel_member", values)

    @http.route(["/my/channel/invitations"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_channel_invitations(self, **post):
        Member = request.env["distribution.member"]
        member = Member._for_user()
        if not member:
            return request.redirect("/my/channel")
        Tier = request.env["distribution.tier"]
        error = None
        if request.httprequest.method == "POST":
            tier_id = int(post.get("tier_id") or 0)
            territory_id = int(post.get("territory_id") or 0)
            try:
                with request.env.cr.savepoint():
                    request.env["distribution.invitation"].create(
                        {
                            "name": (post.get("name") or "").strip() or request.env._("Invitation"),
                            "inviter_member_id": member.id,
                            "tier_id": tier_id,
                            "territory_id": territory_id or False,
                            "max_uses": max(1, int(post.get("max_uses") or 1)),
                        }
                    )
                return request.redirect("/my/channel/invitations")
            except (ValidationError, AccessError, ValueError) as exc:
                error = str(exc.args[0]) if exc.args else str(exc)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_invitations",
                "member": member,
                "invitations": request.env["distribution.invitation"].search([("inviter_member_id", "=", member.id)]),
                "tiers": Tier.search([("sequence", ">", member.tier_id.sequence)]),
                "territories": request.env["distribution.territory"].search(
                    [("id", "child_of", member.territory_id.ids)] if member.territory_id else []
                ),
                "error_message": error,
            }
        )
        return request.render("distribution_core.portal_channel_invitations", values)

    def _my_price_rows(self, member, search=None, limit=200):
        """[(product, price)] of the products ``member`` may order at its own
        pricelist's price (sudo: a portal user cannot read pricelist rules;
        the pricelist is the member's, never one from the request)."""
        products = member._orderable_products()
        if search:
            needle = search.strip().lower()
            products = products.filtered(
                lambda p: needle in (p.default_code or "").lower()
                or needle in (p.name or "").lower()
                or needle == (p.barcode or "").lower()
            )
        products = products[:limit]
        pricelist = member.sudo().pricelist_id
        prices = pricelist._get_products_price(products, 1.0) if pricelist else {}
        return [(product, prices.get(product.id, product.lst_price)) for product in products]

    @http.route(["/my/prices"], type="http", auth="user", website=True)
    def portal_my_prices(self, search=None, **kwargs):
        """The member's current prices (its channel pricelist's price for each
        product it may order) and the published price changes for it (record
        rules keep other pricelists' publications out)."""
        member = request.env["distribution.member"]._for_user()
        if not member:
            return request.redirect("/my/channel")
        lines = request.env["distribution.price.publication.line"].search(
            [("publication_id.state", "=", "published")], order="id desc", limit=200
        )
        pricelist = member.sudo().pricelist_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_prices",
                "member": member,
                "pricelist": pricelist,
                "currency": pricelist.currency_id or member.sudo().company_id.currency_id,
                "price_rows": self._my_price_rows(member, search),
                "search": search or "",
                "lines": lines.sorted(lambda line: (line.publication_id.effective_date, line.id), reverse=True),
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("distribution_core.portal_my_prices", values)
