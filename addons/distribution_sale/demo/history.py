"""History of the sell-in demo: what must be computed, not written as records.

The records are data in ``demo/*.xml`` (``distribution_sale.demo_*`` XML ids): HQ's warehouse, the
sales team, the channel catalogue, a pricelist per tier and South China's with its rule, the price
floors, a published and a pending price publication, a quotation below the floor, the approval
rules, a delegation and a draft channel order. The demo XML calls :func:`build` (through
``sale.order._demo_build_history``) at two points of that list, only when the database gets demo
data, on top of the network demo of distribution_core (company 华夏优品, members, products):

* ``sell_in``, before the approval rules exist: a year of sell-in, one order a month for each
  distributor and dealer, delivered, invoiced and mostly paid, with two returns credited;
* ``portal_orders``, under the rules: what the members did in the portal, as themselves (sell-in
  orders waiting for the first and the second step and one rejected, channel orders in every
  state, a store order waiting for its dealer).

Plain functions, no model: every random choice comes from ``random.Random(42)``, so all demo
databases are the same; only the dates move with today. Records get ``distribution_sale.demo_*``
XML ids (e.g. ``demo_sale_order_rd001_m00``, ``demo_channel_order_shipped``).
"""

import logging
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

from odoo.addons.distribution_core.demo.network import (
    DEMO_CONTEXT,
    MEMBER_CODES,
    PRODUCT_CODES,
    xmlid_name,
)

_logger = logging.getLogger(__name__)

# Members HQ sells to every month (sell-in).
BUYERS = ["RD001", "RD002", "DL001", "DL002", "DL003", "DL004", "DL005"]
# Their order of this month is confirmed but not shipped yet.
AWAITING_DELIVERY = {"RD002", "DL004"}
# (member, months ago, category, cases, reason): goods sent back and credited;
# the first product of that category in the order is returned.
RETURNS = [
    ("RD002", 5, "BV", 10, "运输途中外箱破损"),
    ("DL001", 7, "SN", 8, "临期退货（剩余保质期不足三分之一）"),
]
# Payment habits for the invoices older than two months.
SLOW_PAYER = "DL005"  # pays late, its last two old invoices are still open (overdue)
PARTIAL_PAYER = "DL003"  # paid only part of its last two old invoices

# Sell-in seasonality per category and calendar month: drinks in summer, snacks
# before the Spring Festival and the Mid-Autumn Festival, everything on 双11.
SEASONALITY = {
    "BV": {1: 0.8, 2: 0.7, 5: 1.3, 6: 1.6, 7: 1.8, 8: 1.7, 9: 1.2, 12: 0.7},
    "SN": {1: 1.8, 2: 1.4, 9: 1.3, 12: 1.3},
    "PC": {6: 1.2, 11: 1.4},
    "HC": {1: 1.3, 11: 1.4},
}


def build(env, part):
    """Compute ``part`` (``sell_in`` or ``portal_orders``) of the history, once (a second call does
    nothing). A failure is logged as an ERROR and raised: Odoo then rolls the demo data back."""
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    done = {"sell_in": "demo_sale_order_rd001_m00", "portal_orders": "demo_sale_order_waiting_approval"}[part]
    if not hq or env.ref(f"distribution_sale.{done}", raise_if_not_found=False):
        return
    started = time.monotonic()
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    hq = hq.with_env(env)
    members = {code: env.ref(f"distribution_core.demo_member_{xmlid_name(code)}") for code in MEMBER_CODES}
    products = {code: env.ref(f"distribution_core.demo_product_{xmlid_name(code)}") for code in PRODUCT_CODES}
    try:
        if part == "sell_in":
            _sell_in(env, hq, random.Random(42), env.ref("distribution_sale.demo_team_channel"), members, products)
        else:
            _portal_orders(env, members, products)
    except Exception:
        _logger.exception("distribution_sale: the demo's history (%s) could not be computed", part)
        raise
    _logger.info("Channel sell-in demo: %s built in %.1f s", part, time.monotonic() - started)


def _xmlids(env, records_by_name):
    """Give demo records an XML id (noupdate, so module updates keep them)."""
    env["ir.model.data"]._update_xmlids([
        {"xml_id": f"distribution_sale.{name}", "record": record, "noupdate": True}
        for name, record in records_by_name.items()
    ])


def _sell_in(env, hq, rng, team, members, products):
    """Per buyer, one order a month for the last 12 months (this month
    included), shipped a few days later and invoiced at shipping."""
    today = fields.Date.context_today(env.user)
    now = fields.Datetime.now()
    warehouse = env.ref("distribution_sale.demo_warehouse_hq")
    codes = list(products)

    plan = []  # (member code, months ago, order datetime, delivery datetime, [(product code, qty)])
    for code in BUYERS:
        is_distributor = code.startswith("RD")
        assortment = rng.sample(codes, 22 if is_distributor else 14)
        base_qty = {p: rng.randint(12, 40) * 5 if is_distributor else rng.randint(4, 16) * 5 for p in assortment}
        for months_ago in range(11, -1, -1):
            month_start = today.replace(day=1) - relativedelta(months=months_ago)
            month_end = min(month_start + relativedelta(months=1, days=-1), today)
            # Fixed number of draws whatever today is, so that the rest of the
            # demo stays identical from one day to the next.
            day_fraction, hour, lead_days = rng.random(), rng.randint(1, 8), rng.randint(1, 3)
            order_day = month_start + timedelta(days=int(day_fraction * ((month_end - month_start).days + 1)))
            # 01:00-08:00 UTC = 09:00-16:00 in China.
            order_dt = min(datetime.combine(order_day, datetime.min.time()) + timedelta(hours=hour), now)
            delivery_dt = min(order_dt + timedelta(days=lead_days), now)
            growth = 1 + 0.02 * (11 - months_ago)
            lines = []
            for product_code in rng.sample(assortment, rng.randint(5, 6) if is_distributor else rng.randint(3, 5)):
                season = SEASONALITY[product_code[:2]].get(month_start.month, 1.0)
                qty = base_qty[product_code] * season * growth * rng.uniform(0.75, 1.25)
                lines.append((product_code, max(5, round(qty / 5) * 5)))
            plan.append((code, months_ago, order_dt, delivery_dt, lines))

    _initial_stock(env, warehouse, products, plan, today)

    orders = env["sale.order"].create([
        {
            "partner_id": members[code].partner_id.id,
            "company_id": hq.id,
            "warehouse_id": warehouse.id,
            "user_id": members[code].manager_id.id,
            "team_id": team.id,
            "date_order": order_dt,
            "client_order_ref": f"PO-{code}-{order_dt:%Y%m}",
            "order_line": [
                Command.create({"product_id": products[p].id, "product_uom_qty": qty}) for p, qty in lines
            ],
        }
        for code, _months_ago, order_dt, _delivery_dt, lines in plan
    ])
    orders.action_confirm()
    # Confirmation stamps the orders with the current time.
    for order, (_code, _months_ago, order_dt, _delivery_dt, _lines) in zip(orders, plan, strict=True):
        order.date_order = order_dt

    shipped = {
        order: row for order, row in zip(orders, plan, strict=True)
        if not (row[1] == 0 and row[0] in AWAITING_DELIVERY)
    }
    shipped_orders = env["sale.order"].concat(*shipped)
    pickings = shipped_orders.picking_ids
    pickings.action_assign()
    # skip_sms: no SMS confirmation pop-up (stock_sms) for a demo delivery
    result = pickings.with_context(
        skip_backorder=True, picking_ids_not_to_backorder=pickings.ids, skip_sms=True
    ).button_validate()
    if result is not True or set(pickings.mapped("state")) != {"done"}:
        raise ValueError(f"Demo deliveries could not be validated: {result}")
    for order, (_code, _months_ago, _order_dt, delivery_dt, _lines) in shipped.items():
        _set_picking_date(env, order.picking_ids, delivery_dt)

    invoices = shipped_orders._create_invoices(grouped=True)
    invoice_by_order = {invoice.invoice_line_ids.sale_line_ids.order_id: invoice for invoice in invoices}
    for order, (_code, _months_ago, _order_dt, delivery_dt, _lines) in shipped.items():
        invoice_by_order[order].invoice_date = delivery_dt.date()
    invoices.action_post()

    refunds = _returns(env, orders, plan, invoice_by_order)
    _payments(env, hq, rng, shipped, invoice_by_order, today)
    _xmlids(env, {
        f"demo_sale_order_{xmlid_name(code)}_m{months_ago:02d}": order
        for order, (code, months_ago, _o, _d, _l) in zip(orders, plan, strict=True)
    } | {f"demo_credit_note_{index}": refund for index, refund in enumerate(refunds, start=1)})


def _initial_stock(env, warehouse, products, plan, today):
    """Opening inventory, thirteen months ago: the year's shipments plus a
    safety stock, so that every delivery can be validated."""
    demand = defaultdict(float)
    for _code, _months_ago, _order_dt, _delivery_dt, lines in plan:
        for product_code, qty in lines:
            demand[product_code] += qty
    quants = env["stock.quant"].with_context(inventory_mode=True).create([
        {
            "product_id": product.id,
            "location_id": warehouse.lot_stock_id.id,
            "inventory_quantity": (int(demand[code] * 1.15) // 50 + 3) * 50,
        }
        for code, product in products.items()
    ])
    opening = datetime.combine(today.replace(day=1) - relativedelta(months=13), datetime.min.time())
    quants.action_apply_inventory(date=opening)


def _set_picking_date(env, pickings, date):
    pickings.write({"scheduled_date": date, "date_deadline": date, "date_done": date})
    pickings.move_ids.write({"date": date})
    pickings.move_ids.move_line_ids.write({"date": date})


def _returns(env, orders, plan, invoice_by_order):
    """Goods sent back by a member: return receipt, credit note for the
    returned quantity (from the order, as sales do it), matched with the
    original invoice."""
    refunds = env["account.move"]
    rows = {(code, months_ago): order for order, (code, months_ago, *_rest) in zip(orders, plan, strict=True)}
    for code, months_ago, category, qty, reason in RETURNS:
        order = rows[(code, months_ago)]
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        wizard = env["stock.return.picking"].with_context(
            active_id=picking.id, active_ids=picking.ids, active_model="stock.picking",
        ).create({"picking_id": picking.id})
        lines = wizard.product_return_moves
        line = lines.filtered(lambda r, c=category: r.product_id.default_code.startswith(c))[:1] or lines[:1]
        qty = min(qty, line.move_id.quantity)
        line.quantity = qty
        return_picking = wizard._create_return()
        return_picking.move_ids.quantity = qty
        return_picking.with_context(skip_sms=True).button_validate()
        return_date = picking.date_done + timedelta(days=9)
        _set_picking_date(env, return_picking, return_date)
        refund = order._create_invoices(final=True)
        refund.write({"invoice_date": return_date.date(), "ref": f"{reason}：{line.product_id.name} {qty:g} 箱"})
        refund.action_post()
        (invoice_by_order[order] | refund).line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        ).reconcile()
        refunds |= refund
    return refunds


def _payments(env, hq, rng, shipped, invoice_by_order, today):
    """Bank transfers for the invoices older than two months: most paid in
    25-45 days, a slow payer with overdue invoices, a partial payer.
    Invoices of the last two months are still open.

    Same result as the Register Payment wizard (a posted payment matched
    with its invoice), but created in one batch: the wizard, one invoice at
    a time, took a third of the demo generation time.
    """
    journal = env["account.journal"].search([("company_id", "=", hq.id), ("type", "=", "bank")], limit=1)
    old_by_member = defaultdict(list)
    for order, (code, *_rest) in shipped.items():
        invoice = invoice_by_order[order]
        if (today - invoice.invoice_date).days > 60:
            old_by_member[code].append(invoice)
    to_pay = []  # (invoice, amount, date)
    for code, invoices in old_by_member.items():
        invoices.sort(key=lambda invoice: invoice.invoice_date)
        for index, invoice in enumerate(invoices):
            last_two = index >= len(invoices) - 2
            delay = rng.randint(25, 45)
            amount = invoice.amount_residual
            if code == SLOW_PAYER:
                if last_two:
                    continue
                delay = rng.randint(50, 75)
            elif code == PARTIAL_PAYER and last_two:
                amount = round(amount * rng.choice((0.4, 0.5, 0.6)), -2)
            to_pay.append((invoice, amount, min(invoice.invoice_date + timedelta(days=delay), today)))
    payments = env["account.payment"].create([
        {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": amount,
            "currency_id": invoice.currency_id.id,
            "date": date,
            "journal_id": journal.id,
            "memo": invoice.name,
            "company_id": hq.id,
        }
        for invoice, amount, date in to_pay
    ])
    payments.action_post()
    plan = []
    for payment, (invoice, _amount, _date) in zip(payments, to_pay, strict=True):
        plan.append((payment.move_id.line_ids | invoice.line_ids).filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        ))
        invoice.matched_payment_ids += payment
    env["account.move.line"]._reconcile_plan(plan)



def _portal_orders(env, members, products):
    """Orders the members submitted in the portal, as themselves, under the approval rules
    (tier_definition_demo.xml), and the reviewers' decisions: orders waiting in every state."""
    manager = env.ref("distribution_core.demo_user_manager")

    def portal(code):
        member = members[code]
        user = env["res.users"].search([("partner_id.commercial_partner_id", "=", member.partner_id.id),
                                             ("share", "=", True)], limit=1)
        return member.with_user(user)

    def lines(spec):
        return [(products[code], qty) for code, qty in spec]

    # sell-in orders from the portal of the distributors
    waiting = portal("RD001")._portal_submit_order(lines([("BV-004", 500), ("BV-005", 500)]),
                                                   note="双十二备货").sudo()  # > 50,000: channel manager
    second_step = portal("RD002")._portal_submit_order(lines([("BV-004", 1000), ("BV-005", 1000)]),
                                                       note="春节备货").sudo()  # > 100,000: two steps
    second_step.with_user(manager).sudo()._dms_approve()  # RD002's channel manager is 刘洋
    rejected = portal("RD002")._portal_submit_order(lines([("BV-002", 1200)])).sudo()
    rejected.with_user(manager).sudo()._dms_reject("库存不足，请分两批下单")
    # channel orders between members, one in each state
    dealer = portal("DL001")
    rd_east = env.ref("distribution_core.demo_user_rd_east")
    channel = {}
    for state, spec in [
        ("submitted", [("BV-001", 50), ("BV-002", 20)]),
        ("approved", [("BV-003", 30)]),
        ("shipped", [("BV-004", 20)]),
        ("received", [("BV-001", 80), ("BV-005", 10)]),
        ("rejected", [("BV-002", 200)]),
        ("cancelled", [("BV-003", 5)]),
    ]:
        order = dealer._portal_submit_order(lines(spec)).sudo()
        supplier = order.with_user(rd_east).sudo()
        if state in ("approved", "shipped", "received"):
            supplier.action_approve()
        if state in ("shipped", "received"):
            supplier.action_ship()
        if state == "received":
            order.with_user(dealer.env.user).sudo().action_receive()
        if state == "rejected":
            supplier.action_reject("数量超出本月配额")
        if state == "cancelled":
            order.with_user(dealer.env.user).sudo().action_cancel()
        channel[state] = order
    store = portal("ST001")._portal_submit_order(lines([("BV-001", 10), ("BV-003", 6)])).sudo()
    xmlids = {f"demo_channel_order_{state}": order for state, order in channel.items()}
    xmlids.update({
        "demo_channel_order_store": store,
        "demo_sale_order_waiting_approval": waiting,
        "demo_sale_order_second_step": second_step,
        "demo_sale_order_rejected": rejected,
    })
    _xmlids(env, xmlids)
