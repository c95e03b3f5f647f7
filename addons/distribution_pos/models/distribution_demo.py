import logging
import random
import time
from datetime import datetime, timedelta

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

DEMO_STORES = 3  # the first active stores (by code) get a point of sale
DEMO_DAYS = 30
DEMO_CONTEXT = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}


class DistributionDemo(models.AbstractModel):
    _inherit = "distribution.demo"

    @api.model
    def _generate_pos_demo(self):
        """Stores with a warehouse, a point of sale, a cashier and a month of sales (sell-out)."""
        hq = self.env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
        if not hq or self.env.ref("distribution_pos.demo_pos_config_st001", raise_if_not_found=False):
            return True
        started = time.monotonic()
        rng = random.Random(7)
        demo = self.with_company(hq).with_context(allowed_company_ids=hq.ids, **DEMO_CONTEXT)
        stores = demo.env["distribution.member"].search(
            [("company_id", "=", hq.id), ("state", "=", "active"),
             ("tier_id", "=", demo.env.ref("distribution_core.tier_store").id)],
            order="code",
            limit=DEMO_STORES,
        )
        products = demo.env["product.product"].search(
            [("company_id", "in", (hq.id, False)), ("default_code", "=like", "__-0%"), ("sale_ok", "=", True)],
            order="default_code",
        )
        products.product_tmpl_id.write({"available_in_pos": True})
        promotion = demo._demo_promotion(products)
        xmlids = {"demo_promotion_tea_days": promotion}
        for store in stores:
            config = demo._demo_store_pos(hq, store, products, rng, promotion)
            xmlids[f"demo_pos_config_{store.code.lower()}"] = config
            xmlids[f"demo_warehouse_{store.code.lower()}"] = config.picking_type_id.warehouse_id
        demo.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"distribution_pos.{name}", "record": record, "noupdate": True} for name, record in xmlids.items()]
        )
        _logger.info("Store POS demo: %s stores with a month of sales in %.1f s", len(stores), time.monotonic() - started)
        return True

    def _demo_promotion(self, products):
        """HQ's tea days: 10% off an order with a tea, published to the stores of Zhejiang."""
        teas = products.filtered(lambda p: p.default_code in ("BV-002", "BV-003")) or products[:2]
        return self.env["loyalty.program"].create(
            {
                "name": "浙江门店 茶饮节 整单9折",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "pos_ok": True,
                "sale_ok": False,
                "channel_tier_ids": [Command.set(self.env.ref("distribution_core.tier_store").ids)],
                "channel_territory_ids": [Command.set(self.env.ref("distribution_core.demo_territory_zj").ids)],
                "rule_ids": [Command.create({"product_ids": [Command.set(teas.ids)], "reward_point_mode": "order"})],
                "reward_ids": [Command.create({"reward_type": "discount", "discount": 10, "discount_mode": "percent",
                                               "discount_applicability": "order"})],
            }
        )

    def _demo_store_pos(self, hq, store, products, rng, promotion):
        env = self.env
        code = store.code[-3:]
        warehouse = env["stock.warehouse"].create(
            {"name": store.name, "code": f"S{code}", "company_id": hq.id, "partner_id": store.partner_id.id}
        )
        PosConfig = env["pos.config"]
        journal, payment_method_ids = PosConfig._create_journal_and_payment_methods(
            cash_journal_vals={"name": f"Cash {store.code}", "code": f"C{code}", "show_on_dashboard": False}
        )
        config = PosConfig.create(
            {
                "name": f"{store.name} POS",
                "company_id": hq.id,
                "journal_id": journal.id,
                "payment_method_ids": [Command.set(payment_method_ids)],
                "picking_type_id": warehouse.pos_type_id.id,
                "channel_member_id": store.id,
            }
        )
        # a cashier: an internal user who is a contact of the store, restricted to its points of sale
        contact = env["res.partner"].create(
            {"name": f"{store.code} 收银员", "parent_id": store.partner_id.id, "function": "收银员"}
        )
        login = f"cashier_{store.code.lower()}"
        if not env["res.users"].with_context(active_test=False).search_count([("login", "=", login)]):
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": contact.id,
                    "company_id": hq.id,
                    "company_ids": [Command.set(hq.ids)],
                    # an internal user (store staff implies the POS user group, not the user type)
                    "group_ids": [Command.set([env.ref("base.group_user").id,
                                               env.ref("distribution_pos.group_store_staff").id])],
                    # logging in opens the till of the store
                    "action_id": env.ref("distribution_pos.action_open_store_pos").id,
                }
            )
        # opening stock: most products, some none (to reorder), one not sold at all (a slow mover)
        sold = products[:-1]
        quants = env["stock.quant"].with_context(inventory_mode=True).create(
            [
                {"product_id": product.id, "location_id": warehouse.lot_stock_id.id,
                 "inventory_quantity": rng.choice((0, 30, 60, 90))}
                for product in products
            ]
        )
        quants.filtered("inventory_quantity").action_apply_inventory()
        self._demo_pos_sales(config, sold, rng, promotion)
        return config

    def _demo_pos_sales(self, config, products, rng, promotion):
        """A month of paid orders (card), in one session closed at the end (its accounting posted)."""
        env = self.env
        session = env["pos.session"].create({"config_id": config.id, "user_id": env.ref("base.user_admin").id})
        session.set_opening_control(0, "")
        card = config.payment_method_ids.filtered(lambda pm: pm.journal_id.type == "bank")[:1]
        pricelist = config.pricelist_id
        promotion_products = promotion.rule_ids.product_ids
        eligible = promotion in config._get_program_ids()
        if not eligible:
            promotion_products = promotion_products.browse()
        favourites = products[: max(3, len(products) // 3)] | promotion.rule_ids.product_ids
        today = fields.Date.context_today(self)
        manager = env.ref("base.user_admin")
        orders = env["pos.order"]
        for days_ago in range(DEMO_DAYS, 0, -1):
            day = today - timedelta(days=days_ago)
            for _n in range(rng.randint(3, 7)):
                lines = []
                for product in {rng.choice(favourites if rng.random() < 0.7 else products) for _i in range(rng.randint(1, 3))}:
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
