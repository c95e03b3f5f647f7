from odoo import fields, http
from odoo.http import request

from odoo.addons.distribution_core.controllers.portal import DistributionPortal


class DistributionSalePortal(DistributionPortal):
    """What a member buys, in the portal: its prices, and its orders on the My Channel pages."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_price_count" in counters:
            Line = request.env["distribution.price.publication.line"]
            values["channel_price_count"] = Line.search_count(
                [("publication_id.state", "=", "published"),
                 ("publication_id.effective_date", ">=", fields.Date.context_today(request.env.user))]
            ) if Line.has_access("read") else 0
        return values

    def _my_channel_values(self, subtree):
        values = super()._my_channel_values(subtree)
        groups = request.env["sale.order"]._read_group(
            [("channel_member_id", "in", subtree.ids), ("state", "=", "sale")], ["channel_member_id"], ["__count"]
        )
        values["order_counts"] = {member.id: count for member, count in groups}
        return values

    def _channel_member_values(self, member):
        values = super()._channel_member_values(member)
        orders = request.env["sale.order"].search(
            [("channel_member_id", "=", member.id), ("state", "=", "sale")], limit=50
        )
        values["orders"] = orders
        # each row links to the order's page when the viewer may open it himself (the portal's own
        # access check, never an access token that would open it to whoever gets the link)
        values["order_urls"] = {order.id: order.access_url for order in orders._filtered_access("read")}
        return values

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
        return request.render("distribution_sale.portal_my_prices", values)
