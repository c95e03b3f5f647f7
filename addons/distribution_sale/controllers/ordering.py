from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .portal import DistributionSalePortal

CHANNEL_ORDER_ACTIONS = {
    "approve": "action_approve",
    "ship": "action_ship",
    "receive": "action_receive",
    "cancel": "action_cancel",
    "draft": "action_draft",
}


class DistributionOrdering(DistributionSalePortal):
    """Ordering from the channel supplier and channel orders in the portal (their approvals are
    decided under My Approvals, a page of distribution_approval)."""

    def _member_or_404(self):
        member = request.env["distribution.member"]._for_user()
        if not member:
            raise request.not_found()
        return member

    CATALOGUE_LIMIT = 200

    def _catalogue(self, member, search=None, category=None):
        """[(product, channel price, pack quantity)] of what the member may order, filtered by a search
        text (name, reference or barcode) and a product category; the pack quantity is the smallest of
        the product's packagings in its unit (0.0 without one): the +/- steppers add a pack at a time."""
        products = member._orderable_products()
        if search:
            search = search.strip().lower()
            products = products.filtered(
                lambda p: search in (p.default_code or "").lower()
                or search in (p.name or "").lower()
                or search == (p.barcode or "").lower()
            )
        if category:
            products = products.filtered(lambda p: p.categ_id.id == category)
        products = products[: self.CATALOGUE_LIMIT]
        prices = member.pricelist_id.sudo()._get_products_price(products, 1.0) if member.pricelist_id else {}
        return [(product, prices.get(product.id, product.lst_price), self._pack_qty(product)) for product in products]

    def _pack_qty(self, product):
        packs = [
            pack._compute_quantity(1.0, product.uom_id, round=False)
            for pack in product.uom_ids
            if pack != product.uom_id and pack._has_common_reference(product.uom_id)
        ]
        packs = [qty for qty in packs if qty > 1.0]
        return min(packs) if packs else 0.0

    def _recent_orders(self, member, limit=3):
        """[(name, date, reorder url)] of the member's latest orders, to order them again."""
        sale_orders = request.env["sale.order"].sudo().search(
            [("channel_member_id", "=", member.id), ("state", "!=", "cancel")], order="id desc", limit=limit
        )
        bought = request.env["distribution.channel.order"].search(
            [("buyer_member_id", "=", member.id)], order="id desc", limit=limit
        )
        rows = [
            (order.name, order.date_order, f"/my/channel/order?reorder_model=sale.order&reorder_id={order.id}")
            for order in sale_orders
        ] + [
            (order.name, order.create_date,
             f"/my/channel/order?reorder_model=distribution.channel.order&reorder_id={order.id}")
            for order in bought.sudo()
        ]
        return sorted(rows, key=lambda row: row[1], reverse=True)[:limit]

    @http.route(["/my/channel/product/<int:product_id>/image"], type="http", auth="user", website=True)
    def portal_channel_product_image(self, product_id, **kwargs):
        """A catalogue picture: portal users cannot read products, so the image
        is served for the products the member may order, and only those."""
        member = self._member_or_404()
        product = member._orderable_products().filtered(lambda p: p.id == product_id)
        if not product:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(
            product, "image_128", placeholder="product/static/img/placeholder_thumbnail.png"
        )
        return stream.get_response(max_age=86400)

    def _reorder_text(self, model, record_id):
        member = self._member_or_404()
        if model == "sale.order":
            order = request.env["sale.order"].sudo().browse(record_id).exists()
            if not order or order.channel_member_id != member:
                return ""
            lines = [(line.product_id, line.product_uom_qty) for line in order.order_line if line.product_id]
        elif model == "distribution.channel.order":
            order = request.env["distribution.channel.order"].sudo().browse(record_id).exists()
            if not order or order.buyer_member_id != member:
                return ""
            lines = [(line.product_id, line.product_uom_qty) for line in order.line_ids]
        else:
            return ""
        return "\n".join(
            f"{product.default_code or product.barcode},{qty:g}" for product, qty in lines
            if product.default_code or product.barcode
        )

    @http.route(["/my/channel/order"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_channel_order(
        self, lines=None, note=None, search=None, category=None, reorder_model=None, reorder_id=None, **post
    ):
        member = self._member_or_404()
        category_id = int(category) if category and str(category).isdigit() else None
        errors = []
        if request.httprequest.method == "POST":
            text = lines or ""
            quantities = []
            for key, value in post.items():
                if key.startswith("qty_") and value.strip():
                    quantities.append((key[4:], value.strip()))
            extra = []
            if quantities:
                products = request.env["product.product"].sudo().browse(
                    [int(pid) for pid, _v in quantities if pid.isdigit()]
                )
                code_of = {str(p.id): p.default_code or p.barcode for p in products}
                extra = [f"{code_of[pid]},{qty}" for pid, qty in quantities if code_of.get(pid)]
            full_text = "\n".join(filter(None, [text] + extra))
            product_qtys, errors = member._parse_order_text(full_text)
            if not errors and not product_qtys:
                errors = [request.env._("Enter at least one product code and quantity.")]
            if not errors:
                try:
                    order = member._portal_submit_order(product_qtys, note=note)
                except (UserError, AccessError) as error:
                    errors = [str(error)]
                else:
                    if order._name == "sale.order":
                        return request.redirect(f"/my/channel/orders/sale/{order.id}?submitted=1")
                    return request.redirect(f"/my/channel/orders/{order.id}?submitted=1")
            lines = full_text
        elif reorder_model and reorder_id and str(reorder_id).isdigit():
            lines = self._reorder_text(reorder_model, int(reorder_id))
        catalogue = self._catalogue(member, search, category_id)
        # the whole catalogue is on the page: search and categories filter it in the browser, the cart is kept
        catalogue_complete = not search and not category_id and len(catalogue) < self.CATALOGUE_LIMIT
        # the chips list every category of the member's catalogue, whichever is selected
        categories = member._orderable_products().categ_id.sorted("complete_name")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_order",
                "member": member,
                "supplier": member._supplier_label(),
                "catalogue": catalogue,
                "catalogue_complete": catalogue_complete,
                "recent_orders": self._recent_orders(member) if not lines else [],
                "categories": categories,
                "category_id": category_id,
                "search": search or "",
                "lines": lines or "",
                "note": note or "",
                "errors": errors,
                "currency": member.pricelist_id.currency_id or member.currency_id,
            }
        )
        return request.render("distribution_sale.portal_channel_order_form", values)

    @http.route(["/my/channel/orders"], type="http", auth="user", website=True)
    def portal_channel_orders(self, **kwargs):
        member = self._member_or_404()
        sale_orders = request.env["sale.order"].sudo().search(
            [("channel_member_id", "=", member.id)], order="id desc", limit=50
        )
        ChannelOrder = request.env["distribution.channel.order"]
        bought = ChannelOrder.search([("buyer_member_id", "=", member.id)], limit=50)
        supplied = ChannelOrder.search([("supplier_member_id", "=", member.id)], limit=50)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_orders",
                "member": member,
                "sale_orders": sale_orders,
                # sudo for display: the supplier above the member is outside its subtree
                "bought": bought.sudo(),
                "supplied": supplied.sudo(),
            }
        )
        return request.render("distribution_sale.portal_channel_orders", values)

    @http.route(["/my/channel/orders/sale/<int:order_id>"], type="http", auth="user", website=True)
    def portal_channel_sale_order(self, order_id, submitted=None, **kwargs):
        member = self._member_or_404()
        order = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order or order.channel_member_id != member:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "channel_orders", "order": order, "member": member, "submitted": bool(submitted)})
        return request.render("distribution_sale.portal_channel_sale_order", values)

    def _channel_order_or_404(self, order_id):
        order = request.env["distribution.channel.order"].browse(order_id)
        try:
            order.check_access("read")
            if not order.exists():
                raise MissingError(request.env._("This order does not exist."))
        except (AccessError, MissingError):
            raise request.not_found() from None
        return order

    @http.route(["/my/channel/orders/<int:order_id>"], type="http", auth="user", website=True)
    def portal_channel_order_page(self, order_id, error=None, submitted=None, **kwargs):
        order = self._channel_order_or_404(order_id)
        member = self._member_or_404()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_orders",
                "order": order.sudo(),
                "member": member,
                "is_buyer": order.buyer_member_id == member,
                "is_supplier": order.supplier_member_id == member,
                "can_review": order.sudo().with_user(request.env.user).can_review,
                "error": error,
                "submitted": bool(submitted),
            }
        )
        return request.render("distribution_sale.portal_channel_order_page", values)

    @http.route(
        ["/my/channel/orders/<int:order_id>/<string:action>"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_channel_order_action(self, order_id, action, reason=None, **kwargs):
        order = self._channel_order_or_404(order_id)
        acting = order.sudo()  # rights of the engine, decisions checked against the (portal) user
        try:
            if action == "reject":
                acting.action_reject(reason)
            elif action in CHANNEL_ORDER_ACTIONS:
                getattr(acting, CHANNEL_ORDER_ACTIONS[action])()
            else:
                raise request.not_found()
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            return request.redirect(f"/my/channel/orders/{order_id}?error={quote(str(error))}")
        if action == "draft":
            return request.redirect(f"/my/channel/order?reorder_model=distribution.channel.order&reorder_id={order_id}")
        return request.redirect(f"/my/channel/orders/{order_id}")
