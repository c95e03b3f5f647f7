from odoo import api, fields, models
from odoo.tools import SQL


class DistributionMember(models.Model):
    _inherit = "distribution.member"

    stock_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Stock kept in Odoo",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The warehouse holding this member's stock in this database (a store with its own POS): its on hand "
        "is then read from Odoo's stock of that warehouse. Empty: a warehouse whose address is the member's "
        "company, if any; otherwise the member reports its stock in the portal.",
    )
    stock_lead_days = fields.Integer(
        string="Lead Time (days)", help="Days between ordering and receiving the goods. 0: the company's default."
    )
    stock_safety_days = fields.Integer(
        string="Safety Stock (days)", help="Days of sales kept as safety stock. 0: the company's default."
    )
    stock_report_count = fields.Integer(compute="_compute_stock_report_count", string="Stock Reports")

    _stock_warehouse_unique = models.Constraint(
        "UNIQUE(stock_warehouse_id)", "This warehouse already holds the stock of another channel member."
    )

    def _compute_stock_report_count(self):
        counts = dict(
            self.env["distribution.stock.report"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.stock_report_count = counts.get(member, 0)

    @api.model
    def _stock_warehouse_query(self):
        """SQL of (member_id, warehouse_id): the member's own warehouse, or else the warehouse whose address
        is the member's company (and that no member holds explicitly). Used by the channel stock view."""
        self.env["distribution.member"].flush_model(["stock_warehouse_id", "partner_id", "company_id"])
        self.env["stock.warehouse"].flush_model(["partner_id", "company_id", "active", "view_location_id"])
        return SQL(
            """
            SELECT m.id AS member_id,
                   COALESCE(m.stock_warehouse_id, (
                       SELECT w.id
                         FROM stock_warehouse w
                        WHERE w.partner_id = m.partner_id AND w.company_id = m.company_id AND w.active
                          AND NOT EXISTS (SELECT 1 FROM distribution_member o WHERE o.stock_warehouse_id = w.id)
                     ORDER BY w.id
                        LIMIT 1
                   )) AS warehouse_id
              FROM distribution_member m
            """
        )

    def _stock_warehouses(self):
        """{member_id: warehouse_id} for the members of self whose stock is kept in Odoo (set-based)."""
        if not self.ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT member_id, warehouse_id FROM (%s) mw WHERE member_id = ANY(%s) AND warehouse_id IS NOT NULL",
                self._stock_warehouse_query(),
                self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def action_view_stock_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_stock.distribution_stock_report_action")
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, "default_source": "backend"}
        return action

    def action_view_channel_stock(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_stock.distribution_channel_stock_action")
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_stock_suggestions(self):
        self.ensure_one()
        return self.env["distribution.stock.analysis"].action_open_member_suggestions(self.id)
