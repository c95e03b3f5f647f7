from odoo import fields, models
from odoo.tools import SQL


class DistributionDiversionKpi(models.Model):
    """Diversion rate (窜货率) = confirmed incidents / scanned units, by the member the units were
    bound to, its territory and the month. Scanned units: distinct codes bound to the member
    scanned in the month (a unit scanned in two months counts in both)."""

    _name = "distribution.diversion.kpi"
    _description = "Diversion Rate"
    _auto = False
    _order = "month desc, member_id"
    _rec_name = "member_id"

    month = fields.Date(readonly=True)
    member_id = fields.Many2one("distribution.member", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    scanned_units = fields.Integer(readonly=True)
    incident_count = fields.Integer(string="Incidents", readonly=True)
    confirmed_count = fields.Integer(string="Confirmed Incidents", readonly=True)
    penalty_amount = fields.Monetary(string="Penalties", readonly=True)
    diversion_rate = fields.Float(
        string="Diversion Rate (%)", readonly=True, aggregator="sum", digits=(16, 2),
        help="Confirmed incidents / scanned units, in percent, computed on every grouping's totals.",
    )

    @property
    def _table_query(self):
        return SQL("""
            WITH s AS (
                SELECT bound_member_id AS member_id, bound_territory_id AS territory_id, company_id,
                       date_trunc('month', date)::date AS month, COUNT(DISTINCT code_id) AS units
                  FROM distribution_code_scan
                 WHERE bound_member_id IS NOT NULL AND result IN ('genuine', 'sold')
              GROUP BY 1, 2, 3, 4
            ), i AS (
                SELECT expected_member_id AS member_id, expected_territory_id AS territory_id, company_id,
                       date_trunc('month', date)::date AS month, COUNT(*) AS incidents,
                       COUNT(*) FILTER (WHERE state = 'confirmed') AS confirmed,
                       COALESCE(SUM(penalty_amount) FILTER (WHERE state = 'confirmed'), 0) AS penalty
                  FROM distribution_diversion_incident
              GROUP BY 1, 2, 3, 4
            )
            SELECT row_number() OVER (ORDER BY k.month, k.member_id, k.territory_id) AS id,
                   k.month, k.member_id, k.territory_id, k.company_id, c.currency_id,
                   COALESCE(s.units, 0) AS scanned_units, COALESCE(i.incidents, 0) AS incident_count,
                   COALESCE(i.confirmed, 0) AS confirmed_count, COALESCE(i.penalty, 0) AS penalty_amount,
                   COALESCE(i.confirmed, 0) * 100.0 / NULLIF(s.units, 0) AS diversion_rate
              FROM (SELECT member_id, territory_id, company_id, month FROM s
                    UNION SELECT member_id, territory_id, company_id, month FROM i) AS k
         LEFT JOIN s ON s.member_id = k.member_id AND s.territory_id IS NOT DISTINCT FROM k.territory_id
                    AND s.company_id IS NOT DISTINCT FROM k.company_id AND s.month = k.month
         LEFT JOIN i ON i.member_id = k.member_id AND i.territory_id IS NOT DISTINCT FROM k.territory_id
                    AND i.company_id IS NOT DISTINCT FROM k.company_id AND i.month = k.month
         LEFT JOIN res_company c ON c.id = k.company_id
        """)

    def _read_group_select(self, aggregate_spec, query):
        """The rate of a group is the ratio of its totals, not the sum of its rows' rates."""
        if aggregate_spec.split(":")[0] == "diversion_rate":
            return SQL(
                "COALESCE(SUM(%s) * 100.0 / NULLIF(SUM(%s), 0), 0)",
                SQL.identifier(self._table, "confirmed_count"),
                SQL.identifier(self._table, "scanned_units"),
            )
        return super()._read_group_select(aggregate_spec, query)
