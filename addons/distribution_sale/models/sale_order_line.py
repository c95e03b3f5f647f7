from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "distribution.approval.line.mixin"]
    # changing these on a line changes what the order's approval is about
    _dms_approval_parent = "order_id"
    _dms_approval_line_fields = (
        "product_id",
        "product_uom_qty",
        "product_uom_id",
        "price_unit",
        "technical_price_unit",
        "discount",
        "tax_ids",
        "display_type",
    )

    channel_member_id = fields.Many2one(related="order_id.channel_member_id", store=True, index="btree_not_null")
    channel_territory_id = fields.Many2one(
        "distribution.territory",
        string="Sales Territory",
        compute="_compute_channel_floor",
        store=True,
        help="The member's territory when the line was priced: the region of the price check.",
    )
    channel_floor_price = fields.Monetary(
        string="Floor Price",
        compute="_compute_channel_floor",
        store=True,
        help="Minimum sell-in unit price for this member's territory, in the order's currency.",
    )
    channel_floor_gap = fields.Monetary(
        string="Below Floor by",
        compute="_compute_channel_floor",
        store=True,
        help="How much the net unit price is below the floor (0 when at or above it).",
    )
    channel_floor_loss = fields.Monetary(
        string="Amount Below Floor",
        compute="_compute_channel_floor",
        store=True,
        help="Gap × quantity: the revenue given away under the floor.",
    )
    channel_below_floor = fields.Boolean(string="Below Floor", compute="_compute_channel_floor", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._check_channel_scope()
        return lines

    def write(self, vals):
        self.order_id._check_channel_scope()
        res = super().write(vals)
        if "order_id" in vals:
            self.order_id._check_channel_scope()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_channel_scope(self):
        self.order_id._check_channel_scope()

    def _channel_net_price(self):
        """Untaxed unit price after discount: Odoo's own reduced price when there is a quantity."""
        self.ensure_one()
        if self.product_uom_qty:
            return self.price_reduce_taxexcl
        return self.price_unit * (1 - (self.discount or 0.0) / 100.0)

    @api.depends("product_id", "price_reduce_taxexcl", "price_unit", "discount", "product_uom_qty",
                 "order_id.partner_id", "order_id.currency_id", "order_id.date_order")
    def _compute_channel_floor(self):
        Floor = self.env["distribution.price.floor"].sudo()
        for (member, company), lines in self.grouped(
            lambda line: (line.order_id.partner_id.commercial_partner_id.channel_member_id, line.company_id)
        ).items():
            priced = lines.filtered(lambda line: line.product_id and not line.display_type)
            floors = Floor._get_floors(priced.product_id, member.territory_id, company) if member else {}
            for line in lines:
                line.channel_territory_id = member.territory_id
                floor = floors.get(line.product_id.id)
                if not floor or not floor.sell_in_floor:
                    line.update(
                        {"channel_floor_price": 0.0, "channel_floor_gap": 0.0, "channel_floor_loss": 0.0,
                         "channel_below_floor": False}
                    )
                    continue
                currency = line.currency_id or company.currency_id
                floor_price = floor.currency_id._convert(
                    floor.sell_in_floor, currency, company, line.order_id.date_order or fields.Date.today()
                )
                net_price = line._channel_net_price()
                gap = max(floor_price - net_price, 0.0)
                below = currency.compare_amounts(net_price, floor_price) < 0
                line.update(
                    {
                        "channel_floor_price": floor_price,
                        "channel_floor_gap": currency.round(gap) if below else 0.0,
                        "channel_floor_loss": currency.round(gap * line.product_uom_qty) if below else 0.0,
                        "channel_below_floor": below,
                    }
                )
