"""History of the store POS demo: what must be computed, not written as records.

The records (products on the till, the tea days promotion, warehouses, points of sale, cashiers)
are data in ``distribution_pos_demo.xml``; ``hooks.post_init_hook`` calls :func:`build` once they
are loaded, only when the database gets demo data. For each demo store: an opening stock (most
products, some none, to reorder) and a month of paid sales in one session, closed at the end (its
accounting posted), with the tea days promotion applied most of the time and now and then a deep
manual discount below the resale floor, half of them allowed by a manager at the till.

Every random choice comes from ``random.Random(7)``; dates are relative to today.
"""

import logging
import random
import time
from datetime import datetime, timedelta

from odoo import Command, fields

from odoo.addons.distribution_core.tools.demo import DEMO_CONTEXT

_logger = logging.getLogger(__name__)

STORES = ("st001", "st002", "st004")
DEMO_DAYS = 30


def build(env):
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    promotion = env.ref("distribution_pos.demo_promotion_tea_days", raise_if_not_found=False)
    if not hq or not promotion or env["pos.order"].search_count([("company_id", "=", hq.id)], limit=1):
        return
    started = time.monotonic()
    rng = random.Random(7)
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    products = env["product.product"].search(
        [("company_id", "in", (hq.id, False)), ("default_code", "=like", "__-0%"), ("sale_ok", "=", True)],
        order="default_code",
    )
    for code in STORES:
        config = env.ref(f"distribution_pos.demo_pos_config_{code}")
        _opening_stock(env, config.picking_type_id.warehouse_id, products, rng)
        _sales(env, config, products[:-1], rng, promotion.with_env(env))  # the last product does not sell
    _logger.info("Store POS demo: %s stores with a month of sales in %.1f s", len(STORES), time.monotonic() - started)


def _opening_stock(env, warehouse, products, rng):
    """Most products, some none (to reorder)."""
    quants = env["stock.quant"].with_context(inventory_mode=True).create([
        {"product_id": product.id, "location_id": warehouse.lot_stock_id.id,
         "inventory_quantity": rng.choice((0, 30, 60, 90))}
        for product in products
    ])
    quants.filtered("inventory_quantity").action_apply_inventory()


def _sales(env, config, products, rng, promotion):
    """A month of paid orders (card), in one session closed at the end (its accounting posted)."""
    manager = env.ref("base.user_admin")
    session = env["pos.session"].create({"config_id": config.id, "user_id": manager.id})
    session.set_opening_control(0, "")
    card = config.payment_method_ids.filtered(lambda pm: pm.journal_id.type == "bank")[:1]
    pricelist = config.pricelist_id
    promotion_products = promotion.rule_ids.product_ids
    if promotion not in config._get_program_ids():
        promotion_products = promotion_products.browse()
    favourites = products[: max(3, len(products) // 3)] | promotion.rule_ids.product_ids
    today = fields.Date.context_today(session)
    orders = env["pos.order"]
    for days_ago in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        for _n in range(rng.randint(3, 7)):
            lines = []
            picked = {rng.choice(favourites if rng.random() < 0.7 else products) for _i in range(rng.randint(1, 3))}
            # by id: a set's order changes with the hash seed of each process
            for product in sorted(picked, key=lambda p: p.id):
                qty = rng.randint(1, 3)
                price = pricelist._get_product_price(product, qty) if pricelist else product.lst_price
                # now and then a deep manual discount: below the resale floor, half of them
                # allowed by a manager at the till (see Store Sales below the Resale Floor)
                discount = 30.0 if rng.random() < 0.03 else 0.0
                lines.append(Command.create({
                    "product_id": product.id, "qty": qty, "price_unit": price, "discount": discount,
                    "price_subtotal": 0.0, "price_subtotal_incl": 0.0,
                    "tax_ids": [Command.set(product.taxes_id.ids)],
                    "channel_override_user_id": manager.id if discount and rng.random() < 0.5 else False,
                }))
            moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(1, 12),
                                                                            minutes=rng.randint(0, 59))
            order = env["pos.order"].create({
                "session_id": session.id, "company_id": config.company_id.id, "date_order": moment,
                "amount_total": 0, "amount_paid": 0, "amount_tax": 0, "amount_return": 0, "lines": lines,
            })
            order.lines._onchange_amount_line_all()
            order._compute_prices()
            if promotion_products & order.lines.product_id and rng.random() < 0.7:
                # the cashier applied the promotion (most of the time: see Promotion Execution)
                reward = promotion.reward_ids[:1]
                order.write({"lines": [Command.create({
                    "product_id": reward.discount_line_product_id.id, "qty": 1,
                    "price_unit": -round(order.amount_total * 0.1, 2), "price_subtotal": 0.0,
                    "price_subtotal_incl": 0.0, "tax_ids": [], "reward_id": reward.id, "is_reward_line": True,
                })]})
                order.lines._onchange_amount_line_all()
                order._compute_prices()
            order.add_payment({
                "pos_order_id": order.id, "amount": order.amount_total, "payment_method_id": card.id,
                "payment_date": moment,
            })
            order.action_pos_order_paid()
            orders |= order
    orders.lines._channel_check_floors()  # as when the till syncs its orders
    try:
        with env.cr.savepoint():
            session.action_pos_session_closing_control()
    except Exception:  # a session left open is still a valid demo
        _logger.warning("Store POS demo: session %s left open", session.name, exc_info=True)
    return orders
