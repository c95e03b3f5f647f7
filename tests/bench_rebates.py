"""Rebate engine benchmark (issue: rebate engine).

Data: 1,000 members, 1,000 agreements of mixed types (flat, stepped
retroactive, stepped progressive, growth; quarterly and yearly; half of them
on product categories) and about 1,000,000 posted invoice lines over 2025
(106,000 invoices of 1 to 19 lines, 10 on average, products varying from one
invoice of a member to the next; every member's 10th document is a credit note
returning part of the goods of its previous invoice, at its prices: returns
against the member's own purchases). Posting invoices through the ORM runs
at about 180 lines/s here, so the invoices and their lines are cloned from one
real invoice with SQL (INSERT ... SELECT over generate_series); they carry the
product lines only (no receivable or tax line), which is all the basis reads,
with the member and invoice type that distribution_rebate keeps on the lines.

Measured in the same run:
1. the engine: every agreement's period results (`_compute_agreements` up to
   the year end: basis, tiers, conditions, and the computation records written),
   median of 3 runs (the first inserts the results, the others update them),
   on the lines as they are a while after posting: committed and vacuumed, as
   autovacuum leaves a year of invoices (its visibility map lets PostgreSQL
   sum the lines from distribution_rebate's index alone). The same 3 runs just
   after loading, before the vacuum (the lines read from the table), are
   printed too. The data is committed only in the throwaway database of
   `make bench` (or with DMS_BENCH_KEEP=1); anywhere else everything stays in
   one transaction, rolled back, and only the figures before vacuum exist;
2. the floor: one hand-written SQL GROUP BY member and quarter over the same
   lines, median of 3 runs after a warm-up;
3. a per-line ORM loop (browse each line, read its invoice, member, date,
   product and balance, match it with its member's agreements, periods and
   product filters, sum in Python) on a 10,000-line sample, scaled to 1,000,000
   (the period results themselves are not written: the loop is only the sums),
   median of 3 runs, the ORM cache emptied before each (a single run, a third
   of a second scaled 100 times, varies by a fifth from one run to the next).
Targets: engine <= 2 x floor, per-line loop >= 50 x engine, peak memory < 1 GB.
"""

import os
import random
import resource
import statistics
import time
from datetime import date

from bench_common import bench_env, columns, timed

from odoo import Command
from odoo.tools import SQL

N_MEMBERS = 1_000
N_INVOICES = 106_000
N_PRODUCTS = 200
SAMPLE = 10_000


def build(env):
    rng = random.Random(7)
    cr = env.cr
    tier = env["distribution.tier"].create({"name": "Bench dealers", "code": "BDL", "sequence": 900})
    partners = env["res.partner"].create(
        [{"name": f"Bench member {i:04d}", "is_company": True} for i in range(N_MEMBERS)]
    )
    members = env["distribution.member"].create(
        [{"partner_id": p.id, "code": f"BM{i:04d}", "tier_id": tier.id, "state": "active"}
         for i, p in enumerate(partners)]
    )
    categories = env["product.category"].create([{"name": f"Bench category {i}"} for i in range(4)])
    products = env["product.product"].create(
        [{"name": f"Bench product {i:03d}", "list_price": 10.0 + i % 40, "categ_id": categories[i % 4].id}
         for i in range(N_PRODUCTS)]
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": date(2025, 1, 1),
            "invoice_line_ids": [Command.create({"product_id": products[0].id, "quantity": 1, "price_unit": 10.0,
                                                 "tax_ids": []})],
        }
    )
    template.action_post()
    env.flush_all()
    line_template = template.invoice_line_ids.id
    # invoices: one row per generate_series value, member g % N_MEMBERS, dated in the order of g
    # over the year; every member's 10th invoice (of 4th, 14th, ...) is a credit note that returns
    # part of the goods of its previous invoice (the one N_MEMBERS before: a few days earlier)
    refund = f"(g / {N_MEMBERS}) % 10 = 3"
    cols, values = columns(
        cr,
        "account_move",
        {
            "name": "'BENCH/' || g",
            "partner_id": "p.partner_id",
            "commercial_partner_id": "p.partner_id",
            "channel_member_id": "p.member_id",
            "invoice_date": f"DATE '2025-01-01' + ((g - 1) * 365 / {N_INVOICES})",
            "date": f"DATE '2025-01-01' + ((g - 1) * 365 / {N_INVOICES})",
            "invoice_date_due": f"DATE '2025-01-01' + ((g - 1) * 365 / {N_INVOICES}) + 30",
            "move_type": f"CASE WHEN {refund} THEN 'out_refund' ELSE 'out_invoice' END",
            "payment_state": "'paid'",
            "state": "'posted'",
        },
    )
    cr.execute(
        """
        CREATE TEMP TABLE bench_member AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS k, id AS member_id, partner_id
          FROM distribution_member WHERE id = ANY(%s)
        """,
        [members.ids],
    )
    cr.execute(
        f"""
        INSERT INTO account_move ({cols})
        SELECT {values}
          FROM account_move t, generate_series(1, %s) g
          JOIN bench_member p ON p.k = g %% %s
         WHERE t.id = %s
        RETURNING id, name, move_type
        """,
        [N_INVOICES, N_MEMBERS, template.id],
    )
    moves = cr.fetchall()
    cr.execute("ANALYZE bench_member")
    # src: the invoice whose lines a move carries (its own; a credit note's, the invoice it returns)
    cr.execute(
        """
        CREATE TEMP TABLE bench_move AS
        SELECT id, g, CASE WHEN refund THEN g - %s ELSE g END AS src, refund
          FROM unnest(%s::int[], %s::int[], %s::bool[]) AS v(id, g, refund)
        """,
        [N_MEMBERS, [m[0] for m in moves], [int(m[1].split("/")[1]) for m in moves],
         [m[2] == "out_refund" for m in moves]],
    )
    cr.execute("CREATE TEMP TABLE bench_product AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM unnest(%s::int[]) id",
               [products.ids])
    # fresh statistics, or the planner loops over 100,000 invoices for each of them
    cr.execute("ANALYZE bench_move; ANALYZE bench_product; ANALYZE account_move")
    # an invoice has 1 to 19 lines (10 on average) of products that differ from one invoice of a
    # member to the next; a credit note returns a quarter of the quantities of the first third of
    # its invoice's lines, at the invoice's prices
    quantity = "CASE WHEN m.refund THEN 1 + ((m.src * 7 + n) % 20) / 4 ELSE 1 + (m.src * 7 + n) % 20 END"
    price = "(10.0 + (m.src + n) % 40)"
    amount = f"({quantity}) * {price}"
    sign = "CASE WHEN m.refund THEN 1 ELSE -1 END"
    cols, values = columns(
        cr,
        "account_move_line",
        {
            "move_id": "m.id",
            "move_name": "mv.name",
            "move_type": "mv.move_type",  # kept on the lines by distribution_rebate
            "channel_member_id": "mv.channel_member_id",
            "partner_id": "mv.partner_id",
            "date": "mv.date",
            "invoice_date": "mv.invoice_date",
            "product_id": f"pa.ids[1 + (m.src * 37 + n * 17 + (m.src / {N_MEMBERS}) * 11) % {N_PRODUCTS}]",
            "quantity": quantity,
            "price_unit": price,
            "balance": f"{sign} * {amount}",
            "amount_currency": f"{sign} * {amount}",
            "price_subtotal": amount,
            "price_total": amount,
            "debit": f"CASE WHEN m.refund THEN {amount} ELSE 0 END",
            "credit": f"CASE WHEN m.refund THEN 0 ELSE {amount} END",
        },
    )
    lines = "1 + (m.src * 7) %% 19"  # in the query text: % doubled
    cr.execute(
        f"""
        INSERT INTO account_move_line ({cols})
        SELECT {values}
          FROM account_move_line t, bench_move m, generate_series(1, 19) n, account_move mv,
               (SELECT array_agg(id ORDER BY k) AS ids FROM bench_product) pa
         WHERE t.id = %s AND mv.id = m.id
           AND n <= CASE WHEN m.refund THEN 1 + ({lines}) / 3 ELSE {lines} END
        """,
        [line_template],
    )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line")
    # agreements of every type
    kinds = ["flat", "stepped_retro", "stepped_progressive", "growth"]
    vals_list = []
    for i, member in enumerate(members):
        kind = kinds[i % 4]
        vals = {
            "name": f"Bench agreement {i:04d}",
            "scope": "member",
            "member_id": member.id,
            "date_start": date(2025, 1, 1),
            "date_end": date(2025, 12, 31),
            "period_type": "quarter" if i % 3 else "year",
            "rebate_type": kind,
            "rate": 2.0 + i % 3,
            "cap_amount": 50_000.0 if i % 5 == 0 else 0.0,
            "min_basis": 1000.0 if i % 7 == 0 else 0.0,
        }
        if i % 2:
            vals["categ_ids"] = [Command.set(categories[: 1 + rng.randint(0, 2)].ids)]
        if kind.startswith("stepped"):
            vals["tier_line_ids"] = [Command.create({"threshold": t, "rate": r})
                                     for t, r in ((0, 1.0), (20_000, 2.0), (60_000, 3.5))]
        vals_list.append(vals)
    agreements = env["distribution.rebate.agreement"].create(vals_list)
    agreements.write({"state": "running"})
    env.flush_all()
    return agreements


def floor_query(env):
    env.cr.execute(
        """
        SELECT m.channel_member_id, date_trunc('quarter', m.invoice_date), SUM(-aml.balance), SUM(aml.quantity)
          FROM account_move_line aml
          JOIN account_move m ON m.id = aml.move_id
         WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
           AND aml.display_type = 'product' AND m.invoice_date BETWEEN '2025-01-01' AND '2025-12-31'
      GROUP BY 1, 2
        """
    )
    return len(env.cr.fetchall())


def floor_lines_query(env):
    """The same GROUP BY reading the member and invoice type that distribution_rebate keeps on the
    lines, without the join to the invoices (for comparison; the floor above is the one on Odoo's
    own columns)."""
    env.cr.execute(
        """
        SELECT aml.channel_member_id, date_trunc('quarter', aml.invoice_date), SUM(-aml.balance), SUM(aml.quantity)
          FROM account_move_line aml
         WHERE aml.parent_state = 'posted' AND aml.move_type IN ('out_invoice', 'out_refund')
           AND aml.display_type = 'product' AND aml.invoice_date BETWEEN '2025-01-01' AND '2025-12-31'
      GROUP BY 1, 2
        """
    )
    return len(env.cr.fetchall())


def orm_loop(env, lines, agreements):
    """What the engine computes, one line at a time through the ORM: each line is matched with its
    member's agreements (period, product filter) and added to their period's basis."""
    products = agreements._product_ids_by_agreement()
    by_member = {}
    for agreement in agreements:
        scope = (agreement.id, agreement._periods(), set(products[agreement.id] or ()) if products[agreement.id] is not None else None)
        for member_id in agreement._members().ids:
            by_member.setdefault(member_id, []).append(scope)
    totals = {}
    for line in lines:
        move = line.move_id
        when = move.invoice_date
        for agreement_id, periods, product_ids in by_member.get(move.channel_member_id.id, ()):
            if product_ids is not None and line.product_id.id not in product_ids:
                continue
            for date_from, date_to in periods:
                if date_from <= when <= date_to:
                    key = (agreement_id, date_from)
                    totals[key] = totals.get(key, 0.0) - line.balance
    return totals


def vacuum(env):
    """Commit the bench data and vacuum the invoices and their lines, as autovacuum does after a
    bulk of inserts: only on a throwaway database (`make bench`) or when asked to keep the data."""
    throwaway = os.environ.get("DMS_BENCH_THROWAWAY") and os.environ["DMS_DB"].startswith("dms_bench_")
    if not (throwaway or os.environ.get("DMS_BENCH_KEEP")):
        return False
    # a commit that waits for its WAL to be written (scripts/dms runs PostgreSQL with asynchronous
    # commits): until then no hint bit is set on the lines, and VACUUM marks no page all-visible
    env.cr.execute("SET LOCAL synchronous_commit = on")
    env.cr.commit()
    env.cr._cnx.autocommit = True  # VACUUM cannot run in a transaction
    try:
        for table in ("account_move_line", "account_move"):
            env.cr.execute(f"VACUUM ANALYZE {table}")
    finally:
        env.cr._cnx.autocommit = False
    return True


def basis_scan(env, agreements):
    """How PostgreSQL reads the lines for the engine's basis query: the scan node of its plan."""
    from odoo.addons.distribution_rebate.models.rebate_computation import (  # noqa: PLC0415 (addons path set by now)
        BASIS_QUERY_RESET,
        BASIS_QUERY_SETTINGS,
    )

    Computation = env["distribution.rebate.computation"]
    requests = [(scope[:3], *scope) for scope in Computation._scopes(agreements, date(2025, 12, 31))]
    query, _layout = Computation._basis_query(requests, agreements._product_ids_by_agreement(), ("amount", "qty"))
    env.cr.execute(BASIS_QUERY_SETTINGS)
    env.cr.execute(SQL("EXPLAIN %s", query))
    plan = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(BASIS_QUERY_RESET)
    env.cr.execute("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'account_move_line'")
    pages, visible = env.cr.fetchone()
    scan = next((line.strip().lstrip("-> ").split("  (")[0] for line in plan if "Scan" in line), "?")
    return f"{scan} (table pages all-visible: {visible:,} of {pages:,})"


def main():
    with bench_env() as env:
        start = time.perf_counter()
        agreements = build(env)
        built = time.perf_counter() - start
        env.cr.execute("SELECT count(*) FROM account_move_line WHERE move_name LIKE 'BENCH/%%'")
        n_lines = env.cr.fetchone()[0]
        print(f"built {n_lines:,} invoice lines and {len(agreements)} agreements in {built:.0f}s (SQL INSERT ... SELECT)")
        Computation = env["distribution.rebate.computation"]

        def run_engine():
            return Computation._compute_agreements(agreements, up_to=date(2025, 12, 31))

        def run_engine_3():
            runs = []
            for _i in range(3):
                start = time.perf_counter()
                results = run_engine()
                runs.append(time.perf_counter() - start)
            return results, runs

        # the first run inserts the results, the next ones update them
        results, runs = run_engine_3()
        first, engine = runs[0], statistics.median(runs)
        engine_loaded = engine
        scan_loaded = basis_scan(env, agreements)
        vacuumed = vacuum(env)
        # the floor, on the lines as the engine below reads them
        groups = floor_query(env)  # warm the cache
        floor = timed(lambda: floor_query(env), repeat=3)
        floor_lines = timed(lambda: floor_lines_query(env), repeat=3)
        scan = basis_scan(env, agreements)
        if vacuumed:
            results, runs = run_engine_3()
            engine = statistics.median(runs)
        assert len(results) == sum(len(a._periods()) for a in agreements), len(results)
        assert any(results.mapped("amount")), "something must be earned"

        env.cr.execute("SELECT id FROM account_move_line WHERE move_name LIKE 'BENCH/%%' LIMIT %s", [SAMPLE])
        sample = env["account.move.line"].browse([row[0] for row in env.cr.fetchall()])

        def run_loop():
            env.invalidate_all()  # nothing of the sample in the ORM cache
            start = time.perf_counter()
            orm_loop(env, sample, agreements)
            return (time.perf_counter() - start) * n_lines / SAMPLE

        loops = [run_loop() for _i in range(3)]
        loop = statistics.median(loops)

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if os.environ.get("DMS_BENCH_KEEP"):  # keep the data, to study query plans (never on a real database)
            env.cr.commit()
    ratio = engine / floor
    print(f"floor (SQL GROUP BY, {groups} groups): {floor:.2f}s")
    print(f"the same GROUP BY on the member and invoice type kept on the lines (no join): {floor_lines:.2f}s, "
          f"engine = {engine / floor_lines:.2f}x that")
    print(f"engine just after loading, before vacuum: {engine_loaded:.2f}s (median of 3 runs; the first, "
          f"which inserts the results, {first:.2f}s); its basis query reads the lines by: {scan_loaded}")
    if vacuumed:
        print(f"engine ({len(results)} period results of {len(agreements)} agreements), lines vacuumed: "
              f"{engine:.2f}s (median of 3 runs, {', '.join(f'{x:.2f}s' for x in runs)}); its basis query reads "
              f"the lines by: {scan}")
    else:
        print("the lines were not vacuumed (not a throwaway database): the engine above is the one measured")
    print(f"per-line ORM loop: {loop:.0f}s for {n_lines:,} lines (scaled from {SAMPLE:,}; median of 3 runs: "
          f"{', '.join(f'{x:.0f}s' for x in loops)}), {loop / engine:.0f}x the engine")
    print(f"peak memory: {peak_mb:.0f} MB (target < 1024)")
    print(
        f"bench rebates: floor={floor:.2f}s engine={engine:.2f}s orm_loop={loop:.0f}s "
        f"speedup_vs_loop={loop / engine:.0f}x peak={peak_mb:.0f}MB ratio={ratio:.2f} target<=2"
    )


if __name__ == "__main__":
    main()
