"""Demo channel inventory, on top of the channel demo of distribution_core (华夏优品).

All of it is history, computed once by ``hooks.post_init_hook`` (only when the database gets demo
data), on top of the records of the core demo:

* four months of channel orders down the channel (sell-through): each active dealer orders from its
  regional distributor every two weeks or so, each active store from its dealer every ten days;
  the last ones are still shipped (not received), and each dealer has an approved order waiting to
  be shipped (on order);
* two stock counts (about five weeks and four days ago) of every regional distributor and dealer,
  reported in the portal, by XLSX upload or in the back office, one upload with rejected rows: most
  products cover a few weeks of sales, the best sellers only a few days (hot items, to reorder), and
  a few products do not sell at all or far too slowly (slow movers);
* a few HQ invoices to the distributors when the core demo has none (sell-in);
* then the nightly analysis runs, so that cover, turnover, slow movers, hot items and suggestions
  show at once; it runs again a minute after the server starts, when the stores' point-of-sale demo
  (distribution_pos, their Odoo stock and sell-out) may have been loaded after this one.

Every random choice comes from ``random.Random(11)``; dates are relative to today.
"""

import logging
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import Command, fields

from odoo.addons.distribution_core.tools.demo import DEMO_CONTEXT

_logger = logging.getLogger(__name__)

HISTORY_DAYS = 120
# days ago of the two stock counts
COUNT_DAYS = (36, 4)
# (buyer tier, assortment size, days between orders (min, max), lines per order (min, max), cases (min, max))
ORDERING = {
    "DL": (14, (12, 16), (4, 6), (10, 40)),
    "ST": (9, (8, 12), (3, 4), (2, 8)),
}
# who reports how: (source of the earlier count, source of the latest count)
REPORT_SOURCES = {
    "RD001": ("backend", "upload"),
    "RD002": ("upload", "portal"),
    "DL001": ("portal", "portal"),
    "DL002": ("portal", "backend"),
    "DL003": ("upload", "upload"),
    "DL004": ("portal", "portal"),
    "DL005": ("backend", "portal"),
}
# rows a member got wrong in its latest count (kept on the report as rejected, with the reason)
BAD_ROWS = {
    "RD001": [("BV-099", "40"), ("SN-002", "-5")],
    "DL001": [("华夏矿泉水", "12")],
}


def build(env):
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    if not hq or env.ref("distribution_stock.demo_stock_report_rd001_latest", raise_if_not_found=False):
        return
    started = time.monotonic()
    rng = random.Random(11)
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    members = {
        member.code: member
        for member in env["distribution.member"].search([("company_id", "=", hq.id), ("state", "=", "active")])
    }
    products = {
        product.default_code: product
        for product in env["product.product"].search(
            [("company_id", "in", (hq.id, False)), ("default_code", "=like", "__-0%"), ("sale_ok", "=", True)],
            order="default_code",
        )
    }
    if not members or not products:
        return
    _sell_in(env, hq, rng, members, products)
    outflow = _sell_through(env, rng, members, products)
    reports = _stock_counts(env, rng, members, products, outflow)
    # as the nightly job: flags and notifies (the e-mails queued, not sent while the module installs)
    env["distribution.stock.analysis"].with_context(mail_notify_force_send=False)._cron_refresh()
    cron = env.ref("distribution_stock.ir_cron_stock_analysis_refresh", raise_if_not_found=False)
    if cron:
        cron._trigger()  # again when the server runs: the POS demo may come after this one
    _logger.info(
        "Channel inventory demo: %s stock counts, %s analysis rows in %.1f s",
        len(reports), env["distribution.stock.analysis"].search_count([]), time.monotonic() - started,
    )


def _sell_in(env, hq, rng, members, products):
    """A few posted HQ invoices to the regional distributors, only when the core demo has none."""
    distributors = [m for code, m in sorted(members.items()) if not m.parent_id]
    if not distributors or env["account.move"].search_count(
        [("company_id", "=", hq.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
         ("channel_member_id", "in", [m.id for m in distributors])], limit=1
    ):
        return env["account.move"]
    today = fields.Date.context_today(env.user)
    codes = sorted(products)
    invoices = env["account.move"].create([
        {
            "move_type": "out_invoice",
            "company_id": hq.id,
            "partner_id": member.partner_id.id,
            "invoice_date": today - timedelta(days=days_ago),
            "invoice_line_ids": [
                Command.create({"product_id": products[code].id, "quantity": rng.randint(10, 40) * 5})
                for code in rng.sample(codes, 6)
            ],
        }
        for member in distributors
        for days_ago in (75, 45, 15)
    ])
    invoices.action_post()
    return invoices


def _sell_through(env, rng, members, products):
    """Channel orders of the last four months, returns {(supplier id, product id): [(days ago, qty)]}."""
    today = fields.Date.context_today(env.user)
    codes = sorted(products)
    plan = []  # (buyer, days ago, [(code, qty)])
    for code, buyer in sorted(members.items()):
        tier = code[:2]
        if tier not in ORDERING or not buyer.parent_id or buyer.parent_id.state != "active":
            continue
        size, (gap_min, gap_max), (lines_min, lines_max), (qty_min, qty_max) = ORDERING[tier]
        assortment = rng.sample(codes, size)
        favourites = assortment[:3]  # ordered more often and in larger quantities
        days_ago = HISTORY_DAYS - rng.randint(0, gap_min)
        while days_ago >= 1:
            picked = set(favourites[: rng.randint(1, 3)])
            picked.update(rng.sample(assortment, rng.randint(lines_min, lines_max) - len(picked)))
            plan.append((buyer, days_ago, [
                (product_code, rng.randint(qty_min, qty_max) * (2 if product_code in favourites else 1))
                for product_code in sorted(picked)
            ]))
            days_ago -= rng.randint(gap_min, gap_max)
    # each dealer also has an order approved yesterday, not shipped yet (on order)
    for code, buyer in sorted(members.items()):
        if code.startswith("DL") and buyer.parent_id.state == "active":
            plan.append((buyer, 0, [(product_code, rng.randint(10, 30)) for product_code in rng.sample(codes, 3)]))
    orders = env["distribution.channel.order"].create([
        {
            "buyer_member_id": buyer.id,
            "note": "补货" if days_ago else "下周到货",
            "line_ids": [Command.create({"product_id": products[c].id, "product_uom_qty": q}) for c, q in lines],
        }
        for buyer, days_ago, lines in plan
    ])
    outflow = defaultdict(list)
    for order, (buyer, days_ago, lines) in zip(orders, plan, strict=True):
        ordered = datetime.combine(today - timedelta(days=days_ago + 1), datetime.min.time()) + timedelta(
            hours=rng.randint(1, 8)
        )
        if not days_ago:
            order._set_state("approved", date_submitted=ordered, date_approved=ordered + timedelta(hours=3))
            continue
        shipped = ordered + timedelta(days=1, hours=2)  # today - days_ago, in the morning (China)
        received = shipped + timedelta(days=2)
        vals = {"date_submitted": ordered, "date_approved": ordered + timedelta(hours=3), "date_shipped": shipped}
        if received.date() < today:
            order._set_state("received", date_received=received, **vals)
        else:
            order._set_state("shipped", **vals)
        for product_code, qty in lines:
            outflow[buyer.parent_id.id, products[product_code].id].append((days_ago, qty))
    return outflow


def _stock_counts(env, rng, members, products, outflow):
    """Two stock counts of every regional distributor and dealer: the sold products cover 2-6 weeks
    (the two best sellers 2-4 days: hot items), two products that do not sell and one that sells far
    too slowly are in stock (slow movers)."""
    today = fields.Date.context_today(env.user)
    Report = env["distribution.stock.report"]
    reports = Report
    xmlids = {}
    for code, member in sorted(members.items()):
        if code not in REPORT_SOURCES:
            continue
        velocity = {}
        for (supplier_id, product_id), moves in outflow.items():
            if supplier_id == member.id:
                velocity[product_id] = sum(qty for days_ago, qty in moves if days_ago <= 90) / 90.0
        sold = sorted((p for p in velocity if velocity[p] > 0), key=lambda p: -velocity[p])
        if not sold:
            continue
        unsold = [p.id for c, p in sorted(products.items()) if p.id not in velocity]
        dead = rng.sample(unsold, min(2, len(unsold)))
        latest = {}
        for rank, product_id in enumerate(sold):
            if rank < 2:
                cover = rng.uniform(2, 4)  # best sellers running out
            elif rank == len(sold) - 1:
                cover = rng.uniform(240, 320)  # overstocked slow seller
            else:
                cover = rng.uniform(14, 45)
            latest[product_id] = max(1, round(velocity[product_id] * cover))
        for product_id in dead:
            latest[product_id] = rng.randint(4, 12) * 10
        earlier = {p: round(q * rng.uniform(0.9, 1.6)) + 5 for p, q in latest.items()}
        by_id = {p.id: p for p in products.values()}
        for index, (days_ago, counts) in enumerate(zip(COUNT_DAYS, (earlier, latest), strict=True)):
            source = REPORT_SOURCES[code][index]
            rows = [(row, by_id[p].default_code, str(qty)) for row, (p, qty) in enumerate(sorted(counts.items()),
                                                                                              start=2)]
            if index == 1:
                rows += [(len(rows) + 2 + i, c, q) for i, (c, q) in enumerate(BAD_ROWS.get(code, []))]
            # the member's user reports it (the reasons of rejected rows are read in each reader's language)
            report = Report.with_context(lang=member.partner_id.lang or env.lang)._import_rows(member, rows, source)
            report.write({"date": today - timedelta(days=days_ago)})
            reports |= report
            xmlids[f"demo_stock_report_{code.lower()}_{'latest' if index else 'earlier'}"] = report
    env["ir.model.data"]._update_xmlids([
        {"xml_id": f"distribution_stock.{name}", "record": record, "noupdate": True}
        for name, record in xmlids.items()
    ])
    return reports
