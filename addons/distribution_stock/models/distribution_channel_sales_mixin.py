from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .distribution_channel_movement import KINDS
from .distribution_product_rank_mixin import PRODUCT_RANK_QUERY


class DistributionChannelSalesMixin(models.AbstractModel):
    """Monthly totals of the channel movements (`distribution.channel.movement`), stored.

    The live view sums the source lines on every read, which is too slow for dashboards over a large
    channel; these tables hold its monthly sums, rebuilt per company by the nightly job
    (`distribution.stock.analysis._cron_refresh`) with one DELETE and one INSERT ... SELECT ... GROUP BY.
    The movements of the current day show in the next refresh; the live view stays for the drill-down."""

    _name = "distribution.channel.sales.mixin"
    _description = "Channel Sales Aggregate"
    _log_access = False  # generated rows
    _order = "month desc, id"

    # the movement view's columns each model groups by, besides month, company, currency and kind
    _sales_dimensions = ()
    # the field of the row the drill-down filters the movements on
    _sales_drilldown_field = None

    month = fields.Date(readonly=True, index=True, help="First day of the month.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit", help="Credit notes and returns deducted.")
    amount = fields.Monetary(
        string="Untaxed Amount", readonly=True, help="In the company currency; credit notes and returns deducted."
    )
    line_count = fields.Integer(string="Movement Lines", readonly=True, help="Source lines summed in the row.")

    def _is_an_ordinary_table(self):
        """No foreign keys: the table is rebuilt in bulk every night (see distribution.stock.analysis)."""
        return False

    def init(self):
        # drop foreign keys a previous definition of the table may have left
        if self._abstract:
            return
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [self._table]
        )
        for (name,) in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(self._table), SQL.identifier(name))
            )

    @api.model
    def _refresh_company(self, company, source=None):
        """Rebuild the company's rows: one DELETE, one INSERT ... SELECT ... GROUP BY, over the movement view,
        or over `source` (SQL of a table with the view's columns, `date` on the first of the month, and
        `line_count`: the movements already summed by month, see `_refresh_all`)."""
        company.ensure_one()
        if source is None:
            self.env.flush_all()  # the view reads the source tables in SQL
            source = SQL("(%s)", self.env["distribution.channel.movement"]._table_query)
            line_count = SQL("COUNT(*)")
        else:
            line_count = SQL("SUM(mv.line_count)")
        dims = [SQL.identifier(name) for name in self._sales_dimensions]
        dims_mv = [SQL.identifier("mv", name) for name in self._sales_dimensions]
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM %s WHERE company_id = %s", SQL.identifier(self._table), company.id))
        cr.execute("SET LOCAL work_mem = '128MB'")
        ranked = "product_rank" in self._fields
        cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (month, %(dims)s, company_id, currency_id, kind, quantity, amount, line_count
                                       %(rank_column)s)
                SELECT date_trunc('month', mv.date)::date, %(dims_mv)s, mv.company_id, mv.currency_id, mv.kind,
                       SUM(mv.quantity), SUM(mv.amount), %(line_count)s %(rank_value)s
                  FROM %(source)s mv
                       %(rank_join)s
                 WHERE mv.company_id = %(company)s AND mv.date IS NOT NULL
              GROUP BY date_trunc('month', mv.date)::date, %(dims_mv)s, mv.company_id, mv.currency_id, mv.kind
                """,
                table=SQL.identifier(self._table),
                dims=SQL(", ").join(dims),
                dims_mv=SQL(", ").join(dims_mv),
                source=source,
                line_count=line_count,
                company=company.id,
                rank_column=SQL(", product_rank") if ranked else SQL(),
                rank_value=SQL(", MAX(pr.product_rank)") if ranked else SQL(),
                rank_join=SQL("LEFT JOIN (%s) pr ON pr.id = mv.product_id", PRODUCT_RANK_QUERY) if ranked else SQL(),
            )
        )
        self.invalidate_model()

    @api.model
    def _refresh_all(self, company):
        """Rebuild both aggregates of the company with one pass over the movement view: its rows summed by
        month and kind, by member and by product (GROUPING SETS), into a temporary table that each aggregate
        then reads. Reading the view is most of the work: once, not once per aggregate."""
        company.ensure_one()
        self.env.flush_all()
        member_model = self.env["distribution.channel.sales.member"]
        product_model = self.env["distribution.channel.sales.product"]
        member_dims = [SQL.identifier("mv", name) for name in member_model._sales_dimensions]
        product_dims = [SQL.identifier("mv", name) for name in product_model._sales_dimensions]
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS dms_channel_sales_pass")
        cr.execute("SET LOCAL work_mem = '128MB'")
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE dms_channel_sales_pass ON COMMIT DROP AS
                SELECT GROUPING(%(first_member_dim)s) AS by_product,
                       date_trunc('month', mv.date)::date AS date, %(member_dims)s, %(product_dims)s,
                       mv.company_id, mv.currency_id, mv.kind,
                       SUM(mv.quantity) AS quantity, SUM(mv.amount) AS amount, COUNT(*) AS line_count
                  FROM (%(movement)s) mv
                 WHERE mv.company_id = %(company)s AND mv.date IS NOT NULL
              GROUP BY date_trunc('month', mv.date)::date, mv.company_id, mv.currency_id, mv.kind,
                       GROUPING SETS ((%(member_dims)s), (%(product_dims)s))
                """,
                first_member_dim=member_dims[0],
                member_dims=SQL(", ").join(member_dims),
                product_dims=SQL(", ").join(product_dims),
                movement=self.env["distribution.channel.movement"]._table_query,
                company=company.id,
            )
        )
        member_model._refresh_company(company, SQL("(SELECT * FROM dms_channel_sales_pass WHERE by_product = 0)"))
        product_model._refresh_company(company, SQL("(SELECT * FROM dms_channel_sales_pass WHERE by_product = 1)"))
        cr.execute("DROP TABLE dms_channel_sales_pass")

    def _movement_domain(self):
        """The movement rows summed in this row."""
        self.ensure_one()
        field = self._sales_drilldown_field
        return [
            ("date", ">=", self.month),
            ("date", "<", self.month + relativedelta(months=1)),
            ("kind", "=", self.kind),
            ("company_id", "=", self.company_id.id),
            (field, "=", self[field].id),
        ]

    def action_view_movements(self):
        """Drill-down: the movements (live view) this row sums."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_stock.distribution_channel_movement_action"
        )
        action.update(
            {
                "name": self.env._(
                    "%(name)s – %(month)s",
                    name=self[self._sales_drilldown_field].display_name,
                    month=self.month.strftime("%Y-%m"),
                ),
                "domain": self._movement_domain(),
                "context": {},
                "view_mode": "list,pivot,graph",
                "views": [(False, "list"), (False, "pivot"), (False, "graph")],
            }
        )
        return action
