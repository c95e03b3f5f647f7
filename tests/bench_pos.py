"""Store POS benchmark (issue: store POS).

Measured: the data a POS session loads when it opens (`pos.session.load_data`, what the POS client
asks for) with 20,000 products, a pricelist of 50 rules, and, with distribution_pos, 50 price floors
for the store's territory; against the same session in a second database that has the same
dependencies (point_of_sale, pos_hr, pos_loyalty, stock) but not distribution_pos, in the same run.
Target: ratio <= 1.2.

The second database is installed by this script (about 3 minutes) and dropped at the end. The
20,000 products are cloned from one product with SQL (INSERT ... SELECT over generate_series) in
both databases; the POS is told to load all of them (`point_of_sale.limited_product_count`).
Everything else is rolled back at the end.
"""

import os
import statistics
import subprocess
import sys
import time
from contextlib import closing

from bench_common import columns as columns_sql

from odoo import Command, sql_db
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import SQL, config

N_PRODUCTS = 20_000
N_FLOORS = 50
N_PRICELIST_ITEMS = 50
REPEAT = 3
TARGET = 1.2
PLAIN_MODULES = "point_of_sale,pos_hr,pos_loyalty,stock"


def build_products(env):
    """20,000 saleable POS products in 20 categories, cloned with SQL from one real product."""
    cr = env.cr
    root = env["product.category"].create({"name": "Bench POS"})
    categories = env["product.category"].create([{"name": f"Bench POS {i:02d}", "parent_id": root.id} for i in range(20)])
    template = env["product.template"].create(
        {"name": "Bench POS product", "list_price": 100.0, "available_in_pos": True, "sale_ok": True,
         "categ_id": categories[0].id, "taxes_id": False}
    )
    env.flush_all()
    cr.execute("CREATE TEMP TABLE bench_categ AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM "
               "product_category WHERE id = ANY(%s)", [categories.ids])
    cols, values = columns_sql(
        cr,
        "product_template",
        {
            "name": "jsonb_build_object('en_US', 'Bench POS product ' || g)",
            "default_code": "'BPOS-' || g",
            "list_price": "10 + g % 500",
            "categ_id": "c.id",
        },
    )
    cr.execute(
        f"""
        INSERT INTO product_template ({cols})
        SELECT {values} FROM product_template t, generate_series(1, %s) g
          JOIN bench_categ c ON c.k = g %% 20
         WHERE t.id = %s
     RETURNING id
        """,
        [N_PRODUCTS - 1, template.id],
    )
    template_ids = [row[0] for row in cr.fetchall()]
    variant = template.product_variant_id
    cols, values = columns_sql(cr, "product_product", {"product_tmpl_id": "n.id", "default_code": "NULL",
                                                       "barcode": "NULL"})
    cr.execute(
        f"""
        INSERT INTO product_product ({cols})
        SELECT {values} FROM product_product t, unnest(%s::int[]) AS n(id) WHERE t.id = %s
        """,
        [template_ids, variant.id],
    )
    cr.execute("ANALYZE product_template; ANALYZE product_product")
    env.invalidate_all()
    env["ir.config_parameter"].set_param("point_of_sale.limited_product_count", str(N_PRODUCTS + 1000))
    products = env["product.product"].search([("product_tmpl_id", "in", template_ids[:N_PRICELIST_ITEMS])])
    return categories, products


def build_pricelist(env, products, categories):
    return env["product.pricelist"].create(
        {
            "name": "Bench store prices",
            "item_ids": [
                Command.create({"applied_on": "0_product_variant", "product_id": p.id, "compute_price": "percentage",
                                "percent_price": 10.0})
                for p in products[: N_PRICELIST_ITEMS - 10]
            ] + [
                Command.create({"applied_on": "2_product_category", "categ_id": c.id, "compute_price": "percentage",
                                "percent_price": 5.0})
                for c in categories[:10]
            ],
        }
    )


def pos_session(env, config_vals):
    admin = env.ref("base.user_admin")
    env = env(user=admin.id)
    config = env["pos.config"].create({"name": "Bench store POS", **config_vals})
    config.open_ui()
    return config.current_session_id


def measure(session):
    def load():
        session.env.invalidate_all()
        data = session.load_data([])
        assert len(data["product.product"]) >= N_PRODUCTS, len(data["product.product"])
        return data

    load()  # warm-up (caches, prepared plans)
    samples = []
    for _i in range(REPEAT):
        start = time.perf_counter()
        load()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def with_dms(env):
    categories, products = build_products(env)
    pricelist = build_pricelist(env, products, categories)
    tier = env["distribution.tier"].create(
        {"name": "Bench stores", "code": "BPS", "sequence": 950, "exclusive_territory": False,
         "pricelist_id": pricelist.id}
    )
    territory = env["distribution.territory"].create({"name": "Bench POS region", "territory_type": "custom"})
    city = env["distribution.territory"].create(
        {"name": "Bench POS city", "territory_type": "custom", "parent_id": territory.id}
    )
    partner = env["res.partner"].create({"name": "Bench store", "is_company": True})
    store = env["distribution.member"].create(
        {"partner_id": partner.id, "code": "BPS001", "tier_id": tier.id, "territory_id": city.id, "state": "active"}
    )
    env["distribution.price.floor"].create(
        [{"product_id": p.id, "resale_floor": 5.0, "territory_id": (city if i % 2 else territory).id}
         for i, p in enumerate(products[: N_FLOORS - 10])]
        + [{"categ_id": c.id, "resale_floor": 3.0} for c in categories[: 10]]
    )
    session = pos_session(env, {"channel_member_id": store.id})
    assert session.config_id.pricelist_id == pricelist
    return measure(session)


def without_dms(env):
    categories, products = build_products(env)
    pricelist = build_pricelist(env, products, categories)
    session = pos_session(
        env, {"use_pricelist": True, "pricelist_id": pricelist.id, "available_pricelist_ids": [Command.set(pricelist.ids)]}
    )
    return measure(session)


def run_in(db, func):
    registry = Registry(db)
    with registry.cursor() as cr:
        env = Environment(cr, 1, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True})
        try:
            return func(env)
        finally:
            cr.rollback()


def drop_database(name):
    """Drop the scratch database (the database manager may be disabled in the configuration)."""
    with closing(sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        db_service._drop_conn(cr, name)
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))


def main():
    db = os.environ["DMS_DB"]
    plain_db = f"{db}_plain"[:63]
    config.parse_config(["-c", os.environ["ODOO_RC"], "-d", db])
    odoo_cmd = [sys.executable, "-m", "odoo"]
    print(f"installing {PLAIN_MODULES} (without distribution_pos) into {plain_db} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [*odoo_cmd, "-c", os.environ["ODOO_RC"], "-d", plain_db, "-i", PLAIN_MODULES, "--stop-after-init",
         "--no-http", "--log-level=warn"],
        check=True,
    )
    print(f"installed in {time.perf_counter() - started:.0f}s", flush=True)
    try:
        # alternate the two databases, so that both see the same machine load
        plain = [run_in(plain_db, without_dms)]
        dms = [run_in(db, with_dms)]
        plain.append(run_in(plain_db, without_dms))
        dms.append(run_in(db, with_dms))
        t_plain, t_dms = min(plain), min(dms)
        ratio = t_dms / t_plain
        print(f"load_data without distribution_pos: {[round(t, 3) for t in plain]} s (best {t_plain:.3f} s)")
        print(f"load_data with distribution_pos:    {[round(t, 3) for t in dms]} s (best {t_dms:.3f} s)")
        print(
            f"bench pos: products={N_PRODUCTS} floors={N_FLOORS} pricelist_rules={N_PRICELIST_ITEMS} "
            f"without={t_plain:.3f}s with={t_dms:.3f}s ratio={ratio:.2f} target<={TARGET}",
            flush=True,
        )
    finally:
        Registry.delete(plain_db)
        drop_database(plain_db)
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
