import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.distribution_sale.models.distribution_channel_order import OPEN_CHANNEL_ORDER_STATES

from .distribution_product_rank_mixin import PRODUCT_RANK_QUERY

_logger = logging.getLogger(__name__)

# members notified inline by the nightly job; the others by the follow-up job, in batches
NOTIFY_BATCH = 100


class DistributionStockAnalysis(models.Model):
    """Days of cover, turnover, slow movers, hot items and replenishment suggestions per
    channel member and product.

    A stored table rebuilt every night by `_cron_refresh()` with one set-based statement per
    company, from the channel stock (`distribution.channel.stock`), the movements
    (`distribution.channel.movement`) and the open orders of the member."""

    _name = "distribution.stock.analysis"
    _inherit = ["distribution.product.rank.mixin"]
    _description = "Channel Stock Analysis"
    _order = "id"  # rows are inserted by member and product
    _rec_name = "product_id"
    _log_access = False  # generated rows: date_refreshed says when

    member_id = fields.Many2one("distribution.member", readonly=True, index=True, ondelete="cascade")
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    parent_member_id = fields.Many2one("distribution.member", string="Supplier", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True, ondelete="cascade")
    default_code = fields.Char(related="product_id.default_code", string="Code")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    on_hand = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="The member's stock of the product: Odoo stock of its warehouse, or its latest stock report "
        "(a product missing from the latest report counts 0).",
    )
    on_hand_date = fields.Date(
        string="Counted On", readonly=True, aggregator="max", help="Today for Odoo stock, the report date otherwise."
    )
    on_order = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Ordered and not received yet: channel orders of the member as buyer (submitted, approved or shipped) "
        "plus the undelivered quantities of its confirmed sale orders from HQ.",
    )
    outflow_qty = fields.Float(
        string="Outflow",
        digits="Product Unit",
        readonly=True,
        help="Sell-through (sold down the channel) plus sell-out (sold to end customers) of the analysis window, "
        "returns deducted.",
    )
    average_stock = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Mean of the member's stock counts of the product dated within the window (a product missing from a "
        "count counts 0). With a single known count (Odoo stock, or one report in the window) it is the on-hand "
        "quantity.",
    )
    velocity = fields.Float(
        digits=(16, 4),
        readonly=True,
        help="Units per day: outflow of the window (not below 0) ÷ days of the window.",
    )
    days_cover = fields.Float(
        string="Days of Cover",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Days the stock lasts at the current velocity: on hand ÷ velocity. Empty when nothing sold in the "
        "window (velocity 0).",
    )
    turnover = fields.Float(
        string="Inventory Turnover",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="How many times the stock turned over in the window: outflow of the window (not below 0) ÷ average "
        "stock. Empty when the average stock is 0.",
    )
    last_outflow_date = fields.Date(
        string="Last Outflow",
        readonly=True,
        aggregator="max",
        help="The last day with a sell-through or sell-out, looking back over the window (or over the slow-mover "
        "period if longer). Empty: none in that period.",
    )
    lead_days = fields.Integer(
        string="Lead Time (days)", readonly=True, aggregator="avg", help="The member's own, or the company's."
    )
    safety_days = fields.Integer(
        string="Safety Stock (days)", readonly=True, aggregator="avg", help="The member's own, or the company's."
    )
    is_slow = fields.Boolean(
        string="Slow Mover",
        readonly=True,
        help="In stock and either no outflow for the slow-mover period (N days) or days of cover above M days "
        "(Settings → Channel Inventory).",
    )
    is_hot = fields.Boolean(
        string="Hot Item",
        readonly=True,
        help="Velocity above the company's percentile (of all members × products that sell) and days of cover "
        "below the lead time; never a slow mover at the same time.",
    )
    suggested_qty = fields.Float(
        string="Suggested Quantity",
        digits="Product Unit",
        readonly=True,
        help="Replenishment suggestion: velocity × (lead time + safety days) − on hand − on order, rounded up to "
        "whole units, 0 when negative or when the product cannot be ordered.",
    )
    date_refreshed = fields.Datetime(string="Refreshed On", readonly=True)
    was_slow = fields.Boolean(readonly=True, help="Already a slow mover, and notified, before this refresh.")
    was_hot = fields.Boolean(readonly=True, help="Already a hot item, and notified, before this refresh.")
    flag_notified = fields.Boolean(
        readonly=True,
        help="The member and its channel manager were told about the current flags (only new flags are notified).",
    )

    # one line per member and product by construction (the refresh groups by both); no unique index:
    # after the nightly DELETE each insert would check the deleted line of the same key
    _slow_index = models.Index("(member_id) WHERE is_slow")
    _suggestion_index = models.Index("(member_id) WHERE suggested_qty > 0")
    _pending_index = models.Index("(member_id) WHERE NOT flag_notified")

    def _is_an_ordinary_table(self):
        """No foreign keys on this table: it is rebuilt in bulk every night, and a foreign key costs a
        row lock on the referenced member, product, tier... per inserted row (most of the job's time
        over a large channel). The rows only ever reference existing records when they are built."""
        return False

    def init(self):
        # databases that installed a first version of the table have its foreign keys and unique
        # index: drop them
        self.env.cr.execute(
            "ALTER TABLE distribution_stock_analysis DROP CONSTRAINT IF EXISTS "
            "distribution_stock_analysis_member_product_unique"
        )
        self.env.cr.execute("DROP INDEX IF EXISTS distribution_stock_analysis__product_id_index")
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [self._table]
        )
        for (name,) in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(self._table), SQL.identifier(name))
            )

    @api.depends("member_id", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.member_id.display_name} – {line.product_id.display_name}"

    # ------------------------------------------------------------------
    # Refresh (nightly job)
    # ------------------------------------------------------------------
    @api.model
    def _cron_refresh(self, today=None):
        """Rebuild the analysis of every company with channel members, then tell the members
        and their channel managers about the new slow movers and hot items."""
        companies = self.env["distribution.member"].sudo().search([]).company_id
        for company in companies:
            self._refresh_company(company, today=today)
            self._refresh_sales_aggregates(company)
        remaining = self._notify_new_flags(limit=NOTIFY_BATCH)
        if remaining:
            self.env.ref("distribution_stock.ir_cron_stock_analysis_notify")._trigger()
        return True

    @api.model
    def _refresh_sales_aggregates(self, company):
        """Rebuild the company's monthly channel sales (what the dashboards read) from the movements."""
        self.env["distribution.channel.sales.mixin"]._refresh_all(company)

    @api.model
    def _cron_notify_flags(self):
        """Follow-up job: notify the members left over by the nightly job, in batches."""
        cron = self.env["ir.cron"]
        while self._notify_new_flags(limit=NOTIFY_BATCH):
            if cron._commit_progress(NOTIFY_BATCH) <= 0:
                self.env.ref("distribution_stock.ir_cron_stock_analysis_notify")._trigger()
                break
        return True

    @api.model
    def _refresh_company(self, company, today=None):
        """Rebuild the rows of a company with set-based SQL: the flagged rows' known flags are
        kept aside, the company's rows deleted and inserted again by one INSERT ... SELECT."""
        company.ensure_one()
        today = today or fields.Date.context_today(self.with_company(company))
        window = company.dms_stock_window_days or 90
        slow_days = company.dms_slow_days or 60
        window_start = today - timedelta(days=window)
        lookback_start = today - timedelta(days=max(window, slow_days))
        slow_since = today - timedelta(days=slow_days)
        self.env.flush_all()  # the views and the order tables are read in SQL
        stock_sql = self.env["distribution.channel.stock"]._table_sql
        movement_sql = self.env["distribution.channel.movement"]._table_sql
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS dms_stock_analysis_known")
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE dms_stock_analysis_known AS
                SELECT member_id, product_id,
                       is_slow AND (flag_notified OR was_slow) AS slow_known,
                       is_hot AND (flag_notified OR was_hot) AS hot_known
                  FROM distribution_stock_analysis
                 WHERE company_id = %(company)s AND (is_slow OR is_hot)
                """,
                company=company.id,
            )
        )
        cr.execute(SQL("DELETE FROM distribution_stock_analysis WHERE company_id = %s", company.id))
        # one large statement: let its sorts and hashes stay in memory (back to the default right after)
        cr.execute("SET LOCAL work_mem = '128MB'")
        cr.execute(
            SQL(
                """
                WITH mem AS (
                    SELECT m.id, m.tier_id, m.territory_id, m.parent_id,
                           COALESCE(NULLIF(m.stock_lead_days, 0), %(lead)s) AS lead_days,
                           COALESCE(NULLIF(m.stock_safety_days, 0), %(safety)s) AS safety_days
                      FROM distribution_member m
                     WHERE m.company_id = %(company)s AND m.state IN ('active', 'suspended')
                ),
                stock AS (
                    -- one line per member and product: Odoo stock or the latest report, not both
                    SELECT s.member_id, s.product_id, s.quantity, s.date, s.source
                      FROM %(stock)s AS s
                     WHERE s.company_id = %(company)s
                ),
                outflow AS (
                    SELECT mv.member_id, mv.product_id,
                           SUM(mv.quantity) FILTER (WHERE mv.date > %(window_start)s) AS quantity,
                           MAX(mv.date) FILTER (WHERE mv.quantity > 0) AS last_date
                      FROM %(movement)s AS mv
                     WHERE mv.company_id = %(company)s AND mv.kind IN ('sell_through', 'sell_out')
                       AND mv.date > %(lookback_start)s AND mv.date <= %(today)s
                  GROUP BY mv.member_id, mv.product_id
                ),
                base AS (
                    SELECT COALESCE(st.member_id, o.member_id) AS member_id,
                           COALESCE(st.product_id, o.product_id) AS product_id,
                           COALESCE(st.quantity, 0)::numeric AS on_hand, st.date AS on_hand_date, st.source,
                           COALESCE(o.quantity, 0)::numeric AS outflow_qty, o.last_date
                      FROM stock st
                 FULL JOIN outflow o ON o.member_id = st.member_id AND o.product_id = st.product_id
                     WHERE st.member_id IS NOT NULL OR o.quantity IS NOT NULL
                ),
                on_order AS (
                    SELECT x.member_id, x.product_id, SUM(x.quantity) AS quantity
                      FROM (
                            SELECT l.buyer_member_id AS member_id, l.product_id, l.product_uom_qty AS quantity
                              FROM distribution_channel_order_line l
                             WHERE l.state IN %(open_states)s
                         UNION ALL
                            SELECT so.channel_member_id, sol.product_id,
                                   (sol.product_uom_qty - sol.qty_delivered) * lu.factor / pu.factor
                              FROM sale_order_line sol
                              JOIN sale_order so ON so.id = sol.order_id
                              JOIN product_product pp ON pp.id = sol.product_id
                              JOIN product_template pt ON pt.id = pp.product_tmpl_id
                              JOIN uom_uom lu ON lu.id = sol.product_uom_id
                              JOIN uom_uom pu ON pu.id = pt.uom_id
                             WHERE so.company_id = %(company)s AND so.state = 'sale'
                               AND so.channel_member_id IS NOT NULL
                               AND sol.qty_delivered < sol.product_uom_qty
                           ) x
                  GROUP BY x.member_id, x.product_id
                ),
                report AS (
                    SELECT r.id, r.member_id
                      FROM distribution_stock_report r
                     WHERE r.company_id = %(company)s AND r.state = 'done'
                       AND r.date > %(window_start)s AND r.date <= %(today)s
                ),
                report_count AS (
                    SELECT member_id, COUNT(*) AS counts FROM report GROUP BY member_id
                ),
                report_sum AS (
                    SELECT report.member_id, l.product_id, SUM(l.quantity) AS quantity
                      FROM report
                      JOIN distribution_stock_report_line l ON l.report_id = report.id
                  GROUP BY report.member_id, l.product_id
                ),
                calc AS (
                    SELECT b.member_id, b.product_id, pr.product_rank, mem.tier_id, mem.territory_id, mem.parent_id,
                           pt.categ_id, pt.sale_ok AND pp.active AS orderable, b.on_hand, b.on_hand_date,
                           COALESCE(oo.quantity, 0)::numeric AS on_order, b.outflow_qty, b.last_date,
                           mem.lead_days, mem.safety_days,
                           GREATEST(b.outflow_qty, 0) / %(window)s::numeric AS velocity,
                           CASE WHEN rc.counts > 1 AND COALESCE(b.source, 'reported') = 'reported'
                                THEN COALESCE(rs.quantity, 0)::numeric / rc.counts
                                ELSE b.on_hand END AS average_stock
                      FROM base b
                      JOIN mem ON mem.id = b.member_id
                      JOIN product_product pp ON pp.id = b.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN (%(product_rank)s) pr ON pr.id = b.product_id
                 LEFT JOIN on_order oo ON oo.member_id = b.member_id AND oo.product_id = b.product_id
                 LEFT JOIN report_count rc ON rc.member_id = b.member_id
                 LEFT JOIN report_sum rs ON rs.member_id = b.member_id AND rs.product_id = b.product_id
                     WHERE pt.type = 'consu'
                ),
                threshold AS (
                    SELECT percentile_cont(%(percentile)s) WITHIN GROUP (ORDER BY velocity) AS velocity
                      FROM calc
                     WHERE velocity > 0
                ),
                flagged AS (
                    SELECT c.*,
                           CASE WHEN c.velocity > 0 THEN c.on_hand / c.velocity END AS days_cover,
                           c.on_hand > 0 AND (
                               c.last_date IS NULL OR c.last_date <= %(slow_since)s
                               OR (c.velocity > 0 AND c.on_hand / c.velocity > %(slow_cover)s)
                           ) AS is_slow,
                           c.velocity > 0 AND c.velocity > t.velocity
                               AND c.on_hand / c.velocity < c.lead_days AS is_hot_candidate
                      FROM calc c
                CROSS JOIN threshold t
                )
                INSERT INTO distribution_stock_analysis (
                    member_id, tier_id, territory_id, parent_member_id, product_id, product_rank, categ_id,
                    company_id, on_hand, on_hand_date, on_order, outflow_qty, average_stock, velocity, days_cover, turnover,
                    last_outflow_date, lead_days, safety_days, is_slow, is_hot, suggested_qty,
                    was_slow, was_hot, flag_notified, date_refreshed
                )
                SELECT f.member_id, f.tier_id, f.territory_id, f.parent_id, f.product_id, f.product_rank, f.categ_id,
                       %(company)s,
                       f.on_hand, f.on_hand_date, f.on_order, f.outflow_qty, ROUND(f.average_stock, 6),
                       ROUND(f.velocity, 6), ROUND(f.days_cover, 4),
                       ROUND(CASE WHEN f.average_stock > 0 THEN GREATEST(f.outflow_qty, 0) / f.average_stock END, 6),
                       f.last_date, f.lead_days, f.safety_days, f.is_slow,
                       f.is_hot_candidate AND NOT f.is_slow,
                       CASE WHEN f.orderable THEN GREATEST(CEIL(ROUND(
                           GREATEST(f.outflow_qty, 0) * (f.lead_days + f.safety_days) / %(window)s::numeric
                           - f.on_hand - f.on_order, 6)), 0) ELSE 0 END,
                       COALESCE(k.slow_known, FALSE), COALESCE(k.hot_known, FALSE),
                       NOT (
                           (f.is_slow AND NOT COALESCE(k.slow_known, FALSE))
                           OR (f.is_hot_candidate AND NOT f.is_slow AND NOT COALESCE(k.hot_known, FALSE))
                       ),
                       %(now)s
                  FROM flagged f
             LEFT JOIN dms_stock_analysis_known k ON k.member_id = f.member_id AND k.product_id = f.product_id
              ORDER BY f.member_id, f.product_id
                """,
                company=company.id,
                product_rank=PRODUCT_RANK_QUERY,
                lead=company.dms_lead_days,
                safety=company.dms_safety_days,
                stock=stock_sql,
                movement=movement_sql,
                window=window,
                window_start=window_start,
                lookback_start=lookback_start,
                today=today,
                slow_since=slow_since,
                slow_cover=company.dms_slow_cover_days,
                percentile=company.dms_hot_percentile / 100.0,
                open_states=OPEN_CHANNEL_ORDER_STATES,
                now=fields.Datetime.now(),
            )
        )
        count = cr.rowcount
        cr.execute("SET LOCAL work_mem TO DEFAULT")
        cr.execute("DROP TABLE dms_stock_analysis_known")
        self.invalidate_model()
        _logger.info("Channel stock analysis of %s: %s rows", company.name, count)
        return count

    # ------------------------------------------------------------------
    # Suggestions → order
    # ------------------------------------------------------------------
    @api.model
    def _check_may_order_for(self, member):
        """A member's own (portal) users order for it; channel staff for any member they can read."""
        user = self.env.user
        if user.share:
            if member != self.env["distribution.member"]._for_user(user):
                raise AccessError(self.env._("You can only order for your own company."))
        elif not (self.env.su or user.has_group("distribution_core.group_channel_user")):
            raise AccessError(self.env._("Only channel users can order for a channel member."))
        member.check_access("read")

    @api.model
    def _order_suggestions(self, member, product_ids=None, quantities=None, note=None):
        """Turn the member's replenishment suggestions into one order to its supplier (a channel
        order to its parent member, or a sale order to HQ), submitted through the approvals as the
        current user. `product_ids` limits the products; `quantities` ({product id: qty}) replaces
        the suggested quantities. Returns the order."""
        member = member.with_env(self.env)  # ordered by the current user, not the caller of the record
        member.ensure_one()
        self._check_may_order_for(member)
        domain = [("member_id", "=", member.id), ("suggested_qty", ">", 0)]
        if product_ids is not None:
            domain.append(("product_id", "in", list(product_ids)))
        lines = self.search(domain)  # record rules: a portal user reads its own subtree only
        quantities = quantities or {}
        product_qtys = []
        for line in lines:
            qty = quantities.get(line.product_id.id, line.suggested_qty)
            if qty and qty > 0:
                product_qtys.append((line, qty))
        if not product_qtys:
            raise UserError(
                self.env._("%(member)s has no replenishment suggestion to order.", member=member.display_name)
            )
        order = member._portal_submit_order(
            [(line.product_id, qty) for line, qty in product_qtys],
            note=note or self.env._("Replenishment suggestions"),
        )
        # what is ordered is on order now: the suggestions shrink until the next refresh
        # (sudo: the rows are generated, read-only for members and channel users)
        for line, qty in product_qtys:
            line.sudo().write({"on_order": line.on_order + qty, "suggested_qty": max(line.suggested_qty - qty, 0.0)})
        return order

    def action_order_suggestions(self):
        """List button: order the selected suggestions, which must be of one member."""
        if not self:
            raise UserError(self.env._("Select the suggestions to order."))
        if len(self.member_id) != 1:
            raise UserError(
                self.env._("Select the suggestions of one member at a time: each member orders from its own supplier.")
            )
        order = self._order_suggestions(self.member_id, product_ids=self.product_id.ids)
        return order.get_formview_action()

    def action_refresh(self):
        """List button for channel managers: rebuild the analysis of the current company now."""
        if not self.env.user.has_group("distribution_core.group_channel_manager"):
            raise AccessError(self.env._("Only channel managers can refresh the stock analysis."))
        # sudo: the rebuild writes generated rows and notifies members the manager may not manage
        self.sudo()._refresh_company(self.env.company)
        self.sudo()._notify_new_flags(limit=NOTIFY_BATCH)
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def action_open_member_suggestions(self, member_id):
        """The suggestions of one member (for a button on the member form)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_stock.distribution_stock_analysis_action_suggestion"
        )
        action["domain"] = [("member_id", "=", member_id), ("suggested_qty", ">", 0)]
        action["context"] = {}
        return action
