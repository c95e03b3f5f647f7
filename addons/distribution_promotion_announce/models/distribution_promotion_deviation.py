from odoo import api, fields, models
from odoo.tools import SQL


class DistributionPromotionDeviation(models.Model):
    """Promotion execution deviation over time: per promotion, store, point of
    sale and day, the eligible orders (as in *Promotion Execution*) and those
    not given the promotion; split by where the store was at the time of the
    order (before the announcement, announced, acknowledged). The brand's KPI:
    deviation = eligible orders not given the promotion / eligible orders."""

    _name = "distribution.promotion.deviation"
    _description = "Promotion Execution Deviation"
    _auto = False
    _order = "date desc, program_id, member_id"
    _rec_name = "program_id"

    program_id = fields.Many2one("loyalty.program", string="Promotion", readonly=True)
    member_id = fields.Many2one("distribution.member", string="Store", readonly=True)
    tier_id = fields.Many2one("distribution.tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", readonly=True)
    config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(string="Order Date", readonly=True, help="Day of the orders (UTC, as Promotion Execution).")
    phase = fields.Selection(
        [("before", "Before the Announcement"), ("announced", "Announced"), ("acknowledged", "Acknowledged")],
        string="Store's Stage", readonly=True,
        help="Where the store was when the order was taken: not announced yet, announced (not acknowledged), "
        "acknowledged.",
    )
    eligible_order_count = fields.Integer(string="Eligible Orders", readonly=True)
    applied_order_count = fields.Integer(string="Applied Orders", readonly=True)
    missed_order_count = fields.Integer(string="Missed Orders", readonly=True)
    deviation = fields.Float(
        string="Deviation (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Eligible orders not given the promotion / eligible orders, on the summed orders of the group.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH %(ctes)s,
            orders AS (
                SELECT program_id, config_id, order_id, BOOL_OR(is_applied) AS is_applied
                  FROM (SELECT program_id, config_id, order_id, FALSE AS is_applied FROM targeted
                        UNION ALL
                        SELECT program_id, config_id, order_id, TRUE AS is_applied FROM applied) eligible
              GROUP BY program_id, config_id, order_id
            ),
            staged AS (
                SELECT orders.program_id, orders.config_id, orders.is_applied,
                       published.member_id, published.tier_id, published.territory_id, published.company_id,
                       pos_order.date_order::date AS date,
                       CASE WHEN announcement.date_acknowledged <= pos_order.date_order THEN 'acknowledged'
                            WHEN announcement.date_announced <= pos_order.date_order THEN 'announced'
                            ELSE 'before' END AS phase
                  FROM orders
                  JOIN published ON published.program_id = orders.program_id
                                AND published.config_id = orders.config_id
                  JOIN pos_order ON pos_order.id = orders.order_id
             LEFT JOIN distribution_promotion_announcement announcement
                    ON announcement.program_id = orders.program_id AND announcement.member_id = published.member_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY program_id, config_id, date, phase) AS id,
                   program_id, member_id, tier_id, territory_id, config_id, company_id, date, phase,
                   COUNT(*) AS eligible_order_count,
                   COUNT(*) FILTER (WHERE is_applied) AS applied_order_count,
                   COUNT(*) FILTER (WHERE NOT is_applied) AS missed_order_count,
                   ROUND(100.0 * COUNT(*) FILTER (WHERE NOT is_applied) / COUNT(*), 1) AS deviation
              FROM staged
          GROUP BY program_id, member_id, tier_id, territory_id, config_id, company_id, date, phase
            """,
            ctes=self.env["distribution.promotion.execution"]._promotion_orders_ctes(),
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The deviation of a group is its missed orders over its eligible orders."""
        if aggregate_spec == "deviation:avg":
            return SQL(
                "COALESCE(ROUND(100.0 * SUM(%(missed)s) / NULLIF(SUM(%(eligible)s), 0), 1), 0.0)",
                missed=self._field_to_sql(self._table, "missed_order_count", query),
                eligible=self._field_to_sql(self._table, "eligible_order_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)
