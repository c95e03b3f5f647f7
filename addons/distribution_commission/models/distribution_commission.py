from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

STATES = [("frozen", "Frozen"), ("available", "Available"), ("withdrawn", "Withdrawn"), ("reversed", "Reversed")]


class DistributionCommission(models.Model):
    """One commission of one promoter on one invoiced sale line: frozen until the return window
    is over, then available, then withdrawn. Refunds reverse (before release) or claw back."""

    _name = "distribution.commission"
    _description = "Commission"
    _order = "date desc, id desc"

    promoter_id = fields.Many2one("distribution.promoter", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level = fields.Selection([("1", "Level 1"), ("2", "Level 2")], required=True)
    kind = fields.Selection(
        [("commission", "Commission"), ("reversal", "Reversed before release"), ("clawback", "Clawed back")],
        default="commission", required=True,
    )
    state = fields.Selection(STATES, default="frozen", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    customer_id = fields.Many2one("res.partner", index=True)
    sale_line_id = fields.Many2one("sale.order.line", index=True, ondelete="set null")
    order_id = fields.Many2one(related="sale_line_id.order_id", store=True, string="Order")
    invoice_line_id = fields.Many2one("account.move.line", ondelete="set null")
    product_id = fields.Many2one("product.product")
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Product Category")
    quantity = fields.Float(digits="Product Unit")
    base_amount = fields.Monetary(string="Base", help="The line's net amount (company currency).")
    rate = fields.Float(string="Rate (%)", digits=(16, 2))
    amount = fields.Monetary()
    release_date = fields.Date(help="Available from this day: the delivery plus the return window.")
    origin_id = fields.Many2one("distribution.commission", string="Reverses", index="btree_not_null")
    withdrawal_id = fields.Many2one("distribution.commission.withdrawal", index="btree_not_null", ondelete="restrict")
    split_from_id = fields.Many2one(
        "distribution.commission", string="Part of", index="btree_not_null", readonly=True,
        help="A withdrawal took only part of this commission: this is the rest of it. The goods' base and "
        "quantity stay on the commission it is part of.",
    )

    # ------------------------------------------------------------------
    # Earning: when the invoice is paid
    # ------------------------------------------------------------------
    @api.model
    def _create_for_invoices(self, invoices):
        """The commissions of the paid customer invoices' goods, for the customer's promoter
        (level 1) and the promoter who recruited him (level 2, if the company pays two levels)."""
        self = self.sudo()  # commissions are written by the system, whoever pays the invoice
        invoices = invoices.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        lines = invoices.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.product_id and line.product_id.type != "service"
            and line.sale_line_ids
        )
        if not lines:
            return self.browse()
        done = set(self.search([("invoice_line_id", "in", lines.ids), ("kind", "=", "commission")]).mapped(
            lambda c: (c.invoice_line_id.id, c.level)
        ))
        rates_by_company = {}
        vals_list = []
        for line in lines:
            order = line.sale_line_ids[:1].order_id
            promoter = order.channel_promoter_id
            if not promoter:
                continue
            company = line.company_id
            if company not in rates_by_company:
                rates_by_company[company] = self.env["distribution.commission.rule"].sudo()._rates(
                    company, line.move_id.invoice_date
                )
            rates = rates_by_company[company]
            earners = [("1", promoter)]
            if company.dms_commission_levels == "2" and promoter.parent_id:
                earners.append(("2", promoter.parent_id))  # and never further up
            for level, earner in earners:
                if (line.id, level) in done or earner.state != "active":
                    continue
                rate = self.env["distribution.commission.rule"]._rate(rates, level, line.product_id)
                if not rate:
                    continue
                base = -line.balance
                vals_list.append(
                    {
                        "promoter_id": earner.id,
                        "company_id": company.id,
                        "level": level,
                        "date": line.move_id.invoice_date,
                        "customer_id": line.move_id.commercial_partner_id.id,
                        "sale_line_id": line.sale_line_ids[:1].id,
                        "invoice_line_id": line.id,
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "base_amount": base,
                        "rate": rate,
                        "amount": company.currency_id.round(base * rate / 100.0),
                    }
                )
        commissions = self.sudo().create(vals_list)
        commissions._schedule_release()
        return commissions

    def _schedule_release(self):
        """Release date = the delivery of the order's goods + the return window (unknown until delivered)."""
        for commission in self.filtered(lambda c: c.state == "frozen" and c.kind != "reversal"):
            order = commission.order_id
            pickings = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            if order.delivery_status != "full" or not pickings:
                continue
            delivered = max(pickings.filtered(lambda p: p.state == "done").mapped("date_done")).date()
            commission.release_date = delivered + timedelta(days=commission.company_id.dms_commission_return_days)

    @api.model
    def _cron_release(self):
        """Frozen commissions whose return window is over become available."""
        frozen = self.sudo().search([("state", "=", "frozen")])
        frozen.filtered(lambda c: not c.release_date)._schedule_release()
        today = fields.Date.context_today(self)
        frozen.filtered(lambda c: c.release_date and c.release_date <= today).write({"state": "available"})

    # ------------------------------------------------------------------
    # Refunds
    # ------------------------------------------------------------------
    @api.model
    def _reverse_for_refunds(self, refunds):
        """A credit note on commissioned goods: before release the refunded part is reversed (it
        will never be available), after release it is clawed back from the available balance."""
        self = self.sudo()
        lines = refunds.filtered(lambda m: m.move_type == "out_refund" and m.state == "posted").invoice_line_ids
        lines = lines.filtered(lambda line: line.sale_line_ids and line.product_id)
        if not lines:
            return self.browse()
        # a commission split by a withdrawal is reversed once, on the commission its parts came from
        commissions = self.search(
            [("sale_line_id", "in", lines.sale_line_ids.ids), ("kind", "=", "commission"),
             ("split_from_id", "=", False)], order="id"
        )
        by_sale_line = defaultdict(lambda: self.browse())
        for commission in commissions:
            by_sale_line[commission.sale_line_id] |= commission
        vals_list = []
        reversed_amounts = commissions._reversed_amounts()
        for line in lines:
            for commission in by_sale_line.get(line.sale_line_ids[:1], []):
                values = commission._reversal_values(
                    line.quantity,
                    {"invoice_line_id": line.id, "base_amount": line.balance, "date": line.move_id.invoice_date},
                    reversed_amounts,
                )
                if values:
                    vals_list.append(values)
        return self.sudo().create(vals_list)

    def _reversed_amounts(self):
        """{commission id: what was already taken back from it (reversed or clawed back)}, in one query."""
        amounts = dict.fromkeys(self.ids, 0.0)
        for origin, _kind, amount in self.sudo()._read_group(
            [("origin_id", "in", self.ids)], ["origin_id", "kind"], ["amount:sum"]
        ):
            amounts[origin.id] += abs(amount)
        return amounts

    def _reversal_values(self, quantity, extra, reversed_amounts=None):
        """`quantity` of this commission's goods came back: the values of the reversing line, or None.
        Before release the refunded part leaves the frozen commission (reversed, never paid);
        after it, it is clawed back from the available balance. Never more than was earned.
        reversed_amounts: see _reversed_amounts(), read once for a batch of refund lines and kept
        up to date here, so that two lines of one credit note never take back more than was earned."""
        self.ensure_one()
        if not self.quantity or self.state == "reversed" or self.kind != "commission" or self.split_from_id:
            return None
        if reversed_amounts is None:
            reversed_amounts = self._reversed_amounts()
        currency = self.currency_id
        earned = currency.round(self.base_amount * self.rate / 100.0)
        reversed_before = reversed_amounts.get(self.id) or 0.0
        amount = min(currency.round(earned * min(quantity / self.quantity, 1.0)), currency.round(earned - reversed_before))
        if currency.compare_amounts(amount, 0) <= 0:
            return None
        reversed_amounts[self.id] = currency.round(reversed_before + amount)
        values = {
            "promoter_id": self.promoter_id.id,
            "company_id": self.company_id.id,
            "level": self.level,
            "customer_id": self.customer_id.id,
            "sale_line_id": self.sale_line_id.id,
            "product_id": self.product_id.id,
            "quantity": -quantity,
            "rate": self.rate,
            "origin_id": self.id,
            **extra,
        }
        if self.state == "frozen":
            remaining = currency.round(self.amount - amount)
            self.write({"amount": remaining, "state": "frozen" if currency.compare_amounts(remaining, 0) > 0 else "reversed"})
            return dict(values, kind="reversal", state="reversed", amount=amount)
        return dict(values, kind="clawback", state="available", amount=-amount)
