"""History of the rebates demo: what must be computed, not written as records.

The records (accounts, journal, agreements) are data in ``distribution_rebate_demo.xml``;
``hooks.post_init_hook`` calls :func:`build` once they are loaded, only when the database gets demo
data: the agreements are computed on the year's sell-in, the last closed quarter of the dealers'
flat rebate is settled (credit notes posted), last month's accruals are booked.
"""

from datetime import timedelta

from odoo import fields

from odoo.addons.distribution_core.tools.demo import DEMO_CONTEXT

AGREEMENTS = ("retro", "progressive", "flat", "per_unit", "growth")


def build(env):
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    if not hq or not env.ref("distribution_rebate.demo_agreement_retro", raise_if_not_found=False):
        return
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    today = fields.Date.context_today(env.user)
    agreements = env["distribution.rebate.agreement"].concat(
        *(env.ref(f"distribution_rebate.demo_agreement_{key}") for key in AGREEMENTS)
    )
    if agreements.computation_ids:
        return
    env["distribution.rebate.computation"]._compute_agreements(agreements)
    # the last closed quarter of the dealers' flat rebate is settled (credit notes)
    flat = env.ref("distribution_rebate.demo_agreement_flat")
    closed = flat.computation_ids.filtered(lambda c: c.date_to < today and c.amount_to_settle > 0)
    last_quarter = closed.sorted("date_from")[-len(closed.member_id):] if closed else closed
    settlements = env["distribution.rebate.settlement"]._settle(last_quarter)
    settlements._post()
    env["distribution.rebate.accrual"]._run(today.replace(day=1) - timedelta(days=1), agreements)

