from datetime import date

from odoo import Command

from odoo.addons.distribution_core.tests.common import DistributionCommon


class RebateCommon(DistributionCommon):
    """The channel of distribution_core plus rebate accounting and helpers.
    Periods are in 2025 (and 2024 for growth), away from the invoices of today
    that the core set-up creates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        company = cls.env.company
        cls.accrual_account = cls.env["account.account"].create(
            {"name": "Accrued rebates", "code": "218900", "account_type": "liability_current"}
        )
        cls.expense_account = cls.env["account.account"].create(
            {"name": "Rebates granted", "code": "709900", "account_type": "expense"}
        )
        company.write(
            {
                "dms_rebate_journal_id": cls.company_data["default_journal_misc"].id,
                "dms_rebate_expense_account_id": cls.expense_account.id,
                "dms_rebate_accrual_account_id": cls.accrual_account.id,
            }
        )
        cls.product_c = cls._create_product(name="product_c", lst_price=100.0, default_code="PC-003")

    def _agreement(self, start=True, **vals):
        values = {
            "name": "Test rebate",
            "scope": "member",
            "member_id": self.members["dl_hz"].id,
            "date_start": date(2025, 1, 1),
            "date_end": date(2025, 12, 31),
            "period_type": "quarter",
            "rebate_type": "flat",
            "rate": 3.0,
        }
        tiers = vals.pop("tiers", None)
        values.update(vals)
        if tiers:
            values["tier_line_ids"] = [Command.create({"threshold": t, "rate": r}) for t, r in tiers]
        agreement = self.env["distribution.rebate.agreement"].create(values)
        if start:
            agreement.action_approve()
            agreement.action_start()
        return agreement

    def _compute(self, agreement, up_to=date(2025, 12, 31)):
        self.env["distribution.rebate.computation"]._compute_agreements(agreement, up_to=up_to)
        return agreement.computation_ids

    def _result(self, agreement, period_start, member="dl_hz", up_to=date(2025, 12, 31)):
        self._compute(agreement, up_to=up_to)
        return agreement.computation_ids.filtered(
            lambda c: c.date_from == period_start and c.member_id == self.members[member]
        )
