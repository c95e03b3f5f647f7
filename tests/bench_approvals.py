"""Approvals benchmark (issue: channel ordering and low-code multi-step approvals).

1. Confirm 1,000 sale orders with 20 active approval rules, none matching, vs
   confirming 1,000 orders with no active rule, in the same run: target ratio <= 1.3.
   The orders are built with one ORM create (service product, so the figure is
   the confirmation and its approval check, not stock moves); each mode
   confirms two batches of 500, interleaved, to even out cache effects.
2. The approval queue of a reviewer with 5,000 pending reviews: the list the
   "To Approve" menu opens (web_search_read of the first 80 with the count),
   target < 1 s, with its query count printed. The 5,000 documents and reviews
   are inserted set-based with SQL (INSERT ... SELECT), not through the ORM.

Everything is rolled back at the end.
"""

import time

from bench_common import bench_env

from odoo import Command

N_ORDERS = 1_000
N_RULES = 20
N_REVIEWS = 5_000


def build_orders(env, partner, product, count):
    return env["sale.order"].create(
        [
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
            for _i in range(count)
        ]
    )


def confirm(orders):
    start = time.perf_counter()
    orders.action_confirm()
    orders.env.flush_all()
    return time.perf_counter() - start


def bench_confirm(env):
    Definition = env["tier.definition"].with_context(active_test=False)
    Definition.search([]).active = False
    sale_model = env.ref("sale.model_sale_order")
    partner = env["res.partner"].create({"name": "Bench approvals customer", "is_company": True})
    product = env["product.product"].create({"name": "Bench service", "type": "service", "list_price": 100.0})
    orders = build_orders(env, partner, product, 2 * N_ORDERS)
    env.flush_all()
    rules = Definition.create(
        [
            {
                "name": f"Bench rule {i}",
                "model_id": sale_model.id,
                "review_type": "individual",
                "reviewer_id": env.user.id,
                "dms_channel_rule": True,  # the rules our channel managers make
                # realistic conditions that never match these orders
                "definition_domain": str([("amount_total", ">", 10_000_000 + i)])
                if i % 2
                else str([("channel_max_discount", ">", 90 + i / 10)]),
                "active": False,
            }
            for i in range(N_RULES)
        ]
    )
    half = N_ORDERS // 2
    batches = [orders[i * half:(i + 1) * half] for i in range(4)]
    plain = with_rules = 0.0
    for index, batch in enumerate(batches):
        rules_on = index in (1, 2)  # plain, rules, rules, plain
        rules.active = rules_on
        env.flush_all()
        elapsed = confirm(batch)
        if rules_on:
            with_rules += elapsed
        else:
            plain += elapsed
    assert all(order.state == "sale" for order in orders), "every order must be confirmed"
    assert not orders.review_ids, "no rule may match"
    return plain, with_rules


def bench_queue(env):
    """5,000 pending reviews for one reviewer, inserted set-based."""
    cr = env.cr
    reviewer = env["res.users"].create({"name": "Bench reviewer", "login": "bench_reviewer"})
    reviewer.group_ids = [Command.link(env.ref("sales_team.group_sale_salesman_all_leads").id)]
    partner = env["res.partner"].create({"name": "Bench queue customer", "is_company": True})
    template = env["sale.order"].create({"partner_id": partner.id})
    rule = env["tier.definition"].create(
        {"name": "Bench queue rule", "model_id": env.ref("sale.model_sale_order").id, "review_type": "individual",
         "reviewer_id": reviewer.id, "definition_domain": "[('id', '<', 0)]", "dms_channel_rule": True}
    )
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order' AND column_name NOT IN ('id', 'name')"
    )
    columns = ", ".join(f'"{c}"' for (c,) in cr.fetchall())
    cr.execute(
        f"""
        INSERT INTO sale_order (name, {columns})
        SELECT 'BENCHQ' || lpad(g::text, 5, '0'), {columns}
          FROM sale_order, generate_series(1, %s) g
         WHERE sale_order.id = %s
        RETURNING id
        """,
        [N_REVIEWS, template.id],
    )
    order_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO tier_review (model, res_id, definition_id, company_id, status, sequence, requested_by,
                                 can_review, todo_by, dms_pending_since, create_uid, create_date, write_uid, write_date)
        SELECT 'sale.order', o, %s, %s, 'pending', 1, %s, TRUE, %s, now() at time zone 'utc' - interval '1 hour',
               %s, now() at time zone 'utc' - interval '1 hour', %s, now() at time zone 'utc'
          FROM unnest(%s::int[]) o
        RETURNING id
        """,
        [rule.id, env.company.id, env.uid, reviewer.name, env.uid, env.uid, order_ids],
    )
    review_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO res_users_tier_review_rel (tier_review_id, res_users_id) SELECT r, %s FROM unnest(%s::int[]) r",
        [reviewer.id, review_ids],
    )
    env.invalidate_all()
    action = env.ref("distribution_approval.tier_review_action_queue")
    view = env.ref("distribution_approval.tier_review_view_list_channel")
    Review = env["tier.review"].with_user(reviewer).with_context(lang="en_US")
    fields_spec = {
        name: {} for name in ("create_date", "name", "todo_by", "status", "reviewed_date", "dms_lead_time_hours",
                              "comment", "model", "dms_res_name")
    }
    fields_spec.update({"requested_by": {"fields": {"display_name": {}}}, "done_by": {"fields": {"display_name": {}}},
                        "dms_escalated_to_id": {"fields": {"display_name": {}}},
                        "dms_delegated_from_ids": {"fields": {"display_name": {}}}})
    domain = [("reviewer_ids", "in", [reviewer.id]), ("status", "=", "pending"), ("can_review", "=", True)]
    assert action.res_model == "tier.review" and view

    def open_queue():
        env.invalidate_all()
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        result = Review.web_search_read(domain, fields_spec, limit=80, count_limit=10_001)
        elapsed = time.perf_counter() - start
        return elapsed, cr.sql_log_count - queries_before, result

    open_queue()  # warm-up
    samples = [open_queue() for _i in range(5)]
    samples.sort(key=lambda s: s[0])
    elapsed, queries, result = samples[len(samples) // 2]
    assert result["length"] == N_REVIEWS, result["length"]
    assert len(result["records"]) == 80
    return elapsed, queries


def main():
    with bench_env() as env:
        plain, with_rules = bench_confirm(env)
        elapsed, queries = bench_queue(env)
    ratio = with_rules / plain
    print(f"confirm {N_ORDERS} orders: no rule {plain:.2f}s, {N_RULES} rules (none matching) {with_rules:.2f}s")
    print(f"approval queue with {N_REVIEWS} pending reviews: {elapsed * 1000:.0f} ms, {queries} queries (target < 1 s)")
    print(
        f"bench approvals: plain={plain:.2f}s rules={with_rules:.2f}s queue={elapsed * 1000:.0f}ms/{queries}q "
        f"ratio={ratio:.2f} target<=1.3"
    )


if __name__ == "__main__":
    main()
