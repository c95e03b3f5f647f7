from odoo import api, fields, models
from odoo.tools import SQL


class DistributionSellout(models.Model):
    """Sell-out (动销): what the channel's members sold to end customers, by member, product and day.

    Read-only and computed at query time from the sources other addons declare in
    `_sellout_sources()` (the store POS adds its paid orders): nothing is copied, so the figures are
    always those of the source documents. The rebate engine reads this model for sell-out rebates,
    which keeps the rebate addon independent of the POS."""

    _name = "distribution.sellout"
    _inherit = ["distribution.channel.dimension.mixin"]
    _description = "Channel Sell-out"
    _auto = False
    _order = "date desc, member_id, product_id"
    _rec_name = "product_id"

    date = fields.Date(readonly=True, help="The member's local day of the sale.")
    currency_id = fields.Many2one("res.currency", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit", help="Returns count negative.")
    amount = fields.Monetary(
        string="Untaxed Amount", readonly=True, help="In the company currency, converted at the sale's rate."
    )
    line_count = fields.Integer(string="Lines", readonly=True)
    source = fields.Selection([("pos", "Store POS")], readonly=True)

    @api.model
    def _sellout_sources(self):
        """SQL selects of the sell-out sources, one row per member, product and day with the columns
        (id, date, member_id, product_id, company_id, quantity, amount, line_count, source).
        `id` must be unique across sources, and a source flushes the fields it reads (the query runs
        in SQL): addons extend this list."""
        return []

    @property
    def _table_query(self):
        sources = self._sellout_sources()
        if not sources:
            body = SQL(
                "SELECT 0 AS id, NULL::date AS date, NULL::int AS member_id, NULL::int AS product_id, "
                "NULL::int AS company_id, 0::numeric AS quantity, 0::numeric AS amount, 0 AS line_count, "
                "NULL::varchar AS source WHERE FALSE"
            )
        else:
            body = SQL(" UNION ALL ").join(sources)
        return SQL(
            """
            SELECT s.id, s.date, s.member_id, m.tier_id, m.territory_id, m.parent_id AS parent_member_id,
                   s.product_id, t.categ_id, s.company_id, c.currency_id, s.quantity, s.amount, s.line_count, s.source
              FROM (%s) AS s
              JOIN distribution_member m ON m.id = s.member_id
              JOIN res_company c ON c.id = s.company_id
              JOIN product_product p ON p.id = s.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
            """,
            body,
        )
