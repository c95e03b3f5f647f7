from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.distribution_rebate.models.distribution_rebate_agreement import REBATE_TYPES

KINDS = [("accrued", "Accrued"), ("settled", "Settled")]


class DistributionRebateReport(models.Model):
    """Rebates accrued vs settled (返利计提与结算), per member, agreement and period.

    Two kinds of rows, so that a pivot by month shows when a rebate was earned and when it was paid:
    - accrued: one row per rebate result (agreement × member × period), dated at the period end, for what the
      period has earned so far (the amount the month-end accruals book until it is settled);
    - settled: one row per posted settlement, dated on the settlement, for what it paid.
    The balance (accrued − settled) is what is still owed to the member."""

    _name = "distribution.rebate.report"
    _description = "Rebates Accrued vs Settled"
    _auto = False
    _order = "date desc, member_id, agreement_id"
    _rec_name = "agreement_id"

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Date(readonly=True, help="Accrued: the end of the rebate period; settled: the settlement date.")
    agreement_id = fields.Many2one("distribution.rebate.agreement", readonly=True)
    computation_id = fields.Many2one("distribution.rebate.computation", string="Rebate Result", readonly=True)
    settlement_id = fields.Many2one("distribution.rebate.settlement", readonly=True)
    member_id = fields.Many2one("distribution.member", readonly=True)
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    rebate_type = fields.Selection(REBATE_TYPES, readonly=True)
    date_from = fields.Date(string="Period Start", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    amount = fields.Monetary(readonly=True, help="What the row accrued or settled.")
    accrued_amount = fields.Monetary(string="Accrued", readonly=True)
    settled_amount = fields.Monetary(string="Settled", readonly=True)
    balance_amount = fields.Monetary(string="To Settle", readonly=True, help="Accrued minus settled.")

    @property
    def _table_query(self):
        self.env["distribution.rebate.computation"].flush_model(
            ["agreement_id", "member_id", "tier_id", "territory_id", "company_id", "rebate_type", "date_from",
             "date_to", "amount"]
        )
        self.env["distribution.rebate.settlement"].flush_model(
            ["computation_id", "agreement_id", "member_id", "company_id", "date_from", "date_to", "date", "amount",
             "state"]
        )
        return SQL("""
            SELECT c.id * 2 AS id, 'accrued'::varchar AS kind, c.date_to AS date, c.agreement_id,
                   c.id AS computation_id, NULL::int AS settlement_id, c.member_id, c.tier_id, c.territory_id,
                   c.company_id, co.currency_id, c.rebate_type, c.date_from, c.date_to,
                   c.amount, c.amount AS accrued_amount, 0.0 AS settled_amount, c.amount AS balance_amount
              FROM distribution_rebate_computation c
              JOIN res_company co ON co.id = c.company_id
             UNION ALL
            SELECT s.id * 2 + 1 AS id, 'settled'::varchar AS kind, s.date, s.agreement_id,
                   s.computation_id, s.id AS settlement_id, s.member_id, c.tier_id, c.territory_id,
                   s.company_id, co.currency_id, c.rebate_type, s.date_from, s.date_to,
                   s.amount, 0.0 AS accrued_amount, s.amount AS settled_amount, -s.amount AS balance_amount
              FROM distribution_rebate_settlement s
              JOIN distribution_rebate_computation c ON c.id = s.computation_id
              JOIN res_company co ON co.id = s.company_id
             WHERE s.state = 'posted'
        """)

    def action_open_source(self):
        """The rebate result or the settlement the row comes from."""
        self.ensure_one()
        record = self.settlement_id or self.computation_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }
