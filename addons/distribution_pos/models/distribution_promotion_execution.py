from odoo import api, fields, models
from odoo.tools import SQL

# POS orders that count: paid, posted (invoiced orders are posted too)
COUNTED_ORDER_STATES = ("paid", "done")
# stored value, not promotions a store executes at the till
NOT_PROMOTIONS = ("gift_card", "ewallet")


class DistributionPromotionExecution(models.Model):
    """How well the stores executed HQ's promotions: per program published to
    the channel, per store and per point of sale, the orders that qualified
    for the promotion against the orders where it was applied.

    Only what the till runs counts: active (not archived) programs and active
    stores (not suspended nor terminated). Eligible
    orders are the paid or posted orders of the points of sale the program is
    published to (see ``loyalty.program._is_published_to_store``;
    the store's current tier and territory, and the program's points of sale if
    any), dated within the program's validity (dates compared in UTC), that
    satisfy at least one of the program's active rules: lines of the products
    the rule targets (its products, or products of its category and
    sub-categories, or of its tag; any product when it targets none) reaching
    the rule's minimum quantity and minimum amount (tax included or excluded
    as the rule says), reward lines left out. The rule's developer-mode product
    domain is not evaluated. An order where the promotion was applied always
    counts as eligible, so the execution rate never exceeds 100%.
    """

    _name = "distribution.promotion.execution"
    _description = "Promotion Execution"
    _auto = False
    _order = "program_id, member_id, config_id"
    _rec_name = "program_id"

    program_id = fields.Many2one("loyalty.program", string="Promotion", readonly=True)
    member_id = fields.Many2one("distribution.member", string="Store", readonly=True)
    tier_id = fields.Many2one("distribution.tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", readonly=True)
    config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_from = fields.Date(string="Start Date", readonly=True)
    date_to = fields.Date(string="End Date", readonly=True)
    eligible_order_count = fields.Integer(
        string="Eligible Orders", readonly=True, help="Paid orders that qualified for the promotion."
    )
    applied_order_count = fields.Integer(
        string="Applied Orders", readonly=True, help="Paid orders with a reward of the promotion."
    )
    execution_rate = fields.Float(
        string="Execution Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Applied orders / eligible orders. Totals are computed on the summed orders, not averaged.",
    )

    @api.model
    def _promotion_orders_ctes(self):
        """The common table expressions the report is built from, for the
        addons that measure the same orders differently (by day, ...):
        ``published`` (program, point of sale, store, tier, territory, company,
        dates), ``program_orders`` (the counted orders of those points of sale
        within the program's dates), ``targeted`` (those satisfying a rule) and
        ``applied`` (those with a reward of the program); the last three give
        ``program_id, config_id, order_id``."""
        return SQL(
            """
                published AS (
                SELECT program.id AS program_id,
                       program.date_from,
                       program.date_to,
                       config.id AS config_id,
                       config.company_id,
                       store.id AS member_id,
                       store.tier_id,
                       store.territory_id
                  FROM loyalty_program program
                  JOIN pos_config config ON config.channel_member_id IS NOT NULL
                  JOIN distribution_member store ON store.id = config.channel_member_id
             LEFT JOIN distribution_territory store_territory ON store_territory.id = store.territory_id
                 WHERE program.pos_ok
                   AND program.active
                   AND store.state = 'active'
                   AND program.program_type NOT IN %(not_promotions)s
                   AND (program.company_id IS NULL OR program.company_id = config.company_id)
                   AND (EXISTS (SELECT 1 FROM loyalty_program_distribution_tier_rel pt
                                 WHERE pt.program_id = program.id)
                        OR EXISTS (SELECT 1 FROM loyalty_program_distribution_territory_rel pr
                                    WHERE pr.program_id = program.id))
                   AND (NOT EXISTS (SELECT 1 FROM loyalty_program_distribution_tier_rel pt
                                     WHERE pt.program_id = program.id)
                        OR EXISTS (SELECT 1 FROM loyalty_program_distribution_tier_rel pt
                                    WHERE pt.program_id = program.id AND pt.tier_id = store.tier_id))
                   AND (NOT EXISTS (SELECT 1 FROM loyalty_program_distribution_territory_rel pr
                                     WHERE pr.program_id = program.id)
                        OR EXISTS (SELECT 1
                                     FROM loyalty_program_distribution_territory_rel pr
                                     JOIN distribution_territory territory ON territory.id = pr.territory_id
                                    WHERE pr.program_id = program.id
                                      AND store_territory.parent_path LIKE territory.parent_path || '%%'))
                   AND (NOT EXISTS (SELECT 1 FROM loyalty_program_pos_config_rel pc
                                     WHERE pc.loyalty_program_id = program.id)
                        OR EXISTS (SELECT 1 FROM loyalty_program_pos_config_rel pc
                                    WHERE pc.loyalty_program_id = program.id AND pc.pos_config_id = config.id))
            ),
            program_orders AS (
                SELECT published.program_id, published.config_id, pos_order.id AS order_id
                  FROM published
                  JOIN pos_order ON pos_order.config_id = published.config_id
                 WHERE pos_order.state IN %(states)s
                   AND (published.date_from IS NULL OR pos_order.date_order::date >= published.date_from)
                   AND (published.date_to IS NULL OR pos_order.date_order::date <= published.date_to)
            ),
            targeted AS (
                SELECT program_orders.program_id, program_orders.config_id, program_orders.order_id
                  FROM program_orders
                  JOIN loyalty_rule rule ON rule.program_id = program_orders.program_id AND rule.active
                  JOIN pos_order_line line ON line.order_id = program_orders.order_id
                                          AND line.reward_id IS NULL
                                          AND NOT COALESCE(line.is_reward_line, FALSE)
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
             LEFT JOIN product_category category ON category.id = template.categ_id
             LEFT JOIN product_category rule_category ON rule_category.id = rule.product_category_id
                 WHERE (rule.product_category_id IS NULL
                        AND rule.product_tag_id IS NULL
                        AND NOT EXISTS (SELECT 1 FROM loyalty_rule_product_product_rel rp
                                         WHERE rp.loyalty_rule_id = rule.id))
                    OR EXISTS (SELECT 1 FROM loyalty_rule_product_product_rel rp
                                WHERE rp.loyalty_rule_id = rule.id AND rp.product_product_id = product.id)
                    OR category.parent_path LIKE rule_category.parent_path || '%%'
                    OR EXISTS (SELECT 1 FROM product_tag_product_template_rel tt
                                WHERE tt.product_tag_id = rule.product_tag_id
                                  AND tt.product_template_id = template.id)
                    OR EXISTS (SELECT 1 FROM product_tag_product_product_rel tp
                                WHERE tp.product_tag_id = rule.product_tag_id
                                  AND tp.product_product_id = product.id)
              GROUP BY program_orders.program_id, program_orders.config_id, program_orders.order_id, rule.id
                HAVING SUM(line.qty) >= COALESCE(rule.minimum_qty, 0)
                   AND SUM(CASE WHEN rule.minimum_amount_tax_mode = 'excl' THEN line.price_subtotal
                                ELSE line.price_subtotal_incl END) >= COALESCE(rule.minimum_amount, 0)
            ),
            applied AS (
                SELECT program_orders.program_id, program_orders.config_id, program_orders.order_id
                  FROM program_orders
                  JOIN pos_order_line line ON line.order_id = program_orders.order_id
                  JOIN loyalty_reward reward ON reward.id = line.reward_id
                                            AND reward.program_id = program_orders.program_id
            )
            """,
            not_promotions=NOT_PROMOTIONS,
            states=COUNTED_ORDER_STATES,
        )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH %(ctes)s,
            counts AS (
                SELECT program_id, config_id,
                       COUNT(DISTINCT order_id) AS eligible,
                       COUNT(DISTINCT order_id) FILTER (WHERE is_applied) AS applied
                  FROM (SELECT program_id, config_id, order_id, FALSE AS is_applied FROM targeted
                        UNION ALL
                        SELECT program_id, config_id, order_id, TRUE AS is_applied FROM applied) orders
              GROUP BY program_id, config_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY published.program_id, published.config_id) AS id,
                   published.program_id,
                   published.member_id,
                   published.tier_id,
                   published.territory_id,
                   published.config_id,
                   published.company_id,
                   published.date_from,
                   published.date_to,
                   COALESCE(counts.eligible, 0) AS eligible_order_count,
                   COALESCE(counts.applied, 0) AS applied_order_count,
                   COALESCE(ROUND(100.0 * counts.applied / NULLIF(counts.eligible, 0), 1), 0.0)
                       AS execution_rate
              FROM published
         LEFT JOIN counts ON counts.program_id = published.program_id AND counts.config_id = published.config_id
            """,
            ctes=self._promotion_orders_ctes(),
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The rate of a group is its applied orders over its eligible orders,
        not the average of its rows' rates."""
        if aggregate_spec == "execution_rate:avg":
            return SQL(
                "COALESCE(ROUND(100.0 * SUM(%(applied)s) / NULLIF(SUM(%(eligible)s), 0), 1), 0.0)",
                applied=self._field_to_sql(self._table, "applied_order_count", query),
                eligible=self._field_to_sql(self._table, "eligible_order_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)
