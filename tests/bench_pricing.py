"""Channel pricing benchmark (issue: channel pricing and price control).

1. Price 10,000 products for a member through the pricelist assignment rules
   (20 active rules) vs Odoo's plain pricelist computation for the same
   pricelist, in the same run: target ratio <= 1.2.
2. Create a 500-line quotation for a member whose territory has price floors
   (50 floor records) vs the same quotation with no floor: target ratio <= 2.

Data is built with one ORM create per model (10,000 products in one call);
nothing here posts accounting entries. Everything is rolled back at the end.
"""

import time

from bench_common import bench_env, timed

from odoo import Command

N_PRODUCTS = 10_000
N_LINES = 500


def build(env):
    company = env.company
    categ = env["product.category"].create({"name": "Bench category"})
    products = env["product.product"].create(
        [
            {"name": f"Bench product {i:05d}", "default_code": f"BP{i:05d}", "list_price": 100.0 + i % 50,
             "categ_id": categ.id}
            for i in range(N_PRODUCTS)
        ]
    )
    # a typical channel pricelist: a tier discount, a deeper one on a category,
    # and fixed prices for a few promoted items (Odoo matches rules per product,
    # so thousands of fixed items would measure Odoo, not the assignment)
    pricelist = env["product.pricelist"].create(
        {
            "name": "Bench dealers",
            "item_ids": [
                Command.create({"applied_on": "2_product_category", "categ_id": categ.id,
                                "compute_price": "percentage", "percent_price": 30}),
                Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 25}),
            ]
            + [
                Command.create({"applied_on": "0_product_variant", "product_id": p.id, "compute_price": "fixed",
                                "fixed_price": 70.0})
                for p in products[:20]
            ],
        }
    )
    tiers = env["distribution.tier"].create(
        [{"name": f"Bench tier {i}", "code": f"BT{i}", "sequence": 500 + i} for i in range(4)]
    )
    territories = env["distribution.territory"].create([{"name": f"Bench region {i}"} for i in range(10)])
    partner = env["res.partner"].create({"name": "Bench dealer", "is_company": True})
    member = env["distribution.member"].create(
        {"partner_id": partner.id, "code": "BENCHDL", "tier_id": tiers[2].id, "territory_id": territories[3].id,
         "state": "active"}
    )
    other = env["product.pricelist"].create({"name": "Bench other"})
    rules = [{"tier_id": tiers[t].id, "territory_id": territories[r].id, "pricelist_id": other.id}
             for t in range(2) for r in range(10)]
    rules[-1] = {"tier_id": tiers[2].id, "territory_id": territories[3].id, "pricelist_id": pricelist.id}
    env["distribution.pricelist.rule"].create(rules)
    assert member.pricelist_id == pricelist, "the rules give the member the bench pricelist"
    return company, products, pricelist, member, territories


def main():
    with bench_env() as env:
        start = time.perf_counter()
        company, products, pricelist, member, territories = build(env)
        print(f"data built in {time.perf_counter() - start:.0f} s", flush=True)
        Rule = env["distribution.pricelist.rule"]

        def plain():
            pricelist._get_products_price(products, 1.0)

        def through_rules():
            assigned = Rule._pricelists_for_members(member)[member.id]
            assigned._get_products_price(products, 1.0)

        t_plain = timed(plain, repeat=3, before=env.invalidate_all)
        t_rules = timed(through_rules, repeat=3, before=env.invalidate_all)
        ratio_price = t_rules / t_plain

        # floors: 50 floor records, the order's products all covered
        order_products = products[:N_LINES]
        floors = env["distribution.price.floor"].create(
            [{"product_id": p.id, "territory_id": territories[3].id, "sell_in_floor": 60.0} for p in order_products[:40]]
            + [{"categ_id": order_products[0].categ_id.id, "sell_in_floor": 50.0}]
            + [{"product_id": p.id, "sell_in_floor": 55.0} for p in products[N_LINES:N_LINES + 9]]
        )

        def quotation():
            with env.cr.savepoint(flush=False) as savepoint:
                order = env["sale.order"].create(
                    {
                        "partner_id": member.partner_id.id,
                        "order_line": [Command.create({"product_id": p.id, "product_uom_qty": 2}) for p in order_products],
                    }
                )
                env.flush_all()
                assert len(order.order_line) == N_LINES
                savepoint.rollback()

        t_with_floors = timed(quotation, repeat=3, before=env.invalidate_all)
        floors.active = False
        env.flush_all()
        t_without = timed(quotation, repeat=3, before=env.invalidate_all)
        ratio_floor = t_with_floors / t_without

        print(f"pricing {N_PRODUCTS} products: plain pricelist {t_plain * 1000:.0f} ms, "
              f"through assignment rules {t_rules * 1000:.0f} ms, ratio {ratio_price:.2f} (target <= 1.2)")
        print(f"{N_LINES}-line quotation: with floors {t_with_floors * 1000:.0f} ms, "
              f"without {t_without * 1000:.0f} ms, ratio {ratio_floor:.2f} (target <= 2)")
        print(f"bench pricing: products={N_PRODUCTS} plain_ms={t_plain * 1000:.0f} rules_ms={t_rules * 1000:.0f} "
              f"floors_ratio={ratio_floor:.2f} ratio={ratio_price:.2f} target<=1.2")


if __name__ == "__main__":
    main()
