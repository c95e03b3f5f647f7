from odoo import api, models
from odoo.tools import SQL


class DistributionSellout(models.Model):
    _inherit = "distribution.sellout"

    @api.model
    def _sellout_sources(self):
        """Paid and posted POS orders of the stores (a POS with a channel store), by store, product
        and the store's local day; refunds have negative quantities and amounts. Amounts are the
        untaxed line totals in the company currency (at the order's rate, rounded per line)."""
        self.env["pos.order.line"].flush_model(["order_id", "product_id", "qty", "price_subtotal"])
        self.env["pos.order"].flush_model(["config_id", "state", "date_order", "currency_rate", "company_id"])
        self.env["pos.config"].flush_model(["channel_member_id"])
        return [
            *super()._sellout_sources(),
            SQL(
                """
                SELECT MIN(l.id)::bigint * 8 + 1 AS id,
                       (o.date_order AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(sp.tz, cp.tz, 'UTC'))::date AS date,
                       cfg.channel_member_id AS member_id,
                       l.product_id,
                       o.company_id,
                       SUM(l.qty) AS quantity,
                       SUM(ROUND(l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1), cur.decimal_places))
                           AS amount,
                       COUNT(*)::int AS line_count,
                       'pos'::varchar AS source
                  FROM pos_order_line l
                  JOIN pos_order o ON o.id = l.order_id
                  JOIN pos_config cfg ON cfg.id = o.config_id
                  JOIN distribution_member sm ON sm.id = cfg.channel_member_id
                  JOIN res_partner sp ON sp.id = sm.partner_id
                  JOIN res_company co ON co.id = o.company_id
                  JOIN res_partner cp ON cp.id = co.partner_id
                  JOIN res_currency cur ON cur.id = co.currency_id
                 WHERE o.state IN ('paid', 'done') AND l.product_id IS NOT NULL
              GROUP BY 2, 3, 4, 5
                """
            ),
        ]
