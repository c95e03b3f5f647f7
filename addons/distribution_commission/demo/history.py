"""History of the member-distribution demo: what must be computed, not written as records.

The records (HQ's warehouse, settings, rules, promoters, the promoter login, referred customers) are data in
``distribution_commission_demo.xml``; ``hooks.post_init_hook`` calls :func:`build` once they are
loaded, only when the database gets demo data. Each customer orders once; the orders are delivered,
invoiced and paid, which books the commissions; two are past their return window (available), one
customer sends a unit back (partly reversed), 陈晨 was paid a withdrawal and 周婷's waits for approval.
"""

from datetime import timedelta

from odoo import Command, fields

from odoo.addons.distribution_core.tools.demo import DEMO_CONTEXT

# customer XML id, product XML id, cases
ORDERS = [
    ("demo_customer_liuyang", "distribution_core.demo_product_bv_001", 12),
    ("demo_customer_wangfang", "distribution_core.demo_product_bv_002", 24),
    ("demo_customer_lina", "distribution_core.demo_product_bv_003", 6),
    ("demo_customer_zhangwei", "distribution_core.demo_product_bv_001", 10),
]


def build(env):
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    mid = env.ref("distribution_commission.demo_promoter_chenchen", raise_if_not_found=False)
    if not hq or not mid or mid.commission_ids:
        return
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    top = env.ref("distribution_commission.demo_promoter_zhouting")
    customers = env["res.partner"].concat(*(env.ref(f"distribution_commission.{xmlid}") for xmlid, *_r in ORDERS))
    orders = env["sale.order"].create([
        {"partner_id": env.ref(f"distribution_commission.{customer}").id, "company_id": hq.id,
         "order_line": [Command.create({"product_id": env.ref(product).id, "product_uom_qty": qty})]}
        for customer, product, qty in ORDERS
    ])
    orders.action_confirm()
    for picking in orders.picking_ids:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids, skip_sms=True).button_validate()
    invoices = orders._create_invoices()
    invoices.action_post()
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoices.ids
    ).create({"group_payment": False})._create_payments()
    Commission = env["distribution.commission"]
    commissions = Commission.search([("order_id", "in", orders.ids)])
    # the first two orders and the fourth are past their return window: available
    past = commissions.filtered(lambda c: c.order_id in orders[:2] or c.order_id == orders[3])
    past.write({"release_date": fields.Date.context_today(past) - timedelta(days=1)})
    Commission._cron_release()
    # the third customer sends one unit back within the window: that part is reversed
    refund = invoices.filtered(lambda m: m.partner_id == customers[2])._reverse_moves([{"ref": "退货 1 箱"}])
    refund.invoice_line_ids.quantity = 1
    refund.action_post()
    Withdrawal = env["distribution.commission.withdrawal"]
    paid = Withdrawal._request(mid, min(mid.amount_withdrawable, 100.0))
    paid.action_approve()
    Withdrawal._request(top, top.amount_withdrawable)  # waiting for approval
