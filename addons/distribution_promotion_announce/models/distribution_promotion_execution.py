from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.distribution_pos.models.distribution_promotion_execution import COUNTED_ORDER_STATES


class DistributionPromotionExecution(models.Model):
    """Promotion Execution, with the way the promotion travelled to each
    store: announced → read → acknowledged → first applied at the till, and
    the deviation (eligible orders not given the promotion / eligible orders)."""

    _inherit = "distribution.promotion.execution"

    missed_order_count = fields.Integer(
        string="Missed Orders", readonly=True, help="Eligible orders where the promotion was not applied."
    )
    deviation = fields.Float(
        string="Deviation (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Eligible orders not given the promotion / eligible orders. Totals are computed on the summed orders.",
    )
    date_announced = fields.Datetime(string="Announced On", readonly=True, aggregator="min")
    date_read = fields.Datetime(string="First Read On", readonly=True, aggregator="min")
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True, aggregator="min")
    date_first_applied = fields.Datetime(
        string="First Applied On", readonly=True, aggregator="min",
        help="The first counted order of this point of sale with a reward of the promotion.",
    )
    announcement_stage = fields.Selection(
        [("not_announced", "Not Announced"), ("announced", "Announced"), ("read", "Read"),
         ("acknowledged", "Acknowledged"), ("applied", "Applied")],
        string="Reached", readonly=True,
        help="How far the promotion got at the store: announced, read, acknowledged, applied at the till.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT base.*,
                   base.eligible_order_count - base.applied_order_count AS missed_order_count,
                   COALESCE(ROUND(100.0 * (base.eligible_order_count - base.applied_order_count)
                                  / NULLIF(base.eligible_order_count, 0), 1), 0.0) AS deviation,
                   announcement.date_announced,
                   announcement.date_read,
                   announcement.date_acknowledged,
                   first_applied.date_order AS date_first_applied,
                   CASE WHEN first_applied.date_order IS NOT NULL THEN 'applied'
                        WHEN announcement.date_acknowledged IS NOT NULL THEN 'acknowledged'
                        WHEN announcement.date_read IS NOT NULL THEN 'read'
                        WHEN announcement.id IS NOT NULL THEN 'announced'
                        ELSE 'not_announced' END AS announcement_stage
              FROM (%(base)s) base
         LEFT JOIN distribution_promotion_announcement announcement
                ON announcement.program_id = base.program_id AND announcement.member_id = base.member_id
         LEFT JOIN LATERAL (
                SELECT MIN(pos_order.date_order) AS date_order
                  FROM pos_order
                  JOIN pos_order_line line ON line.order_id = pos_order.id
                  JOIN loyalty_reward reward ON reward.id = line.reward_id
                 WHERE pos_order.config_id = base.config_id
                   AND reward.program_id = base.program_id
                   AND pos_order.state IN %(states)s
                ) first_applied ON TRUE
            """,
            base=super()._table_query,
            states=COUNTED_ORDER_STATES,
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
