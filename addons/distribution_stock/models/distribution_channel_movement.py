from odoo import fields, models
from odoo.tools import SQL

KINDS = [("sell_in", "Sell-in"), ("sell_through", "Sell-through"), ("sell_out", "Sell-out")]


class DistributionChannelMovement(models.Model):
    """Goods moving through the channel, by member, product, day and kind.

    - Sell-in (进货): HQ's posted customer invoices and credit notes to the member's company, product lines.
    - Sell-through (分销出货): shipped or received channel orders, on the SUPPLIER member's side (its outflow
      down the channel), dated on the shipping day.
    - Sell-out (终端销售): the rows of `distribution.sellout` (the store POS feeds it when installed).

    Quantities are in the product's unit and amounts untaxed in the company currency; credit notes and returns
    count negative. The rows are those of the source documents (a member may have several rows for one product,
    day and kind, e.g. two invoices the same day): always sum them."""

    _name = "distribution.channel.movement"
    _inherit = ["distribution.channel.dimension.mixin"]
    _description = "Channel Movement"
    _auto = False
    _order = "date desc, member_id, product_id"
    _rec_name = "product_id"

    date = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit", help="Credit notes and returns count negative.")
    amount = fields.Monetary(
        string="Untaxed Amount", readonly=True, help="In the company currency; credit notes and returns negative."
    )

    def _flush_sources(self):
        self.env["account.move"].flush_model(
            ["move_type", "state", "commercial_partner_id", "invoice_date", "company_id"]
        )
        self.env["account.move.line"].flush_model(
            ["move_id", "display_type", "product_id", "quantity", "balance", "product_uom_id"]
        )
        self.env["distribution.channel.order"].flush_model(["state", "date_shipped", "company_id"])
        self.env["distribution.channel.order.line"].flush_model(
            ["order_id", "state", "supplier_member_id", "product_id", "product_uom_qty", "price_subtotal"]
        )
        self.env["distribution.member"].flush_model(
            ["partner_id", "company_id", "tier_id", "territory_id", "parent_id"]
        )
        self.env["res.partner"].flush_model(["tz"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id", "uom_id"])
        self.env["uom.uom"].flush_model(["factor"])

    def _sell_in_query(self):
        return SQL(
            """
            SELECT l.id::bigint * 4 + 1 AS id, am.invoice_date AS date, m.id AS member_id, l.product_id,
                   am.company_id, 'sell_in'::varchar AS kind,
                   CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END
                       * CASE WHEN lu.id IS NULL OR lu.id = pu.id OR COALESCE(pu.factor, 0) = 0 THEN l.quantity
                              ELSE l.quantity * lu.factor / pu.factor END AS quantity,
                   -l.balance AS amount
              FROM account_move_line l
              JOIN account_move am ON am.id = l.move_id
              JOIN distribution_member m ON m.partner_id = am.commercial_partner_id AND m.company_id = am.company_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
              LEFT JOIN uom_uom lu ON lu.id = l.product_uom_id
              LEFT JOIN uom_uom pu ON pu.id = t.uom_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND l.display_type = 'product' AND l.product_id IS NOT NULL
            """
        )

    def _sell_through_query(self):
        return SQL(
            """
            SELECT l.id::bigint * 4 + 2 AS id,
                   (o.date_shipped AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(sp.tz, cp.tz, 'UTC'))::date AS date,
                   l.supplier_member_id AS member_id, l.product_id, o.company_id, 'sell_through'::varchar AS kind,
                   l.product_uom_qty AS quantity, l.price_subtotal AS amount
              FROM distribution_channel_order_line l
              JOIN distribution_channel_order o ON o.id = l.order_id
              JOIN distribution_member sm ON sm.id = l.supplier_member_id
              JOIN res_partner sp ON sp.id = sm.partner_id
              JOIN res_company co ON co.id = o.company_id
              JOIN res_partner cp ON cp.id = co.partner_id
             WHERE o.state IN ('shipped', 'received') AND o.date_shipped IS NOT NULL
            """
        )

    def _sell_out_query(self):
        return SQL(
            """
            SELECT s.id::bigint * 4 + 3 AS id, s.date, s.member_id, s.product_id, s.company_id,
                   'sell_out'::varchar AS kind, s.quantity, s.amount
              FROM (%s) s
            """,
            self.env["distribution.sellout"]._table_query,
        )

    @property
    def _table_query(self):
        self._flush_sources()
        return SQL(
            """
            SELECT mv.id, mv.date, mv.member_id, m.tier_id, m.territory_id, m.parent_id AS parent_member_id,
                   mv.product_id, t.categ_id, mv.company_id, c.currency_id, mv.kind, mv.quantity, mv.amount
              FROM (%s UNION ALL %s UNION ALL %s) mv
              JOIN distribution_member m ON m.id = mv.member_id
              JOIN res_company c ON c.id = mv.company_id
              JOIN product_product p ON p.id = mv.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
            """,
            self._sell_in_query(),
            self._sell_through_query(),
            self._sell_out_query(),
        )
