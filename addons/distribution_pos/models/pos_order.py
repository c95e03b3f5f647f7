from markupsafe import Markup

from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    channel_floor_alert_sent = fields.Boolean(
        copy=False, readonly=True, help="The channel manager was told about the lines sold below the resale floor."
    )

    @api.model
    def sync_from_ui(self, orders):
        """Re-check the resale floors of the orders the till sends: the check runs
        in ``read_pos_data``, once for the whole batch, after the orders are saved.
        Orders already paid before this sync are not checked again."""
        uuids = [order["uuid"] for order in orders if order.get("uuid")]
        closed = set(self.search([("uuid", "in", uuids), ("state", "!=", "draft")]).mapped("uuid")) if uuids else set()
        to_check = tuple(uuid for uuid in uuids if uuid not in closed)
        return super(PosOrder, self.with_context(channel_floor_check_uuids=to_check)).sync_from_ui(orders)

    def read_pos_data(self, data, config):
        to_check = self.env.context.get("channel_floor_check_uuids")
        if to_check:
            orders = self.filtered(lambda order: order.uuid in to_check)
            orders.lines._channel_check_floors()
            orders._channel_alert_floor_violations()
        return super().read_pos_data(data, config)

    def _channel_alert_floor_violations(self):
        """Tell the store's channel manager, on the order, about lines sold below the
        floor without a manager's approval (once per paid order)."""
        for order in self.filtered(lambda o: o.state in ("paid", "done", "invoiced") and not o.channel_floor_alert_sent):
            violations = order.lines.filtered(lambda line: line.channel_floor_state == "violation")
            if not violations:
                continue
            currency = order.currency_id
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: %(price)s instead of at least %(floor)s (%(loss)s below the floor)",
                    product=line.full_product_name or line.product_id.display_name,
                    price=currency.format(line._channel_net_price()),
                    floor=currency.format(line.channel_floor_price),
                    loss=currency.format(line.channel_floor_loss),
                )
                for line in violations
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Sold below the store's minimum resale price without a manager's approval:"),
                items,
            )
            # the cashier syncing the order may not read the channel network
            manager = order.config_id.sudo().channel_member_id.manager_id
            order.message_post(body=body, partner_ids=manager.partner_id.ids, subtype_xmlid="mail.mt_note")
            order.channel_floor_alert_sent = True
