from odoo import fields, models
from odoo.tools import SQL


class DistributionChannelStock(models.Model):
    """Channel stock (渠道库存): what each member holds, by product.

    Computed at query time: for a member whose stock is kept in Odoo (its own warehouse, see
    `distribution.member._stock_warehouses()`), the quants of that warehouse's internal locations, dated
    today; for the others, the lines of the member's latest submitted stock report, dated with that count
    (a product absent from the latest report counts 0, so it has no row)."""

    _name = "distribution.channel.stock"
    _inherit = ["distribution.channel.dimension.mixin"]
    _description = "Channel Stock"
    _auto = False
    _order = "member_id, product_id"
    _rec_name = "product_id"

    quantity = fields.Float(string="On Hand", readonly=True, digits="Product Unit")
    date = fields.Date(
        string="Count Date", readonly=True, help="Today for stock kept in Odoo, the count date for reported stock."
    )
    source = fields.Selection([("odoo", "Odoo Stock"), ("reported", "Reported")], readonly=True)

    def _flush_sources(self):
        self.env["distribution.member"].flush_model(
            ["stock_warehouse_id", "partner_id", "company_id", "tier_id", "territory_id", "parent_id"]
        )
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        self.env["stock.location"].flush_model(["parent_path", "usage"])
        self.env["distribution.stock.report"].flush_model(["member_id", "date", "state", "company_id"])
        self.env["distribution.stock.report.line"].flush_model(["report_id", "product_id", "quantity"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])

    @property
    def _table_query(self):
        self._flush_sources()
        return SQL(
            """
            WITH member_warehouse AS (%(warehouses)s),
            odoo_stock AS (
                SELECT MIN(q.id)::bigint * 2 + 1 AS id, mw.member_id, q.product_id, SUM(q.quantity) AS quantity
                  FROM member_warehouse mw
                  JOIN stock_warehouse w ON w.id = mw.warehouse_id
                  JOIN stock_location vl ON vl.id = w.view_location_id
                  JOIN stock_location l ON l.parent_path LIKE vl.parent_path || '%%' AND l.usage = 'internal'
                  JOIN stock_quant q ON q.location_id = l.id
              GROUP BY mw.member_id, q.product_id
                HAVING SUM(q.quantity) <> 0
            ),
            latest_report AS (
                SELECT DISTINCT ON (r.member_id) r.member_id, r.id, r.date
                  FROM distribution_stock_report r
                  JOIN member_warehouse mw ON mw.member_id = r.member_id AND mw.warehouse_id IS NULL
                 WHERE r.state = 'done'
              ORDER BY r.member_id, r.date DESC, r.id DESC
            ),
            stock AS (
                SELECT s.id, s.member_id, s.product_id, s.quantity, CURRENT_DATE AS date, 'odoo'::varchar AS source
                  FROM odoo_stock s
                 UNION ALL
                SELECT rl.id::bigint * 2 AS id, lr.member_id, rl.product_id, rl.quantity, lr.date,
                       'reported'::varchar AS source
                  FROM latest_report lr
                  JOIN distribution_stock_report_line rl ON rl.report_id = lr.id
            )
            SELECT s.id, s.member_id, m.tier_id, m.territory_id, m.parent_id AS parent_member_id,
                   s.product_id, t.categ_id, m.company_id, s.quantity, s.date, s.source
              FROM stock s
              JOIN distribution_member m ON m.id = s.member_id
              JOIN product_product p ON p.id = s.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
            """,
            warehouses=self.env["distribution.member"]._stock_warehouse_query(),
        )
