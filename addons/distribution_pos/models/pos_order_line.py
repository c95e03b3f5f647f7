from odoo import api, fields, models

FLOOR_STATES = [
    ("ok", "At or above the Floor"),
    ("approved", "Approved below the Floor"),
    ("violation", "Below the Floor"),
]


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    channel_member_id = fields.Many2one(
        "distribution.member", string="Channel Store", readonly=True, index="btree_not_null",
        help="The store whose till sold this line, when its floors were checked.",
    )
    channel_territory_id = fields.Many2one(
        "distribution.territory", string="Sales Territory", readonly=True,
        help="The store's territory when the line was checked: the region of the price check.",
    )
    channel_order_date = fields.Datetime(string="Sale Date", readonly=True)
    channel_floor_price = fields.Monetary(
        string="Resale Floor", readonly=True,
        help="Minimum resale unit price of the store's territory, in the order's currency.",
    )
    channel_floor_gap = fields.Monetary(
        string="Below Floor by", readonly=True,
        help="How much the net unit price is below the floor (0 when at or above it).",
    )
    channel_floor_loss = fields.Monetary(
        string="Amount Below Floor", readonly=True, help="Gap × quantity: the revenue given away under the floor."
    )
    channel_below_floor = fields.Boolean(string="Below Floor", readonly=True)
    channel_floor_state = fields.Selection(
        FLOOR_STATES, string="Floor Check", readonly=True, index="btree_not_null",
        help="Approved: a manager of the point of sale allowed the price at the till. "
        "Below the Floor: no valid manager approval.",
    )
    channel_override_employee_id = fields.Many2one(
        "hr.employee", string="Floor Approved by (Employee)", readonly=True,
        help="The manager employee who allowed this price below the resale floor at the till.",
    )
    channel_override_user_id = fields.Many2one(
        "res.users", string="Floor Approved by", readonly=True,
        help="The manager who allowed this price below the resale floor at the till.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        # the till sends who approved a price below the floor with the line
        fields_list = super()._load_pos_data_fields(config)
        fields_list += ["channel_override_user_id"]
        if config.module_pos_hr:
            fields_list += ["channel_override_employee_id"]
        return fields_list

    def _channel_net_price(self):
        """Unit price after the line discount, on the basis of the list price (the
        basis of the floor): what the cashier sees and types."""
        self.ensure_one()
        return self.price_unit * (1 - (self.discount or 0.0) / 100.0)

    def _channel_floor_applies(self, special_products):
        """Lines the floor is about: sales of a product at a price set on the line
        (not refunds, combo parts, rewards, tips)."""
        self.ensure_one()
        return (
            self.qty > 0
            and not self.refunded_orderline_id
            and not self.combo_parent_id
            and not self.combo_line_ids
            and not self.is_reward_line
            and self.product_id not in special_products
        )

    def _channel_check_floors(self):
        """Record the store's resale floor on each line and whether the line kept it,
        was allowed below it by a manager of the point of sale, or broke it. One floor
        look-up per point of sale; lines of a point of sale without store are left alone."""
        Floor = self.env["distribution.price.floor"].sudo()
        special_products = self.env["pos.config"]._get_special_products()
        for config, lines in self.grouped(lambda line: line.order_id.config_id).items():
            store = config.sudo().channel_member_id
            if not store:
                continue
            company = config.company_id
            checked = lines.filtered(lambda line: line._channel_floor_applies(special_products))
            floors = Floor._get_floors(checked.product_id, store.territory_id, company)
            for line in lines:
                order = line.order_id
                vals = {
                    "channel_member_id": store.id,
                    "channel_territory_id": store.territory_id.id,
                    "channel_order_date": order.date_order,
                    "channel_floor_price": 0.0,
                    "channel_floor_gap": 0.0,
                    "channel_floor_loss": 0.0,
                    "channel_below_floor": False,
                    # refunds, rewards, combo parts and tips are not about the floor
                    "channel_floor_state": "ok" if line in checked else False,
                }
                floor = floors.get(line.product_id.id) if line in checked else None
                if floor and floor.resale_floor:
                    currency = order.currency_id
                    floor_price = floor.currency_id._convert(
                        floor.resale_floor, currency, company, order.date_order or fields.Date.today()
                    )
                    net_price = line._channel_net_price()
                    vals["channel_floor_price"] = floor_price
                    if currency.compare_amounts(net_price, floor_price) < 0:
                        gap = floor_price - net_price
                        approved = config._channel_is_floor_approver(
                            line.channel_override_employee_id, line.channel_override_user_id
                        )
                        vals.update(
                            channel_floor_gap=currency.round(gap),
                            channel_floor_loss=currency.round(gap * line.qty),
                            channel_below_floor=True,
                            channel_floor_state="approved" if approved else "violation",
                        )
                if vals["channel_floor_state"] != "approved":
                    # an approval counts only for a price below the floor, by a real manager
                    vals.update(channel_override_employee_id=False, channel_override_user_id=False)
                line.write(vals)
