"""History of the statements demo: what must be computed, not written as records.

The accountant is data in ``distribution_statement_demo.xml``; ``hooks.post_init_hook`` calls
:func:`build` once it is loaded, only when the database gets demo data: last month's statements of
account are run and told as a story, one in each state: draft, sent, confirmed, disputed, resolved
with an explanation, and corrected (a credit note, a new version the member confirmed).
"""

from datetime import timedelta

from odoo import Command, fields

from odoo.addons.distribution_core.tools.demo import DEMO_CONTEXT


def build(env):
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    if not hq:
        return
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    _statements(env, hq, fields.Date.context_today(env.user))


def _statements(env, hq, today):
    """Last month's statements of the demo channel, in every state."""
    Statement = env["distribution.statement"]
    if Statement.search_count([("company_id", "=", hq.id)], limit=1):
        return
    date_to = today.replace(day=1) - timedelta(days=1)
    # the demo sends its emails while the modules are being installed, before Odoo loads their
    # translations: load them now, so that the demo's emails are what a member receives (Chinese
    # for the Chinese members), as on a database in use
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms(["mail", "distribution_statement"], langs)
    run = env["distribution.statement.run"].create(
        {"company_id": hq.id, "date_from": date_to.replace(day=1), "date_to": date_to}
    )
    run.action_run()
    # the members with entries first: their statements tell a story
    statements = run.statement_ids.sorted(lambda s: (-len(s.line_ids), s.member_id.code or ""))
    if len(statements) < 6 or not statements[5].line_ids:
        return
    draft, sent, confirmed, disputed, resolved, corrected = statements[:6]
    (statements - draft).action_send()

    # the members' portal users, in one search (not one per statement)
    users = env["res.users"].search(
        [("partner_id.commercial_partner_id", "in", statements.partner_id.ids), ("share", "=", True)]
    )
    user_by_partner = {}
    for user in users:
        user_by_partner.setdefault(user.partner_id.commercial_partner_id, user)

    def portal_user(statement):
        user = user_by_partner.get(statement.partner_id)
        return statement.with_user(user) if user else statement

    portal_user(confirmed).action_confirm()
    portal_user(disputed)._dispute(disputed.line_ids[:1], "这张发票的数量与我们的入库单不符，请核对。")
    dispute = portal_user(resolved)._dispute(resolved.line_ids[:1], "这笔款项我们已于月底付出，请查收。")
    dispute.write({"resolution": "explanation", "answer": "款项已于次月 2 日到账，将出现在下期对账单中。"})
    dispute.action_resolve()
    line = corrected.line_ids.filtered(lambda entry: entry.document_type == "invoice")[:1]
    dispute = portal_user(corrected)._dispute(line, "发票单价高于协议价，每箱差 5 元。")
    refund = env["account.move"].create({
        "move_type": "out_refund",
        "partner_id": corrected.partner_id.id,
        "invoice_date": date_to,
        "ref": f"价格差异调整 {line.reference}",
        "invoice_line_ids": [Command.create({"name": "价格差异调整", "quantity": 1, "price_unit": 50.0, "tax_ids": []})],
    })
    refund.action_post()
    dispute.write({"resolution": "correction", "answer": "已开具 50 元价格差异红字发票，请确认新版对账单。"})
    dispute.action_resolve()
    portal_user(dispute.corrected_statement_id).action_confirm()
