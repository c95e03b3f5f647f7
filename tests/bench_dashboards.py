"""Dashboards and channel inventory benchmark (issue: sales dashboards and channel inventory).

Data: a channel of 2,000 members (40 regional distributors in 40 provinces of 8 regions, 400 dealers
in 400 cities, 1,560 stores in their dealer's city), 5,000 products in 20 categories and 2,000,000
movement rows over the last 365 days, written into the SOURCE tables of
`distribution.channel.movement`:
- sell-in: 500,000 product lines of posted HQ customer invoices to the distributors (5 % credit
  notes);
- sell-through: 700,000 lines of shipped / received channel orders (dealers buying from their
  distributor, stores from their dealer), plus 1 % of approved orders not shipped yet (on order);
- sell-out: 800,000 lines of paid POS orders of the stores (one point of sale per store, 2 % refunds)
  when distribution_pos is installed; without it there is no sell-out and the output says so;
plus two stock counts (40 and 3 days ago, 300 products each) reported by every distributor and
dealer (`distribution.stock.report`). Within a kind every (member, product, day) is distinct, so
each source line is one movement row.

Posting invoices through the ORM runs at about 180 lines/s here (2,000,000 rows would take hours),
so past the members everything is built set-based in SQL: INSERT ... SELECT over generate_series,
cloned from one real record of each table made through the ORM (an invoice and its line, a channel
order and its line, a point of sale and its session, a stock report and its line). The members
(2,000) and territories go through the ORM, for their constraints, parent paths and pricelists.
BENCH_DASH_SCALE=0.05 scales members, products and rows down (for development).

Measured in the same run:
1. the floor: a plain `SELECT count(*), sum(quantity)` over the same source rows (no join, no
   grouping: what any aggregate over them has to read at least), median of 3 runs after a warm-up;
2. each dashboard figure, as the web client asks for it (a pivot's `formatted_read_grouping_sets`
   with the grouping sets of its row and column group-bys, a graph's or a top-10's
   `formatted_read_group`, a list's `web_search_read`), as a channel manager (record rules apply),
   median of 3 runs after a warm-up, the ORM cache cleared before each: sell-in / sell-through /
   sell-out by territory x month, by tier, top and bottom 10 members, by product, by month, read from
   the monthly aggregates the nightly job stores (`distribution.channel.sales.member` / `.product`,
   measured after the job); channel stock by tier x category; stock cover by tier, the slow movers, hot items
   and suggestions lists; and, when distribution_dashboard is installed, every pivot, chart and list
   of its spreadsheet dashboards (their global filters left empty: each figure reads the whole
   year) and the default pivot of each of its SQL views (the rebate, commission, statement, diversion
   and approval figures there read only what the database holds: the other benches load those);
   The same figures over the live view `distribution.channel.movement` are measured too (before the
   job) and reported apart as drill-down figures, with the drill-down lists a user opens from an
   aggregate row (one member or product, one month, one kind) or from a territory: the live view
   stays for the drill-down, the dashboards no longer read it;
3. the nightly job `distribution.stock.analysis._cron_refresh()`, twice: the first run inserts the
   rows and notifies the new flags (of the first members: the job leaves the others to its follow-up
   job, not measured here), the second rebuilds them (no new flag to notify); both include the rebuild
   of the monthly sales aggregates (also timed on its own after the job).
Targets: each figure <= 2 s, the nightly job <= 60 s. The ratio printed is the worst time / target
over the dashboard figures and the job (<= 1 is met); the drill-down figures are printed apart. Everything is rolled back at the end.
"""

import ast
import base64
import json
import math
import os
import statistics
import time
from datetime import date, timedelta

from bench_common import bench_env, columns, timed
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError

SCALE = float(os.environ.get("BENCH_DASH_SCALE", "1"))
N_REGIONS = 8
N_DISTRIBUTORS = max(2, round(40 * SCALE))
N_DEALERS = max(4, round(400 * SCALE))
N_MEMBERS = max(N_DISTRIBUTORS + N_DEALERS + 8, round(2_000 * SCALE))
N_STORES = N_MEMBERS - N_DISTRIBUTORS - N_DEALERS
N_PRODUCTS = max(100, round(5_000 * SCALE))
N_CATEGORIES = 20
DAYS = 365
SELL_IN_LINES = round(500_000 * SCALE)
SELL_IN_PER_INVOICE = 20
SELL_THROUGH_LINES = round(700_000 * SCALE)
SELL_THROUGH_PER_ORDER = 10
SELL_OUT_LINES = round(800_000 * SCALE)
SELL_OUT_PER_ORDER = 4
STOCK_LINES = min(300, N_PRODUCTS)
STOCK_COUNT_DAYS = (40, 3)
FIGURE_TARGET = 2.0
JOB_TARGET = 60.0
REPEAT = 3
MOVEMENT = "distribution.channel.movement"
SALES_MEMBER = "distribution.channel.sales.member"
SALES_PRODUCT = "distribution.channel.sales.product"
CHANNEL_STOCK = "distribution.channel.stock"
STOCK_REPORT = "distribution.stock.report"
ANALYSIS = "distribution.stock.analysis"


def spread_day(n_members, mod="%"):
    """SQL: how many days before yesterday document g of member g % n falls. The member's i-th document
    (i = g / n) goes to day (149 i + 31 k) mod 365: its first 365 documents fall on 365 different days
    spread over the year (149 is prime to 365), the next ones (slot i / 365) on the same days again."""
    return f"((g / {n_members}) * 149 + (g {mod} {n_members}) * 31) {mod} {DAYS}"


class Bench:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.today = date.today()
        self.notes = []
        self.installed = set(
            env["ir.module.module"].search([("state", "=", "installed"), ("name", "like", "distribution_%")]).mapped("name")
        )

    def sql(self, query, params=None):
        self.cr.execute(query, params)

    def day(self, days_ago_expr):
        """SQL date `days_ago_expr` days before yesterday (the data ends yesterday)."""
        return f"(DATE '{self.today.isoformat()}' - 1 - ({days_ago_expr}))"

    # ------------------------------------------------------------------ data --
    def build(self):
        counts = {}
        self.build_channel()
        self.build_products()
        counts["sell-in"] = self.build_sell_in()
        counts["sell-through"] = self.build_sell_through()
        if "distribution_pos" in self.installed:
            counts["sell-out"] = self.build_sell_out()
        else:
            self.notes.append("distribution_pos is not installed: no POS orders, so no sell-out rows")
        if STOCK_REPORT in self.env:
            counts["reported stock"] = self.build_stock_reports()
        else:
            self.notes.append(f"{STOCK_REPORT} is not installed: no reported stock")
        self.env.invalidate_all()
        self.sql("ANALYZE")
        return counts

    def build_channel(self):
        env = self.env
        company = env.company
        Territory = env["distribution.territory"]
        regions = Territory.create([{"name": f"Bench region {i}", "code": f"BRG{i}"} for i in range(N_REGIONS)])
        provinces = Territory.create(
            [{"name": f"Bench province {i:02d}", "code": f"BPR{i:02d}", "territory_type": "state",
              "parent_id": regions[i % N_REGIONS].id} for i in range(N_DISTRIBUTORS)]
        )
        cities = Territory.create(
            [{"name": f"Bench city {i:03d}", "code": f"BCT{i:03d}", "territory_type": "city",
              "parent_id": provinces[i % N_DISTRIBUTORS].id} for i in range(N_DEALERS)]
        )
        partners = env["res.partner"].create(
            [{"name": f"Bench member {i:04d}", "is_company": True} for i in range(N_MEMBERS)]
        )
        self.manager = env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": "Bench channel manager",
                "login": "bench_dash_manager",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.link(env.ref("distribution_core.group_channel_manager").id)],
            }
        )
        Member = env["distribution.member"]
        common = {"state": "active", "company_id": company.id, "manager_id": self.manager.id}
        self.distributors = Member.create(
            [dict(common, partner_id=partners[i].id, code=f"BRD{i:04d}", territory_id=provinces[i].id,
                  tier_id=env.ref("distribution_core.tier_regional_distributor").id)
             for i in range(N_DISTRIBUTORS)]
        )
        first = N_DISTRIBUTORS
        self.dealers = Member.create(
            [dict(common, partner_id=partners[first + i].id, code=f"BDL{i:04d}", territory_id=cities[i].id,
                  tier_id=env.ref("distribution_core.tier_dealer").id, parent_id=self.distributors[i % N_DISTRIBUTORS].id)
             for i in range(N_DEALERS)]
        )
        first += N_DEALERS
        self.stores = Member.create(
            [dict(common, partner_id=partners[first + i].id, code=f"BST{i:04d}", territory_id=cities[i % N_DEALERS].id,
                  tier_id=env.ref("distribution_core.tier_store").id, parent_id=self.dealers[i % N_DEALERS].id)
             for i in range(N_STORES)]
        )
        env.flush_all()
        for table, members in (("bench_dist", self.distributors), ("bench_store", self.stores),
                               ("bench_buyer", self.dealers | self.stores),
                               ("bench_reporter", self.distributors | self.dealers)):
            self.sql(
                f"CREATE TEMP TABLE {table} AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, partner_id, "
                "parent_id, tier_id, territory_id FROM distribution_member WHERE id = ANY(%s)",
                [members.ids],
            )
            self.sql(f"CREATE UNIQUE INDEX ON {table} (k); ANALYZE {table}")

    def build_products(self):
        """5,000 saleable storable products in 20 categories, cloned from one real product."""
        env = self.env
        root = env["product.category"].create({"name": "Bench dashboards"})
        categories = env["product.category"].create(
            [{"name": f"Bench category {i:02d}", "parent_id": root.id} for i in range(N_CATEGORIES)]
        )
        vals = {"name": "Bench product 00000", "default_code": "BDP-00000", "list_price": 10.0, "sale_ok": True,
                "is_storable": True, "categ_id": categories[0].id, "taxes_id": False}
        if "available_in_pos" in env["product.template"]._fields:
            vals["available_in_pos"] = True
        template = env["product.template"].create(vals)
        env.flush_all()
        self.sql("CREATE TEMP TABLE bench_categ AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM "
                 "product_category WHERE id = ANY(%s)", [categories.ids])
        cols, values = columns(
            self.cr,
            "product_template",
            {
                "name": "jsonb_build_object('en_US', 'Bench product ' || lpad(g::text, 5, '0'))",
                "default_code": "'BDP-' || lpad(g::text, 5, '0')",
                "list_price": "10 + g % 40",
                "categ_id": "c.id",
            },
        )
        self.sql(
            f"""
            INSERT INTO product_template ({cols})
            SELECT {values} FROM product_template t, generate_series(1, %s) g
              JOIN bench_categ c ON c.k = g %% {N_CATEGORIES}
             WHERE t.id = %s
         RETURNING id
            """,
            [N_PRODUCTS - 1, template.id],
        )
        template_ids = [template.id, *(row[0] for row in self.cr.fetchall())]
        cols, values = columns(self.cr, "product_product", {"product_tmpl_id": "pt.id", "barcode": "NULL",
                                                              "default_code": "pt.default_code"})
        self.sql(
            f"""
            INSERT INTO product_product ({cols})
            SELECT {values} FROM product_product t, product_template pt
             WHERE t.id = %s AND pt.id = ANY(%s) AND pt.id <> t.product_tmpl_id
            """,
            [template.product_variant_id.id, template_ids],
        )
        self.sql(
            "CREATE TEMP TABLE bench_product AS SELECT row_number() OVER (ORDER BY p.id) - 1 AS k, p.id, "
            "t.list_price FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id "
            "WHERE t.id = ANY(%s)",
            [template_ids],
        )
        self.sql("CREATE UNIQUE INDEX ON bench_product (k); ANALYZE bench_product; ANALYZE product_template; "
                 "ANALYZE product_product")
        self.product = template.product_variant_id

    def build_sell_in(self):
        """Posted invoices of HQ to the distributors (5 % credit notes), 20 product lines each.
        Invoice g: distributor g % D, day `spread_day`; the products of its lines are distinct
        within the distributor's day."""
        env, cr = self.env, self.cr
        template = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.distributors[0].partner_id.id,
                "invoice_date": self.today - timedelta(days=DAYS),
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 1,
                                                     "price_unit": 10.0, "tax_ids": []})],
            }
        )
        template.action_post()
        env.flush_all()
        day = self.day(spread_day(N_DISTRIBUTORS))
        cols, values = columns(
            cr,
            "account_move",
            {
                "name": "'BDASH/' || g",
                "ref": "g::text",
                "partner_id": "d.partner_id",
                "commercial_partner_id": "d.partner_id",
                "channel_member_id": "d.id",
                "invoice_date": day,
                "date": day,
                "invoice_date_due": f"{day} + 30",
                "move_type": "CASE WHEN g % 20 = 7 THEN 'out_refund' ELSE 'out_invoice' END",
                "payment_state": "'paid'",
                "state": "'posted'",
            },
        )
        cr.execute(
            f"""
            INSERT INTO account_move ({cols})
            SELECT {values} FROM account_move t, generate_series(0, %s - 1) g
              JOIN bench_dist d ON d.k = g %% {N_DISTRIBUTORS}
             WHERE t.id = %s
         RETURNING id, ref::int
            """,
            [SELL_IN_LINES // SELL_IN_PER_INVOICE, template.id],
        )
        moves = cr.fetchall()
        cr.execute(
            f"""
            CREATE TEMP TABLE bench_move AS
            SELECT id, g, g %% {N_DISTRIBUTORS} AS member_k, {spread_day(N_DISTRIBUTORS, "%%")} AS day,
                   g / {N_DISTRIBUTORS * DAYS} AS slot
              FROM unnest(%s::int[], %s::int[]) AS b(id, g)
            """,
            [[m[0] for m in moves], [m[1] for m in moves]],
        )
        cr.execute("ANALYZE bench_move; ANALYZE account_move")
        sign = "CASE WHEN mv.move_type = 'out_refund' THEN 1 ELSE -1 END"
        qty = "(10 + (b.g * 7 + n) % 90)"
        amount = f"{qty} * p.list_price"
        cols, values = columns(
            cr,
            "account_move_line",
            {
                "move_id": "mv.id",
                "move_name": "mv.name",
                "partner_id": "mv.partner_id",
                "date": "mv.date",
                "invoice_date": "mv.invoice_date",
                "product_id": "p.id",
                "quantity": qty,
                "price_unit": "p.list_price",
                "balance": f"{sign} * {amount}",
                "amount_currency": f"{sign} * {amount}",
                "price_subtotal": amount,
                "price_total": amount,
                "debit": f"CASE WHEN mv.move_type = 'out_refund' THEN {amount} ELSE 0 END",
                "credit": f"CASE WHEN mv.move_type = 'out_refund' THEN 0 ELSE {amount} END",
            },
        )
        cr.execute(
            f"""
            INSERT INTO account_move_line ({cols})
            SELECT {values}
              FROM account_move_line t, bench_move b
              JOIN account_move mv ON mv.id = b.id
             CROSS JOIN generate_series(0, {SELL_IN_PER_INVOICE - 1}) n
              JOIN bench_product p
                ON p.k = (b.member_k * 131 + b.day * 17 + b.slot * {SELL_IN_PER_INVOICE} + n) %% {N_PRODUCTS}
             WHERE t.id = %s
            """,
            [template.invoice_line_ids.id],
        )
        return cr.rowcount

    def build_sell_through(self):
        """Channel orders of the dealers and stores to their supplier, 10 lines each: received, shipped
        in the last 5 days, and 1 % approved in the last 10 days (not shipped: on order, no movement).
        Order g: buyer g % B, day `spread_day`."""
        env, cr = self.env, self.cr
        template = env["distribution.channel.order"].create(
            {"buyer_member_id": self.dealers[0].id,
             "line_ids": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]}
        )
        env.flush_all()
        n_buyers = N_DEALERS + N_STORES
        day = spread_day(n_buyers)
        moment = f"({self.day(day)} + INTERVAL '10 hours')"
        state = f"CASE WHEN g % 100 = 99 AND {day} < 10 THEN 'approved' WHEN {day} < 5 THEN 'shipped' ELSE 'received' END"
        cols, values = columns(
            cr,
            "distribution_channel_order",
            {
                "name": "'BCO/' || g",
                "buyer_member_id": "b.id",
                "supplier_member_id": "b.parent_id",
                "channel_tier_id": "b.tier_id",
                "channel_territory_id": "b.territory_id",
                "state": state,
                "date_submitted": f"{moment} - INTERVAL '2 days'",
                "date_approved": f"{moment} - INTERVAL '1 day'",
                "date_shipped": f"CASE WHEN g % 100 = 99 AND {day} < 10 THEN NULL ELSE {moment} END",
                "date_received": f"CASE WHEN {day} < 5 THEN NULL ELSE {moment} + INTERVAL '1 day' END",
                "access_token": "NULL",
            },
        )
        cr.execute(
            f"""
            INSERT INTO distribution_channel_order ({cols})
            SELECT {values} FROM distribution_channel_order t, generate_series(0, %s - 1) g
              JOIN bench_buyer b ON b.k = g %% {n_buyers}
             WHERE t.id = %s
         RETURNING id, substr(name, 5)::int
            """,
            [SELL_THROUGH_LINES // SELL_THROUGH_PER_ORDER, template.id],
        )
        orders = cr.fetchall()
        cr.execute(
            f"""
            CREATE TEMP TABLE bench_order AS
            SELECT id, g, g %% {n_buyers} AS buyer_k, {spread_day(n_buyers, "%%")} AS day,
                   g / {n_buyers * DAYS} AS slot
              FROM unnest(%s::int[], %s::int[]) AS b(id, g)
            """,
            [[o[0] for o in orders], [o[1] for o in orders]],
        )
        cr.execute("ANALYZE bench_order; ANALYZE distribution_channel_order")
        qty = "(1 + (b.g * 3 + n) % 30)"
        cols, values = columns(
            cr,
            "distribution_channel_order_line",
            {
                "order_id": "o.id",
                "sequence": "n",
                "product_id": "p.id",
                "product_uom_qty": qty,
                "price_unit": "p.list_price * 0.8",
                "price_subtotal": f"{qty} * p.list_price * 0.8",
                "state": "o.state",
                "buyer_member_id": "o.buyer_member_id",
                "supplier_member_id": "o.supplier_member_id",
                "date_submitted": "o.date_submitted",
            },
        )
        cr.execute(
            f"""
            INSERT INTO distribution_channel_order_line ({cols})
            SELECT {values}
              FROM distribution_channel_order_line t, bench_order b
              JOIN distribution_channel_order o ON o.id = b.id
             CROSS JOIN generate_series(0, {SELL_THROUGH_PER_ORDER - 1}) n
              JOIN bench_product p
                ON p.k = (b.buyer_k * 37 + b.day * 11 + b.slot * {SELL_THROUGH_PER_ORDER} + n) %% {N_PRODUCTS}
             WHERE t.id = %s
            """,
            [template.line_ids.id],
        )
        cr.execute(
            "SELECT count(*) FILTER (WHERE o.state IN ('shipped', 'received')), count(*) "
            "FROM distribution_channel_order_line l JOIN distribution_channel_order o ON o.id = l.order_id "
            "WHERE o.id IN (SELECT id FROM bench_order)"
        )
        shipped, total = cr.fetchone()
        self.notes.append(f"sell-through: {total - shipped:,} lines of approved orders not shipped (on order)")
        return shipped

    def build_sell_out(self):
        """A point of sale and a session per store (cloned from a real one), paid orders of 4 lines
        (2 % refunds). Order g: store g % S, day `spread_day`."""
        env, cr = self.env, self.cr
        config = env["pos.config"].create({"name": "Bench store POS"})
        session = env["pos.session"].create({"config_id": config.id, "user_id": env.uid})
        env.flush_all()
        cols, values = columns(cr, "pos_config", {"name": "'Bench POS ' || s.k", "channel_member_id": "s.id"})
        cr.execute(
            f"INSERT INTO pos_config ({cols}) SELECT {values} FROM pos_config t, bench_store s WHERE t.id = %s "
            "RETURNING id, channel_member_id",
            [config.id],
        )
        configs = cr.fetchall()
        cr.execute(
            "CREATE TEMP TABLE bench_pos AS SELECT s.k, s.id AS member_id, s.territory_id, c.config_id "
            "FROM unnest(%s::int[], %s::int[]) AS c(config_id, member_id) JOIN bench_store s ON s.id = c.member_id",
            [[c[0] for c in configs], [c[1] for c in configs]],
        )
        cols, values = columns(cr, "pos_session", {"config_id": "b.config_id", "name": "'BPOS/' || b.k",
                                                   "state": "'closed'"})
        cr.execute(
            f"INSERT INTO pos_session ({cols}) SELECT {values} FROM pos_session t, bench_pos b WHERE t.id = %s "
            "RETURNING id, config_id",
            [session.id],
        )
        sessions = {c: s for s, c in cr.fetchall()}
        cr.execute("ALTER TABLE bench_pos ADD COLUMN session_id int")
        cr.execute("UPDATE bench_pos b SET session_id = s.session_id FROM unnest(%s::int[], %s::int[]) "
                   "AS s(config_id, session_id) WHERE s.config_id = b.config_id",
                   [list(sessions), list(sessions.values())])
        cr.execute("CREATE UNIQUE INDEX ON bench_pos (k); ANALYZE bench_pos")
        day = spread_day(N_STORES)
        company, uid = int(env.company.id), int(env.uid)
        # no parameters: the query keeps its % (modulo) as is
        cr.execute(
            f"""
            INSERT INTO pos_order (name, pos_reference, session_id, config_id, company_id, user_id, state, date_order,
                                   currency_rate, amount_tax, amount_total, amount_paid, amount_return, is_refund,
                                   sequence_number, create_uid, create_date, write_uid, write_date)
            SELECT 'BPOS/' || g, 'BPOS-' || g, b.session_id, b.config_id, {company}, {uid}, 'paid',
                   {self.day(day)} + INTERVAL '3 hours', 1, 0, 0, 0, 0, g % 50 = 3, g, {uid}, now(), {uid}, now()
              FROM generate_series(0, {SELL_OUT_LINES // SELL_OUT_PER_ORDER - 1}) g
              JOIN bench_pos b ON b.k = g % {N_STORES}
         RETURNING id, substr(name, 6)::int
            """
        )
        orders = cr.fetchall()
        cr.execute(
            f"""
            CREATE TEMP TABLE bench_pos_order AS
            SELECT id, g, g %% {N_STORES} AS store_k, {spread_day(N_STORES, "%%")} AS day,
                   g / {N_STORES * DAYS} AS slot
              FROM unnest(%s::int[], %s::int[]) AS o(id, g)
            """,
            [[o[0] for o in orders], [o[1] for o in orders]],
        )
        cr.execute("ANALYZE bench_pos_order; ANALYZE pos_order")
        cr.execute(
            f"""
            INSERT INTO pos_order_line (order_id, product_id, company_id, name, full_product_name, qty, price_unit,
                                        price_subtotal, price_subtotal_incl, discount, price_type,
                                        channel_member_id, channel_territory_id,
                                        create_uid, create_date, write_uid, write_date)
            SELECT o.id, p.id, %s, 'BPOS/' || o.g || '/' || n, 'Bench product', q.qty, p.list_price * 1.5,
                   q.qty * p.list_price * 1.5, q.qty * p.list_price * 1.5, 0, 'original',
                   s.member_id, s.territory_id, %s, now(), %s, now()
              FROM bench_pos_order o
              JOIN bench_pos s ON s.k = o.store_k
             CROSS JOIN generate_series(0, {SELL_OUT_PER_ORDER - 1}) n
             CROSS JOIN LATERAL (SELECT CASE WHEN o.g %% 50 = 3 THEN -1 ELSE 1 + (o.g + n) %% 5 END AS qty) q
              JOIN bench_product p
                ON p.k = (o.store_k * 53 + o.day * 7 + o.slot * {SELL_OUT_PER_ORDER} + n) %% {N_PRODUCTS}
            """,
            [env.company.id, env.uid, env.uid],
        )
        return cr.rowcount

    def build_stock_reports(self):
        """Two submitted stock counts per distributor and dealer (40 and 3 days ago), 300 products each,
        cloned from one real report; quantities 0-239 (some zero, some far above the outflow)."""
        env, cr = self.env, self.cr
        report = env[STOCK_REPORT].create(
            {"member_id": self.distributors[0].id, "date": self.today, "source": "backend",
             "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})]}
        )
        env.flush_all()
        cr.execute(f"UPDATE {env[STOCK_REPORT]._table} SET state = 'done' WHERE id = %s", [report.id])
        counts = len(STOCK_COUNT_DAYS)
        cols, values = columns(
            cr,
            env[STOCK_REPORT]._table,
            {
                "name": "'BSTK/' || m.k || '/' || c.n",
                "member_id": "m.id",
                "date": f"DATE '{self.today.isoformat()}' - c.days",
                "source": "CASE WHEN m.k % 2 = 0 THEN 'portal' ELSE 'upload' END",
                "state": "'done'",
            },
        )
        cr.execute(
            f"""
            INSERT INTO {env[STOCK_REPORT]._table} ({cols})
            SELECT {values} FROM {env[STOCK_REPORT]._table} t, bench_reporter m,
                   unnest(%s::int[], %s::int[]) AS c(n, days)
             WHERE t.id = %s
         RETURNING id, member_id, date
            """,
            [list(range(counts)), list(STOCK_COUNT_DAYS), report.id],
        )
        rows = cr.fetchall()
        cr.execute(
            "CREATE TEMP TABLE bench_count AS SELECT r.id, r.date, m.id AS member_id, m.k FROM "
            "unnest(%s::int[], %s::int[], %s::date[]) AS r(id, member_id, date) "
            "JOIN bench_reporter m ON m.id = r.member_id",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
        )
        cr.execute("ANALYZE bench_count")
        line_model = env[STOCK_REPORT]._fields["line_ids"].comodel_name
        stride = next(s for s in (7, 11, 13, 17, 19) if math.gcd(s, N_PRODUCTS) == 1)
        cols, values = columns(
            cr,
            env[line_model]._table,
            {
                "report_id": "c.id",
                "member_id": "c.member_id",
                "date": "c.date",
                "product_id": "p.id",
                "quantity": "(c.k * 31 + j * 13 + (c.date - DATE '2000-01-01')) % 240",
            },
        )
        cr.execute(
            f"""
            INSERT INTO {env[line_model]._table} ({cols})
            SELECT {values}
              FROM {env[line_model]._table} t, bench_count c
             CROSS JOIN generate_series(0, {STOCK_LINES - 1}) j
              JOIN bench_product p ON p.k = (c.k * 97 + j * {stride}) %% {N_PRODUCTS}
             WHERE t.id = %s
            """,
            [report.line_ids.id],
        )
        return cr.rowcount

    # ----------------------------------------------------------------- floor --
    def floor_query(self):
        parts = [
            "SELECT quantity AS q FROM account_move_line WHERE parent_state = 'posted' AND display_type = 'product' "
            "AND move_id IN (SELECT id FROM account_move WHERE move_type IN ('out_invoice', 'out_refund'))",
            "SELECT product_uom_qty FROM distribution_channel_order_line WHERE state IN ('shipped', 'received')",
        ]
        if "distribution_pos" in self.installed:
            parts.append("SELECT qty FROM pos_order_line WHERE order_id IN "
                         "(SELECT id FROM pos_order WHERE state IN ('paid', 'done'))")
        self.sql(f"SELECT count(*), sum(q) FROM ({' UNION ALL '.join(parts)}) s")
        return self.cr.fetchone()

    # --------------------------------------------------------------- figures --
    def figures(self):
        """[(name, model, callable returning the number of groups / records)]"""
        env = self.env(user=self.manager.id, context={"lang": "en_US", "tz": "UTC"})
        figures = []

        def add(name, model, func):
            if model in env:
                figures.append((name, model, func, env))
            else:
                self.notes.append(f"{name}: {model} is not installed, not measured")

        # the dashboard figures: the monthly aggregates (filled by the nightly job, measured after it)
        SM, SP = SALES_MEMBER, SALES_PRODUCT
        add("sales_kinds", SM, lambda e: pivot(e, SM, [], ["kind"], [], ["__count", "quantity"]))
        add("sales_territory_month", SM, lambda e: pivot(e, SM, [], ["territory_id"], ["kind", "month:month"],
                                                         ["quantity", "amount"]))
        add("sales_tier", SM, lambda e: pivot(e, SM, [], ["tier_id"], ["kind"], ["quantity", "amount"]))
        for kind in ("sell_in", "sell_through", "sell_out"):
            add(f"sales_top10_{kind}", SM,
                lambda e, kind=kind: top(e, SM, [("kind", "=", kind)], "member_id", "amount", "desc"))
        add("sales_bottom10_sell_out", SM,
            lambda e: top(e, SM, [("kind", "=", "sell_out")], "member_id", "amount", "asc"))
        add("sales_product_sell_out", SP, lambda e: pivot(e, SP, [("kind", "=", "sell_out")], ["product_id"], [],
                                                          ["quantity", "amount"]))
        add("sales_category_month", SP, lambda e: pivot(e, SP, [("kind", "=", "sell_out")], ["categ_id"],
                                                        ["month:month"], ["quantity"]))
        add("sales_month_graph", SM, lambda e: graph(e, SM, [], ["month:month", "kind"], "amount"))
        add("sales_list", SM, lambda e: listing(
            e, SM, [("territory_id", "=", self.stores[0].territory_id.id), ("kind", "=", "sell_out")],
            ["month", "member_id", "kind", "quantity", "amount"], "month desc"))

        # the drill-down figures: the same over the live view, and the lists an aggregate row opens
        M = MOVEMENT
        month = self.today.replace(day=1)
        # last month: what action_view_movements of an aggregate row of last month opens
        month_domain = [("date", ">=", (month - timedelta(days=1)).replace(day=1)), ("date", "<", month)]
        add("mv_kinds", M, lambda e: pivot(e, M, [], ["kind"], [], ["__count", "quantity"]))
        add("mv_territory_month", M, lambda e: pivot(e, M, [], ["territory_id"], ["kind", "date:month"],
                                                     ["quantity", "amount"]))
        add("mv_tier", M, lambda e: pivot(e, M, [], ["tier_id"], ["kind"], ["quantity", "amount"]))
        for kind in ("sell_in", "sell_through", "sell_out"):
            add(f"mv_top10_{kind}", M, lambda e, kind=kind: top(e, M, [("kind", "=", kind)], "member_id", "amount", "desc"))
        add("mv_bottom10_sell_out", M, lambda e: top(e, M, [("kind", "=", "sell_out")], "member_id", "amount", "asc"))
        add("mv_product", M, lambda e: pivot(e, M, [], ["product_id"], ["kind"], ["quantity", "amount"]))
        add("mv_category_month", M, lambda e: pivot(e, M, [("kind", "=", "sell_out")], ["categ_id"], ["date:month"],
                                                    ["quantity"]))
        add("mv_month_graph", M, lambda e: graph(e, M, [], ["date:month", "kind"], "amount"))
        add("mv_drill_list", M, lambda e: listing(
            e, M, [("territory_id", "=", self.stores[0].territory_id.id), ("kind", "=", "sell_out"),
                   ("date", ">=", self.today - timedelta(days=30))],
            ["date", "member_id", "product_id", "kind", "quantity", "amount"], "date desc"))
        add("mv_drill_member_month", M, lambda e: listing(
            e, M, [*month_domain, ("kind", "=", "sell_out"), ("member_id", "=", self.stores[0].id)],
            ["date", "member_id", "product_id", "kind", "quantity", "amount"], "date desc"))
        add("mv_drill_product_month", M, lambda e: listing(
            e, M, [*month_domain, ("kind", "=", "sell_through"), ("product_id", "=", self.product.id)],
            ["date", "member_id", "product_id", "kind", "quantity", "amount"], "date desc"))
        add("stock_tier_categ", CHANNEL_STOCK, lambda e: pivot(e, CHANNEL_STOCK, [], ["tier_id"], ["categ_id"], ["quantity"]))
        A = ANALYSIS
        add("cover_tier", A, lambda e: pivot(e, A, [], ["tier_id"], [], ["on_hand", "outflow_qty", "on_order",
                                                                          "suggested_qty"]))
        add("slow_list", A, lambda e: listing(e, A, [("is_slow", "=", True)],
                                               ["member_id", "product_id", "on_hand", "days_cover", "last_outflow_date"],
                                               "days_cover desc"))
        add("slow_by_member", A, lambda e: top(e, A, [("is_slow", "=", True)], "member_id", "on_hand", "desc"))
        add("hot_list", A, lambda e: listing(e, A, [("is_hot", "=", True)],
                                              ["member_id", "product_id", "on_hand", "velocity", "days_cover"],
                                              "velocity desc"))
        add("suggestions_list", A, lambda e: listing(e, A, [("suggested_qty", ">", 0)],
                                                      ["member_id", "product_id", "on_hand", "on_order", "suggested_qty"],
                                                      "suggested_qty desc"))
        if "distribution_dashboard" in self.installed:
            figures += [(name, model, func, env) for name, model, func in dashboard_figures(env)]
            self.notes.append(
                "the rebate, commission, statement, diversion and approval figures of the dashboards read only what "
                "the database holds (this bench builds movements and stock; bench_rebates, bench_statements and "
                "bench_approvals load those volumes)"
            )
        else:
            self.notes.append("distribution_dashboard is not installed: its figures are not measured")
        return figures

    def measure(self, figures, floor):
        """Median of 3 runs after a warm-up, the ORM cache cleared before each; a figure whose warm-up
        takes more than 5 times the target is run once more only (the full-scale run stays reasonable)."""
        results = []
        for name, model, func, env in figures:
            try:
                start = time.perf_counter()
                groups = func(env)  # the warm-up
            except AccessError as e:
                self.notes.append(f"{name}: the channel manager may not read it ({e}), measured as superuser")
                env = self.env
                start = time.perf_counter()
                groups = func(env)
            warm_up = time.perf_counter() - start
            samples = []
            for _i in range(REPEAT if warm_up <= 5 * FIGURE_TARGET else 1):
                env.invalidate_all()
                start = time.perf_counter()
                func(env)
                samples.append(time.perf_counter() - start)
            seconds = statistics.median(samples)
            results.append((name, model, groups, seconds))
            print(f"  {name:<32} {seconds:7.3f}s = {seconds / floor:5.1f} x floor, {seconds / FIGURE_TARGET:5.2f} of "
                  f"target  ({groups:,} groups/records, {model}, {len(samples)} run(s))", flush=True)
        return results

    def nightly_job(self):
        if ANALYSIS not in self.env or not hasattr(self.env[ANALYSIS], "_cron_refresh"):
            self.notes.append(f"{ANALYSIS}._cron_refresh is not installed: nightly job not measured")
            return []
        Analysis = self.env(context={})[ANALYSIS]
        runs = []
        for _i in range(2):
            self.env.invalidate_all()
            start = time.perf_counter()
            Analysis._cron_refresh()
            self.env.flush_all()
            runs.append(time.perf_counter() - start)
        self.sql(f"SELECT count(*), count(*) FILTER (WHERE is_slow), count(*) FILTER (WHERE is_hot), "
                 f"count(*) FILTER (WHERE suggested_qty > 0) FROM {self.env[ANALYSIS]._table}")
        rows, slow, hot, suggested = self.cr.fetchone()
        print(f"nightly job: {rows:,} member x product rows, {slow:,} slow, {hot:,} hot, {suggested:,} suggestions; "
              f"first run {runs[0]:.1f}s, second run {runs[1]:.1f}s (target <= {JOB_TARGET:.0f}s, sales aggregates "
              "included)", flush=True)
        if hasattr(Analysis, "_refresh_sales_aggregates"):
            start = time.perf_counter()
            for company in self.env["distribution.member"].sudo().search([]).company_id:
                Analysis._refresh_sales_aggregates(company)
            self.env.flush_all()
            seconds = time.perf_counter() - start
            counts = [self.env[m].sudo().search_count([]) for m in (SALES_MEMBER, SALES_PRODUCT)]
            print(f"  of which the sales aggregates: {seconds:.1f}s ({counts[0]:,} member x month x kind rows, "
                  f"{counts[1]:,} product x month x kind rows)", flush=True)
        return runs


# ------------------------------------------------------------------ figures --
def aggregate(model, measure):
    """'field' -> 'field:<its aggregator>'; '__count' and 'field:aggregator' as they are."""
    if measure == "__count" or ":" in measure:
        return measure
    return f"{measure}:{model._fields[measure].aggregator or 'sum'}"


def pivot(env, model_name, domain, rows, cols, measures):
    """What a pivot view (or a spreadsheet pivot) asks for: all row x column group-by prefixes at once."""
    model = env[model_name]
    measures = [m for m in measures if m == "__count" or m.split(":")[0] in model._fields]
    sets = [rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)]
    result = model.formatted_read_grouping_sets(domain, sets, [aggregate(model, m) for m in measures])
    return len(result[-1])


def top(env, model_name, domain, groupby, measure, direction, limit=10):
    """A top / bottom 10 (a graph sorted by its measure, or a pivot sorted on a column)."""
    model = env[model_name]
    spec = aggregate(model, measure)
    return len(model.formatted_read_group(domain, [groupby], [spec, "__count"], order=f"{spec} {direction}", limit=limit))


def graph(env, model_name, domain, groupby, measure):
    model = env[model_name]
    return len(model.formatted_read_group(domain, groupby, [aggregate(model, measure)]))


def listing(env, model_name, domain, fields, order, limit=80):
    """A list view's first page (or a pivot cell's drill-down): records and their count."""
    model = env[model_name]
    spec = {}
    for name in fields:
        if name not in model._fields:
            continue
        spec[name] = {"fields": {"display_name": {}}} if model._fields[name].type == "many2one" else {}
    order = order if order.split()[0] in model._fields else None
    return model.web_search_read(domain, spec, limit=limit, order=order)["length"]


def spreadsheet_domain(domain):
    if isinstance(domain, str):
        return ast.literal_eval(domain.replace("true", "True").replace("false", "False").replace("null", "None"))
    return domain or []


def dashboard_figures(env):
    """Every pivot, chart and list of distribution_dashboard's spreadsheets, and the default pivot of each
    of its SQL views (as its pivot view's rows / columns / measures)."""
    figures = []
    data = env["ir.model.data"].sudo()
    dashboards = env["spreadsheet.dashboard"].sudo().browse(
        data.search([("module", "=", "distribution_dashboard"), ("model", "=", "spreadsheet.dashboard")]).mapped("res_id")
    )
    for dashboard in dashboards.exists():
        raw = dashboard.spreadsheet_data if "spreadsheet_data" in dashboard._fields else None
        content = json.loads(raw or base64.b64decode(dashboard.spreadsheet_binary_data))
        tag = "dash_" + "".join(c if c.isalnum() else "_" for c in dashboard.with_context(lang="en_US").name.lower())
        for key, spec in (content.get("pivots") or {}).items():
            if spec.get("type", "ODOO") != "ODOO" or spec.get("model") not in env:
                continue
            rows = [d["fieldName"] + (f":{d['granularity']}" if d.get("granularity") else "") for d in spec.get("rows", [])]
            cols = [d["fieldName"] + (f":{d['granularity']}" if d.get("granularity") else "")
                    for d in spec.get("columns", [])]
            measures = [m["fieldName"] + (f":{m['aggregator']}" if m.get("aggregator") else "")
                        for m in spec.get("measures", [])]
            figures.append((f"{tag}_pivot{key}", spec["model"],
                            lambda e, s=spec, r=rows, c=cols, m=measures: pivot(e, s["model"], spreadsheet_domain(
                                s.get("domain")), r, c, m)))
        for key, spec in (content.get("lists") or {}).items():
            if spec.get("model") not in env:
                continue
            order = ", ".join(f"{o['name']} {'asc' if o.get('asc') else 'desc'}" for o in spec.get("orderBy", []))
            fields = [c if isinstance(c, str) else c.get("name") for c in spec.get("columns", [])]
            figures.append((f"{tag}_list{key}", spec["model"],
                            lambda e, s=spec, f=fields, o=order: listing(e, s["model"], spreadsheet_domain(s.get("domain")),
                                                                           f, o or "id")))
        charts = [figure["data"] for sheet in content.get("sheets", []) for figure in sheet.get("figures", [])
                  if figure.get("tag") == "chart" and str(figure.get("data", {}).get("type", "")).startswith("odoo_")]
        for index, chart in enumerate(charts, start=1):
            meta, search = chart.get("metaData", {}), chart.get("searchParams", {})
            if meta.get("resModel") not in env:
                continue
            figures.append((f"{tag}_chart{index}", meta["resModel"],
                            lambda e, meta=meta, search=search: graph(e, meta["resModel"], spreadsheet_domain(
                                search.get("domain")), meta.get("groupBy") or [], meta.get("measure") or "__count")))
    models = data.search([("module", "=", "distribution_dashboard"), ("model", "=", "ir.model")])
    for model_name in env["ir.model"].sudo().browse(models.mapped("res_id")).exists().mapped("model"):
        model = env.get(model_name)
        if model is None or model._auto or model._abstract or model._transient:
            continue
        rows, cols, measures = default_pivot(model)
        if rows or cols:
            figures.append((f"view_{model._table}", model_name,
                            lambda e, n=model_name, r=rows, c=cols, m=measures: pivot(e, n, [], r, c, m)))
    return figures


def default_pivot(model):
    """The rows, columns and measures of a model's default pivot view."""
    arch = model.sudo().get_views([(False, "pivot")])["views"]["pivot"]["arch"]
    rows, cols, measures = [], [], []
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name") + (f":{node.get('interval')}" if node.get("interval") else "")
        {"row": rows, "col": cols, "measure": measures}.get(node.get("type"), []).append(name)
    return rows, cols, measures or ["__count"]


def main():
    print(f"scale {SCALE:g}: {N_MEMBERS:,} members ({N_DISTRIBUTORS} distributors, {N_DEALERS} dealers, "
          f"{N_STORES:,} stores), {N_PRODUCTS:,} products", flush=True)
    with bench_env() as env:
        env = env(context=dict(env.context, mail_create_nolog=True, mail_create_nosubscribe=True))
        bench = Bench(env)
        start = time.perf_counter()
        counts = bench.build()
        built = time.perf_counter() - start
        n_rows = sum(n for name, n in counts.items() if name != "reported stock")
        print(f"built in {built:.0f}s (members through the ORM, the rest set-based in SQL INSERT ... SELECT: "
              f"posting invoices through the ORM runs ~180 lines/s): "
              + ", ".join(f"{n:,} {name} lines" for name, n in counts.items()), flush=True)

        bench.floor_query()
        floor = timed(bench.floor_query, repeat=REPEAT)
        floor_rows = bench.floor_query()[0]
        print(f"floor: SELECT count(*), sum(quantity) over the {floor_rows:,} source lines: {floor:.3f}s", flush=True)

        print(f"figures (median of {REPEAT} runs after a warm-up; target <= {FIGURE_TARGET:g}s each):", flush=True)
        figures = bench.figures()
        # the live views before the job, the stored tables (aggregates, analysis) after it
        drill = [f for f in figures if f[1] == MOVEMENT]
        before = [f for f in figures if f[1] == CHANNEL_STOCK]
        later = [f for f in figures if f[1] not in (MOVEMENT, CHANNEL_STOCK)]
        print("drill-down figures (the live movement view):", flush=True)
        drill_results = bench.measure(drill, floor)
        print("dashboard figures:", flush=True)
        results = bench.measure(before, floor)
        runs = bench.nightly_job()
        results += bench.measure(later, floor)
        if os.environ.get("DMS_BENCH_KEEP"):  # keep the data, to study query plans (never on a real database)
            env.cr.commit()
    for note in bench.notes:
        print(f"note: {note}")
    worst = max(results, key=lambda r: r[3]) if results else None
    ratios = [r[3] / FIGURE_TARGET for r in results] + [t / JOB_TARGET for t in runs]
    ratio = max(ratios) if ratios else float("nan")
    over = [f"{name} {seconds:.2f}s" for name, _model, _groups, seconds in results if seconds > FIGURE_TARGET]
    print(f"figures over {FIGURE_TARGET:g}s: {len(over)} of {len(results)}" + (f": {', '.join(over)}" if over else ""))
    drill_over = [f"{name} {seconds:.2f}s" for name, _model, _groups, seconds in drill_results
                  if seconds > FIGURE_TARGET]
    print(f"drill-down figures (live view, not dashboard figures) over {FIGURE_TARGET:g}s: {len(drill_over)} of "
          f"{len(drill_results)}" + (f": {', '.join(drill_over)}" if drill_over else ""))
    drill_worst = max(drill_results, key=lambda r: r[3]) if drill_results else None
    job = max(runs) if runs else float("nan")
    print(
        f"bench dashboards: rows={n_rows} floor={floor:.2f}s figures={len(results)} "
        f"slowest={worst[0] if worst else '-'}:{worst[3] if worst else float('nan'):.2f}s "
        f"median={statistics.median([r[3] for r in results]) if results else float('nan'):.2f}s "
        f"job={job:.1f}s ratio={ratio:.2f} target<=1 "
        f"drilldown={len(drill_results)} drill_slowest={drill_worst[0] if drill_worst else '-'}:"
        f"{drill_worst[3] if drill_worst else float('nan'):.2f}s"
    )


if __name__ == "__main__":
    main()
