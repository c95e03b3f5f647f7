from datetime import timedelta

from odoo import Command, api, fields, models


class DistributionRebateAgreement(models.Model):
    _inherit = "distribution.rebate.agreement"

    @api.model
    def _generate_demo(self):
        """Agreements of each type on the core demo channel, computed, one quarter settled, last month accrued."""
        hq = self.env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
        if not hq or self.env.ref("distribution_rebate.demo_agreement_retro", raise_if_not_found=False):
            return True
        self = self.with_company(hq).with_context(tracking_disable=True, mail_notrack=True)
        Account = self.env["account.account"].with_company(hq)
        expense = Account.search([("account_type", "=", "expense"), ("company_ids", "in", hq.ids)], limit=1)
        liability = Account.search([("code", "=", "224101"), ("company_ids", "in", hq.ids)], limit=1) or Account.create(
            {"name": "应付返利", "code": "224101", "account_type": "liability_current"}
        )
        journal = self.env["account.journal"].search([("type", "=", "general"), ("company_id", "=", hq.id)], limit=1)
        hq.write({"rebate_journal_id": journal.id, "rebate_expense_account_id": expense.id,
                  "rebate_accrual_account_id": liability.id})
        today = fields.Date.context_today(self)
        year_start, year_end = today.replace(month=1, day=1), today.replace(month=12, day=31)
        ref = self.env.ref
        common = {"company_id": hq.id, "date_start": year_start, "date_end": year_end}
        agreements = self.create([
            dict(common, name="华东大区年度阶梯返利（全额累进）", scope="member",
                 member_id=ref("distribution_core.demo_member_rd001").id, period_type="year",
                 rebate_type="stepped_retro", tier_line_ids=[
                     Command.create({"threshold": 0, "rate": 1.0}),
                     Command.create({"threshold": 300000, "rate": 2.0}),
                     Command.create({"threshold": 800000, "rate": 3.0})]),
            dict(common, name="华南大区季度阶梯返利（超额累进）", scope="member",
                 member_id=ref("distribution_core.demo_member_rd002").id, period_type="quarter",
                 rebate_type="stepped_progressive", tier_line_ids=[
                     Command.create({"threshold": 0, "rate": 1.0}),
                     Command.create({"threshold": 100000, "rate": 2.5}),
                     Command.create({"threshold": 250000, "rate": 4.0})]),
            dict(common, name="经销商季度固定返利 2%", scope="tier", tier_id=ref("distribution_core.tier_dealer").id,
                 period_type="quarter", rebate_type="flat", rate=2.0, overdue_action="reduce",
                 overdue_reduce_percent=50.0),
            dict(common, name="杭州顺达饮料按箱返利", scope="member",
                 member_id=ref("distribution_core.demo_member_dl001").id, period_type="quarter", basis="qty",
                 rebate_type="flat", rate=0.5, categ_ids=[Command.set(ref("distribution_core.demo_product_category_bv").ids)]),
            dict(common, name="华东大区季度增长返利（目标 20 万）", scope="member",
                 member_id=ref("distribution_core.demo_member_rd001").id, period_type="quarter",
                 rebate_type="growth", growth_reference="target", growth_target=200000, rate=5.0, cap_amount=20000),
        ])
        agreements.write({"state": "running"})
        self.env["distribution.rebate.computation"]._compute_agreements(agreements)
        # the last closed quarter of the dealers' flat rebate is settled (credit notes)
        closed = agreements[2].computation_ids.filtered(lambda c: c.date_to < today and c.amount_to_settle > 0)
        last_quarter = closed.sorted("date_from")[-len(closed.member_id):] if closed else closed
        settlements = self.env["distribution.rebate.settlement"]._settle(last_quarter)
        settlements._post()
        self.env["distribution.rebate.accrual"]._run(today.replace(day=1) - timedelta(days=1), agreements)
        self.env["ir.model.data"]._update_xmlids([
            {"xml_id": f"distribution_rebate.demo_agreement_{key}", "record": agreement, "noupdate": True}
            for key, agreement in zip(["retro", "progressive", "flat", "per_unit", "growth"], agreements, strict=True)
        ])
        return True
