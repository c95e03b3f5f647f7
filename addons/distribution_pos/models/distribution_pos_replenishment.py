from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round

from odoo.addons.distribution_sale.models.distribution_channel_order import OPEN_CHANNEL_ORDER_STATES

from .distribution_channel_order import TILL_ORDER


class DistributionPosReplenishment(models.AbstractModel):
    """Replenishment from the till: what a store should reorder from its supplier in the
    channel, from its own sales, stock and open orders (all read set-based)."""

    _name = "distribution.pos.replenishment"
    _description = "Store Replenishment from the POS"

    @api.model
    def _store(self, config):
        """The store of the point of sale, once the user is known to be allowed to use it."""
        config.ensure_one()
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only point of sale users can replenish a store."))
        config.check_access("read")  # store staff: their own store's points of sale only
        store = config.sudo().channel_member_id
        if not store:
            raise UserError(
                self.env._("%(pos)s belongs to no channel store: there is nothing to replenish.", pos=config.name)
            )
        return store

    @api.model
    def _stock_location(self, config):
        config = config.sudo()
        return config.picking_type_id.default_location_src_id or config.picking_type_id.warehouse_id.lot_stock_id

    @api.model
    def _lines(self, config, today=None):
        """One dict per product the store sold in the window, has on hand or has on order:
        average daily sales, on hand, on order, suggested quantity (rounded up to whole units),
        last sale, slow mover."""
        store = self._store(config)
        config = config.sudo()
        env = self.sudo().env
        # the store's own calendar, as the sell-out days are
        today = today or fields.Date.context_today(self.with_context(tz=store.partner_id.tz or self.env.user.tz))
        window = config.dms_replenish_window_days
        horizon = config.dms_replenish_lead_days + config.dms_replenish_safety_days
        slow_since = today - timedelta(days=config.dms_replenish_slow_days)
        Sellout = env["distribution.sellout"]
        sold = {
            product.id: qty
            for product, qty in Sellout._read_group(
                [("member_id", "=", store.id), ("date", ">", today - timedelta(days=window)), ("date", "<=", today)],
                ["product_id"],
                ["quantity:sum"],
            )
        }
        last_sale = {
            product.id: day
            for product, day in Sellout._read_group(
                [("member_id", "=", store.id), ("quantity", ">", 0)], ["product_id"], ["date:max"]
            )
        }
        location = self._stock_location(config)
        on_hand = {}
        if location:
            on_hand = {
                product.id: qty
                for product, qty in env["stock.quant"]._read_group(
                    [("location_id", "child_of", location.id), ("product_id.is_storable", "=", True)],
                    ["product_id"],
                    ["quantity:sum"],
                )
            }
        on_order = {
            product.id: qty
            for product, qty in env["distribution.channel.order.line"]._read_group(
                [("buyer_member_id", "=", store.id), ("state", "in", OPEN_CHANNEL_ORDER_STATES)],
                ["product_id"],
                ["product_uom_qty:sum"],
            )
        }
        # a store supplied directly by HQ orders with sale orders: what is not delivered yet is on order
        for product, ordered, delivered in env["sale.order.line"]._read_group(
            [("order_id.partner_id", "child_of", store.partner_id.id), ("state", "=", "sale"),
             ("product_id", "!=", False)],
            ["product_id"],
            ["product_uom_qty:sum", "qty_delivered:sum"],
        ):
            if ordered > delivered:
                on_order[product.id] = on_order.get(product.id, 0.0) + ordered - delivered
        product_ids = {pid for pid, qty in sold.items() if qty} | {pid for pid, qty in on_hand.items() if qty > 0}
        product_ids |= {pid for pid, qty in on_order.items() if qty > 0}
        lines = []
        # goods kept in stock only: no services (such as the discount lines of promotions)
        for product in env["product.product"].browse(sorted(product_ids)).filtered("is_storable"):
            uom = product.uom_id
            average = max(sold.get(product.id) or 0.0, 0.0) / window
            stock = on_hand.get(product.id) or 0.0
            ordered = on_order.get(product.id) or 0.0
            need = average * horizon - stock - ordered
            # whole units of the product's unit of measure: nobody orders 13.57 bottles
            suggested = float_round(need, precision_rounding=1.0, rounding_method="UP") if need > 0.005 else 0.0
            last = last_sale.get(product.id)
            lines.append(
                {
                    "product_id": product.id,
                    "name": product.display_name,
                    "default_code": product.default_code or "",
                    "uom": uom.name,
                    "sold": sold.get(product.id) or 0.0,
                    "average": round(average, 2),
                    "on_hand": stock,
                    "on_order": ordered,
                    "suggested": suggested,
                    "last_sale": fields.Date.to_string(last) if last else False,
                    "slow_mover": stock > 0 and (not last or last < slow_since),
                }
            )
        lines.sort(key=lambda line: (-line["suggested"], line["slow_mover"], line["name"]))
        return lines

    @api.model
    def _submit(self, config, lines):
        """Order the quantities entered (> 0) from the store's supplier in the channel: a
        channel order to its parent member (or a sale order to HQ), through the approvals."""
        store = self._store(config)
        quantities = {}
        for line in lines or []:
            try:
                product_id, qty = int(line["product_id"]), float(line.get("qty") or 0.0)
            except (KeyError, TypeError, ValueError) as error:
                raise UserError(self.env._("A replenishment line is not valid: %(line)s", line=line)) from error
            if qty > 0:
                quantities[product_id] = quantities.get(product_id, 0.0) + qty
        if not quantities:
            raise UserError(self.env._("Nothing to order: enter a quantity for at least one product."))
        products = self.env["product.product"].sudo().browse(sorted(quantities)).exists()
        refused = products.filtered(lambda p: not p.sale_ok or (p.company_id and p.company_id != store.company_id))
        if refused or len(products) != len(quantities):
            raise UserError(
                self.env._(
                    "These products cannot be ordered from the channel: %(products)s",
                    products=", ".join(refused.mapped("display_name")) or self.env._("unknown products"),
                )
            )
        note = self.env._("Replenishment from the till %(pos)s by %(user)s",
                          pos=config.sudo().name, user=self.env.user.name)
        # sudo: the cashier need not have channel rights (checked above: a user of this store's
        # point of sale); still acting as the cashier, who is recorded as the one who ordered,
        # created the order and requested its approval
        order = store.sudo().with_context(dms_till_order=TILL_ORDER)._portal_submit_order(
            [(product, quantities[product.id]) for product in products], note=note
        )
        return {"id": order.id, "model": order._name, "name": order.name, "state": order.state}
