from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.distribution_core.tools.safe_io import is_sane_number
from odoo.addons.portal.controllers.portal import CustomerPortal


class StockSuggestionPortal(CustomerPortal):
    """A member's replenishment suggestions in the portal, ordered in one click."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "stock_suggestion_count" in counters:
            member = request.env["distribution.member"]._for_user()
            Analysis = request.env["distribution.stock.analysis"]
            values["stock_suggestion_count"] = (
                Analysis.search_count([("member_id", "=", member.id), ("suggested_qty", ">", 0)])
                if member and Analysis.has_access("read")
                else 0
            )
        return values

    def _suggestion_member(self):
        member = request.env["distribution.member"]._for_user()
        if not member:
            raise request.not_found()
        return member

    def _suggestion_values(self, member, error=None, quantities=None):
        Analysis = request.env["distribution.stock.analysis"]
        suggestions = Analysis.search(
            [("member_id", "=", member.id), ("suggested_qty", ">", 0)], order="is_hot desc, days_cover, id"
        )
        slow_movers = Analysis.search(
            [("member_id", "=", member.id), ("is_slow", "=", True)], order="days_cover desc, id", limit=200
        )
        # sudo for display only (product names and codes): the lines were searched as the user
        suggestions, slow_movers = suggestions.sudo(), slow_movers.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "stock_suggestions",
                "member": member,
                "supplier": member._supplier_label(),
                "suggestions": suggestions,
                "slow_movers": slow_movers,
                "date_refreshed": max(
                    suggestions.mapped("date_refreshed") + slow_movers.mapped("date_refreshed"), default=False
                ),
                "error": error,
                "quantities": quantities or {},
            }
        )
        return values

    @http.route(["/my/stock/suggestions"], type="http", auth="user", website=True)
    def portal_stock_suggestions(self, **kwargs):
        member = self._suggestion_member()
        return request.render("distribution_stock.portal_stock_suggestions", self._suggestion_values(member))

    @http.route(["/my/stock/suggestions/order"], type="http", auth="user", website=True, methods=["POST"])
    def portal_stock_suggestions_order(self, note=None, **post):
        member = self._suggestion_member()
        product_ids = [int(key[7:]) for key in post if key.startswith("select_") and key[7:].isdigit()]
        raw = {int(key[4:]): value for key, value in post.items() if key.startswith("qty_") and key[4:].isdigit()}
        quantities = {}
        error = None
        for product_id in product_ids:
            text = (raw.get(product_id) or "").strip()
            if not text:
                continue
            try:
                quantities[product_id] = float(text)
            except ValueError:
                quantities[product_id] = None
            if quantities[product_id] is None or not is_sane_number(quantities[product_id]):
                error = request.env._("'%(qty)s' is not a quantity.", qty=text[:40])
            else:
                if quantities[product_id] <= 0:
                    error = request.env._("Quantities must be positive; untick the lines you do not want.")
        if not product_ids and not error:
            error = request.env._("Tick at least one suggestion to order.")
        if not error:
            try:
                order = request.env["distribution.stock.analysis"]._order_suggestions(
                    member, product_ids=product_ids, quantities=quantities, note=note or None
                )
            except (UserError, AccessError) as exc:
                request.env.cr.rollback()
                error = str(exc)
            else:
                if order._name == "sale.order":
                    return request.redirect(f"/my/channel/orders/sale/{order.id}")
                return request.redirect(f"/my/channel/orders/{order.id}")
        return request.render(
            "distribution_stock.portal_stock_suggestions", self._suggestion_values(member, error=error, quantities=raw)
        )
