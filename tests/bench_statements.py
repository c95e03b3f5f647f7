"""Statements benchmark (issue: electronic statements of account).

Data: 1,000 members with 100 posted receivable journal items each in one month
(100,000 items: 90 invoices and 10 payments per member) plus an opening
balance the month before. Posting invoices through the ORM runs at about 180
lines/s here, so the moves and their receivable items are cloned from one real
invoice with SQL (INSERT ... SELECT over generate_series); they carry the
receivable item only, which is all a statement reads.

Measured:
1. a statement run for the 1,000 members: every statement, its 100 entries,
   its aging and its XLSX attachment (`distribution.statement._generate`),
   with the number of queries it made: target <= 60 s;
2. the PDF of one 100-entry statement (QWeb + wkhtmltopdf): target <= 3 s.
The ratio printed is the worse of the two against its target (<= 1 is met).
Everything is rolled back at the end.
"""

import time
from datetime import date

from bench_common import bench_env, columns

from odoo import Command

N_MEMBERS = 1_000
LINES_PER_MEMBER = 100
PAYMENTS_PER_MEMBER = 10
RUN_TARGET = 60.0
PDF_TARGET = 3.0
PERIOD = (date(2025, 3, 1), date(2025, 3, 31))


def build(env):
    tier = env["distribution.tier"].create({"name": "Bench statement dealers", "code": "BSD", "sequence": 901})
    partners = env["res.partner"].create(
        [{"name": f"Bench statement member {i:04d}", "is_company": True} for i in range(N_MEMBERS)]
    )
    members = env["distribution.member"].create(
        [{"partner_id": p.id, "code": f"BS{i:04d}", "tier_id": tier.id, "state": "active"}
         for i, p in enumerate(partners)]
    )
    product = env["product.product"].create({"name": "Bench statement product", "list_price": 100.0})
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": date(2025, 2, 1),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 100.0,
                                                 "tax_ids": []})],
        }
    )
    template.action_post()
    env.flush_all()
    receivable = template.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
    cr = env.cr
    cr.execute(
        "CREATE TEMP TABLE bench_member AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, partner_id "
        "FROM distribution_member WHERE id = ANY(%s)",
        [members.ids],
    )
    per_member = LINES_PER_MEMBER + 1  # + one opening invoice in February
    cols, values = columns(
        cr,
        "account_move",
        {
            "name": "'BST/' || g",
            "partner_id": "p.partner_id",
            "commercial_partner_id": "p.partner_id",
            "invoice_date": f"CASE WHEN g % {per_member} = 0 THEN DATE '2025-02-15' ELSE DATE '2025-03-01' + (g % 31) END",
            "date": f"CASE WHEN g % {per_member} = 0 THEN DATE '2025-02-15' ELSE DATE '2025-03-01' + (g % 31) END",
            "invoice_date_due": f"CASE WHEN g % {per_member} = 0 THEN DATE '2025-02-15' ELSE DATE '2025-03-01' + (g % 31) + 30 END",
            "move_type": f"CASE WHEN g % {per_member} BETWEEN 1 AND {PAYMENTS_PER_MEMBER} THEN 'entry' ELSE 'out_invoice' END",
            "payment_state": "'not_paid'",
            "state": "'posted'",
        },
    )
    cr.execute(
        f"""
        INSERT INTO account_move ({cols})
        SELECT {values}
          FROM account_move t, generate_series(0, %s - 1) g
          JOIN bench_member p ON p.k = g / %s
         WHERE t.id = %s
     RETURNING id, name
        """,
        [N_MEMBERS * per_member, per_member, template.id],
    )
    moves = cr.fetchall()
    cr.execute(
        "CREATE TEMP TABLE bench_move AS SELECT * FROM unnest(%s::int[], %s::int[]) AS b(id, g)",
        [[move_id for move_id, _name in moves], [int(name[4:]) for _id, name in moves]],
    )
    cr.execute("ANALYZE bench_move; ANALYZE account_move")
    amount = "(CASE WHEN mv.move_type = 'entry' THEN -500 ELSE 1 END) * (100 + b.g % 900 + (b.g % 7) * 0.01)"
    cols, values = columns(
        cr,
        "account_move_line",
        {
            "move_id": "mv.id",
            "move_name": "mv.name",
            "partner_id": "mv.partner_id",
            "date": "mv.date",
            "invoice_date": "mv.invoice_date",
            "date_maturity": "mv.invoice_date_due",
            "parent_state": "'posted'",
            "balance": amount,
            "amount_currency": amount,
            "amount_residual": amount,
            "amount_residual_currency": amount,
            "debit": f"GREATEST({amount}, 0)",
            "credit": f"GREATEST(-({amount}), 0)",
            "reconciled": "false",
        },
    )
    cr.execute(
        f"""
        INSERT INTO account_move_line ({cols})
        SELECT {values} FROM account_move_line t, bench_move b JOIN account_move mv ON mv.id = b.id
         WHERE t.id = %s
        """,
        [receivable.id],
    )
    cr.execute("ANALYZE account_move_line")
    env.invalidate_all()
    return members


def main():
    with bench_env() as env:
        env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
        start = time.perf_counter()
        members = build(env)
        built = time.perf_counter() - start
        env.cr.execute("SELECT count(*) FROM account_move_line WHERE move_name LIKE 'BST/%%'")
        n_lines = env.cr.fetchone()[0]
        print(f"built {n_lines:,} receivable items of {len(members)} members in {built:.0f}s (SQL INSERT ... SELECT)")
        Statement = env["distribution.statement"]

        env.flush_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        result = Statement._generate(members, *PERIOD, env.company)
        env.flush_all()
        run = time.perf_counter() - start
        queries = env.cr.sql_log_count - queries
        statements = result["new"]
        env.cr.execute(
            "SELECT count(*) FROM distribution_statement_line WHERE statement_id = ANY(%s)", [statements.ids]
        )
        n_entries = env.cr.fetchone()[0]
        assert len(statements) == N_MEMBERS, len(statements)
        assert n_entries == N_MEMBERS * LINES_PER_MEMBER, n_entries
        assert all(statements.mapped("xlsx_attachment_id")), "every statement has its XLSX"
        sample = statements[0]
        assert sample.opening_balance > 0 and sample.closing_balance

        env.invalidate_all()
        start = time.perf_counter()
        pdf = sample._pdf_content()
        pdf_seconds = time.perf_counter() - start
        assert pdf[:4] == b"%PDF", "a PDF"
    ratio = max(run / RUN_TARGET, pdf_seconds / PDF_TARGET)
    print(f"statement run: {len(statements)} statements, {n_entries:,} entries and their XLSX in {run:.1f}s "
          f"({queries} queries; target <= {RUN_TARGET:.0f}s)")
    print(f"PDF of one {LINES_PER_MEMBER}-entry statement: {pdf_seconds:.2f}s (target <= {PDF_TARGET:.0f}s)")
    print(
        f"bench statements: run={run:.1f}s queries={queries} pdf={pdf_seconds:.2f}s "
        f"ratio={ratio:.2f} target<=1"
    )


if __name__ == "__main__":
    main()
