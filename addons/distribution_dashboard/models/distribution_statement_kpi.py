from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.distribution_statement.models.distribution_statement import STATES


class DistributionStatementKpi(models.Model):
    """Statement confirmation rate (对账单确认率): one row per statement sent to a member, current version
    only (drafts were not sent; a superseded version counts through the version that replaced it).

    Confirmation rate = confirmed statements / statements sent, in percent, computed on the totals of
    every grouping (month, member, tier, territory), not as the sum of the rows' rates."""

    _name = "distribution.statement.kpi"
    _description = "Statement Confirmation Rate"
    _auto = False
    _order = "month desc, member_id"
    _rec_name = "statement_id"

    statement_id = fields.Many2one("distribution.statement", readonly=True)
    member_id = fields.Many2one("distribution.member", readonly=True)
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(string="Period Month", readonly=True, help="The month the statement's period ends in.")
    date_from = fields.Date(string="Period Start", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    sent_date = fields.Datetime(readonly=True)
    confirmed_date = fields.Datetime(readonly=True)
    sent_count = fields.Integer(string="Statements Sent", readonly=True)
    confirmed_count = fields.Integer(string="Confirmed", readonly=True)
    disputed_count = fields.Integer(string="Disputed", readonly=True, help="Statements the member disputed at least once.")
    open_count = fields.Integer(
        string="Not Confirmed", readonly=True, help="Sent, disputed or answered, and not confirmed yet."
    )
    confirmation_rate = fields.Float(
        string="Confirmation Rate (%)", readonly=True, aggregator="sum", digits=(16, 2),
        help="Confirmed statements / statements sent, in percent, computed on every grouping's totals.",
    )
    days_to_confirm = fields.Float(
        string="Days to Confirm", readonly=True, aggregator="avg", digits=(16, 1),
        help="Days from sending to confirmation, for the confirmed statements.",
    )

    @property
    def _table_query(self):
        self.env["distribution.statement"].flush_model(
            ["member_id", "tier_id", "territory_id", "company_id", "date_from", "date_to", "state", "sent_date",
             "confirmed_date"]
        )
        self.env["distribution.statement.dispute"].flush_model(["statement_id"])
        return SQL("""
            SELECT s.id, s.id AS statement_id, s.member_id, s.tier_id, s.territory_id, s.company_id,
                   date_trunc('month', s.date_to)::date AS month, s.date_from, s.date_to, s.state,
                   s.sent_date, s.confirmed_date,
                   1 AS sent_count,
                   CASE WHEN s.state = 'confirmed' THEN 1 ELSE 0 END AS confirmed_count,
                   CASE WHEN s.state = 'disputed' OR EXISTS (
                       SELECT 1 FROM distribution_statement_dispute d WHERE d.statement_id = s.id
                   ) THEN 1 ELSE 0 END AS disputed_count,
                   CASE WHEN s.state = 'confirmed' THEN 0 ELSE 1 END AS open_count,
                   CASE WHEN s.state = 'confirmed' THEN 100.0 ELSE 0.0 END AS confirmation_rate,
                   CASE WHEN s.state = 'confirmed' AND s.sent_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM s.confirmed_date - s.sent_date) / 86400.0 END AS days_to_confirm
              FROM distribution_statement s
             WHERE s.state NOT IN ('draft', 'superseded')
        """)

    def _read_group_select(self, aggregate_spec, query):
        """The rate of a group is the ratio of its totals, not the sum of its rows' rates."""
        if aggregate_spec.split(":")[0] == "confirmation_rate":
            return SQL(
                "COALESCE(SUM(%s) * 100.0 / NULLIF(SUM(%s), 0), 0)",
                SQL.identifier(self._table, "confirmed_count"),
                SQL.identifier(self._table, "sent_count"),
            )
        return super()._read_group_select(aggregate_spec, query)

    def action_open_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.statement",
            "res_id": self.statement_id.id,
            "views": [(False, "form")],
        }
