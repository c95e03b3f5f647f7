from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models


class DistributionCommission(models.Model):
    _inherit = "distribution.commission"

    pos_line_id = fields.Many2one("pos.order.line", string="POS Line", index="btree_not_null", ondelete="set null")
    pos_order_id = fields.Many2one(related="pos_line_id.order_id", store=True, string="POS Order")

    @api.model
    def _create_for_pos_orders(self, orders):
        """Paid POS orders: commissions on their goods (goods handed over at the counter: released
        after the return window from the order date), reversals for their refund lines."""
        self = self.sudo()
        orders = orders.filtered(lambda o: o.state in ("paid", "done", "invoiced"))
        sold = orders.lines.filtered(
            lambda line: line.qty > 0 and line.product_id.type != "service" and line.order_id.channel_promoter_id
        )
        done = {(c.pos_line_id.id, c.level) for c in self.search([("pos_line_id", "in", sold.ids)])}
        Rule = self.env["distribution.commission.rule"]
        rates_by_key = {}
        vals_list = []
        for line in sold:
            order = line.order_id
            company = order.company_id
            day = fields.Date.context_today(self, order.date_order)
            if (company, day) not in rates_by_key:
                rates_by_key[company, day] = Rule._rates(company, day)
            rates = rates_by_key[company, day]
            base = order.currency_id._convert(line.price_subtotal, company.currency_id, company, day)
            earners = [("1", order.channel_promoter_id)]
            if company.dms_commission_levels == "2" and order.channel_promoter_id.parent_id:
                earners.append(("2", order.channel_promoter_id.parent_id))
            for level, earner in earners:
                if (line.id, level) in done or earner.state != "active":
                    continue
                rate = Rule._rate(rates, level, line.product_id)
                if not rate:
                    continue
                vals_list.append(
                    {
                        "promoter_id": earner.id,
                        "company_id": company.id,
                        "level": level,
                        "date": day,
                        "customer_id": order.partner_id.commercial_partner_id.id,
                        "pos_line_id": line.id,
                        "product_id": line.product_id.id,
                        "quantity": line.qty,
                        "base_amount": base,
                        "rate": rate,
                        "amount": company.currency_id.round(base * rate / 100.0),
                        "release_date": day + timedelta(days=company.dms_commission_return_days),
                    }
                )
        created = self.create(vals_list)
        # refunds of commissioned lines
        refunds = orders.lines.filtered(lambda line: line.qty < 0 and line.refunded_orderline_id)
        by_line = defaultdict(lambda: self.browse())
        for commission in self.search([("pos_line_id", "in", refunds.refunded_orderline_id.ids), ("kind", "=", "commission")]):
            by_line[commission.pos_line_id] |= commission
        reversals = []
        # read once for the batch, kept up to date: two refund lines never take back more than was earned
        reversed_amounts = self.browse().concat(*by_line.values())._reversed_amounts()
        for line in refunds:
            for commission in by_line.get(line.refunded_orderline_id, []):
                values = commission._reversal_values(
                    -line.qty,
                    {"pos_line_id": line.id, "base_amount": line.price_subtotal,
                     "date": fields.Date.context_today(self, line.order_id.date_order)},
                    reversed_amounts,
                )
                if values:
                    reversals.append(values)
        return created | self.create(reversals)

    def _schedule_release(self):
        # POS goods are delivered at the counter: their release date is set when they are sold
        return super(DistributionCommission, self.filtered(lambda c: not c.pos_line_id))._schedule_release()
