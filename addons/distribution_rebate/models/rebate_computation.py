import ast
import bisect
import contextlib
import gc
import logging
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from operator import itemgetter

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round, format_amount, formatLang
from odoo.tools.misc import get_lang

from . import rebate_math

_logger = logging.getLogger(__name__)

# the figures of a period result, in the order the upsert writes them
RESULT_FIELDS = [
    "basis",
    "basis_reference",
    "has_reference",
    "tier_reached",
    "rate",
    "amount_before_conditions",
    "overdue_amount",
    "diversion_penalty",
    "amount",
    "next_threshold",
    "next_missing",
    "next_amount",
    "explanation",
]
RESULT_TYPES = dict.fromkeys(RESULT_FIELDS, "numeric") | {"has_reference": "bool", "explanation": "text"}
# beyond this many distinct product filters in one run (one bit each), the lines are summed per product
MAX_FILTER_BITS = 16
# nor when the filtered products' ids span more than this (the bit masks are an array indexed by product id)
MAX_MASK_SPAN = 1_000_000

# The settings of the basis query. The sums of a year of lines fit in memory; compiling the query
# (JIT) costs more than it saves. The planner cannot know how few groups the keys make (it
# multiplies the distinct members, days and products of the lines, i.e. one group per line): left
# alone, it sorts a million lines to group them, or reads them in one process. Hashing them as a
# parallel scan hands them over is faster in every case (and the same for small data). Once the
# lines are vacuumed the scan is of their rebate index (account_move_line.py), which the planner
# reads in one process only unless told that a parallel scan is worth it at any index size, and
# which it prices as pages read at random from a spinning disk (random_page_cost 4): then it takes
# the table scan or the index from one ANALYZE sample to the next. The index is read from memory
# or SSD, where a random read costs about a sequential one. Lines not yet vacuumed are fetched from
# the table too, which the planner weighs with the visibility map; on a million lines, the index
# with none or 8 % of the pages all-visible took as long as the table scan or a sixth more.
_BASIS_SETTINGS = {
    "work_mem": "'64MB'",
    "jit": "off",
    "enable_sort": "off",
    "parallel_tuple_cost": "0.01",
    "min_parallel_index_scan_size": "0",
    "random_page_cost": "1.1",
}
BASIS_QUERY_SETTINGS = "; ".join(f"SET LOCAL {name} = {value}" for name, value in _BASIS_SETTINGS.items())
# back to the defaults for the rest of the transaction (RESET would change the session's values)
BASIS_QUERY_RESET = "; ".join(f"SET LOCAL {name} TO DEFAULT" for name in _BASIS_SETTINGS)


@contextlib.contextmanager
def paused_gc():
    """Pause the garbage collector (not its reference counting) in the block, if it runs. As
    odoo.tools.gc.disabling_gc, but the collector runs again when the block raises (an error
    raised in Odoo's leaves it off for the rest of the worker's life)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def day_segments(bounds):
    """Cut the days covered by the periods `bounds` [(date_from, date_to)] at every period start and
    end: returns (points, days), `points` the sorted segment starts (and the day after the last
    segment), `days` the segment number (1-based) of each day from points[0] to the last day.
    A period [date_from, date_to] is the segments bisect_left(points, date_from) + 1 up to
    bisect_left(points, date_to + 1 day)."""
    bounds = list(bounds)
    points = sorted({date_from for date_from, _to in bounds} | {date_to + timedelta(days=1) for _f, date_to in bounds})
    days = []
    for number, (start, end) in enumerate(pairwise(points), start=1):
        days.extend([number] * (end - start).days)
    return points, days


class DistributionRebateComputation(models.Model):
    """The result of an agreement for one member and one period, with what it was computed from."""

    _name = "distribution.rebate.computation"
    _description = "Rebate Computation"
    _order = "date_from desc, agreement_id, member_id"
    _rec_name = "display_name"

    agreement_id = fields.Many2one("distribution.rebate.agreement", required=True, ondelete="cascade", index=True)
    member_id = fields.Many2one("distribution.member", required=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one(related="member_id.partner_id", store=True)
    tier_id = fields.Many2one(related="member_id.tier_id", string="Channel Tier", store=True)
    territory_id = fields.Many2one(related="member_id.territory_id", string="Sales Territory", store=True)
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    rebate_type = fields.Selection(related="agreement_id.rebate_type", store=True)
    basis_kind = fields.Selection(related="agreement_id.basis", string="Basis Type")
    date_from = fields.Date(string="Period Start", required=True, index=True)
    date_to = fields.Date(string="Period End", required=True)
    period_closed = fields.Boolean(compute="_compute_period_closed")
    basis = fields.Float(
        digits=(16, 2),
        help="Invoiced net amount (company currency, at each invoice's date) or quantity; for a sell-out "
        "agreement, what the member and its stores sold to end customers.",
    )
    basis_reference = fields.Float(string="Reference Basis", digits=(16, 2), help="Growth: last year's basis or the target.")
    has_reference = fields.Boolean(help="Growth: last year's basis exists (or a target is set).")
    line_count = fields.Integer(string="Invoice Lines")
    tier_reached = fields.Float(string="Tier Reached (threshold)", digits=(16, 2))
    rate = fields.Float(string="Rate Applied", digits=(16, 4))
    amount_before_conditions = fields.Monetary(string="Earned before Conditions")
    overdue_amount = fields.Monetary(string="Overdue at Period End")
    diversion_penalty = fields.Monetary(
        string="Diversion Penalties", help="Penalties of the member's diversion incidents confirmed in the period."
    )
    amount = fields.Monetary(string="Earned")
    amount_settled = fields.Monetary(string="Settled", compute="_compute_amount_settled", store=True)
    amount_to_settle = fields.Monetary(compute="_compute_amount_settled", store=True)
    next_threshold = fields.Float(string="Next Tier at", digits=(16, 2))
    next_missing = fields.Float(string="Missing to Next Tier", digits=(16, 2))
    next_amount = fields.Monetary(string="Earned at Next Tier")
    explanation = fields.Text()
    rate_display = fields.Char(
        string="Rate Shown", compute="_compute_rate_display",
        help="The rate applied as the members read it: a percentage of the amount, or an amount per unit.",
    )
    computed_on = fields.Datetime(string="Figures Changed On", readonly=True)
    settlement_ids = fields.One2many("distribution.rebate.settlement", "computation_id", string="Settlements")
    frozen_line_ids = fields.Many2many(
        "account.move.line",
        "distribution_rebate_computation_aml_rel",
        "computation_id",
        "move_line_id",
        string="Settled Invoice Lines",
        help="The invoice lines of the basis, frozen when the period is settled.",
    )

    _unique_period = models.Constraint(
        "UNIQUE(agreement_id, member_id, date_from)", "An agreement has one computation per member and period."
    )

    def _compute_display_name(self):
        for computation in self:
            computation.display_name = (
                f"{computation.agreement_id.name} / {computation.member_id.name} / "
                f"{computation.date_from} → {computation.date_to}"
            )

    @api.depends("rate", "agreement_id.basis", "agreement_id.company_id.currency_id")
    @api.depends_context("lang")
    def _compute_rate_display(self):
        for computation in self:
            computation.rate_display = computation.agreement_id._format_rate(computation.rate)

    def _compute_period_closed(self):
        today = fields.Date.context_today(self)
        for computation in self:
            computation.period_closed = computation.date_to < today

    @api.depends("amount", "settlement_ids.state", "settlement_ids.amount")
    def _compute_amount_settled(self):
        for computation in self:
            settled = sum(computation.settlement_ids.filtered(lambda s: s.state == "posted").mapped("amount"))
            computation.amount_settled = settled
            computation.amount_to_settle = computation.currency_id.round(computation.amount - settled)

    # ------------------------------------------------------------------
    # The engine
    # ------------------------------------------------------------------
    @api.model
    def _scopes(self, agreements, up_to):
        """(agreement id, member id, date_from, date_to) of every period started by `up_to`."""
        members = agreements._members_by_agreement()
        scopes = []
        for agreement in agreements:
            member_ids = members[agreement.id]
            for date_from, date_to in agreement._periods():
                if date_from <= up_to:
                    scopes.extend((agreement.id, member_id, date_from, date_to) for member_id in member_ids)
        return scopes

    @api.model
    def _basis_query(self, requests, products, bases):
        """The query of `_basis_totals` (run with BASIS_QUERY_SETTINGS), and what its rows mean:
        (query, {"points": segment starts, "filters": product filters in bit order, "filter_index":
        {agreement id: its filter's bit}, "by_product": whether the rows are per product})."""
        bits = {}  # distinct product filter: its bit
        filter_index = {}
        for agreement_id in sorted({request[1] for request in requests}):
            product_ids = products.get(agreement_id)
            if product_ids is not None:
                filter_index[agreement_id] = bits.setdefault(frozenset(product_ids), len(bits))
        filters = list(bits)  # in bit order
        points, days = day_segments((request[3], request[4]) for request in requests)
        filtered = set().union(*filters)
        low, high = (min(filtered), max(filtered)) if filtered else (0, 0)
        by_product = len(filters) > MAX_FILTER_BITS or high - low >= MAX_MASK_SPAN
        if by_product:
            product_key = SQL("aml.product_id")
        elif filters:
            masks = [0] * (high - low + 1)
            for bit, product_ids in enumerate(filters):
                for product_id in product_ids:
                    masks[product_id - low] |= 1 << bit
            # out of the array (other products, no product): NULL, no bit set
            product_key = SQL("COALESCE((%s::int[])[aml.product_id - %s], 0)", masks, low - 1)
        else:
            product_key = SQL("0")
        member_ids = sorted({request[2] for request in requests})
        query = SQL(
            """
            SELECT aml.channel_member_id, (%(days)s::int[])[aml.invoice_date - %(first_day)s + 1], %(product_key)s,
                   %(amount)s, %(quantity)s,
                   COUNT(*)
              FROM account_move_line aml
             WHERE aml.parent_state = 'posted' AND aml.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND aml.dms_origin IS NULL
               AND aml.invoice_date >= %(first_day)s AND aml.invoice_date < %(end)s
               AND aml.channel_member_id = ANY(%(member_ids)s)
          GROUP BY 1, 2, 3
            """,
            days=days,
            first_day=points[0],
            end=points[-1],
            product_key=product_key,
            amount=SQL("SUM(aml.balance)::text") if "amount" in bases else SQL("NULL"),
            quantity=SQL(
                "SUM(CASE WHEN aml.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END)::text"
            ) if "qty" in bases else SQL("NULL"),
            member_ids=member_ids,
        )
        return query, {"points": points, "filters": filters, "filter_index": filter_index, "by_product": by_product}

    @api.model
    def _basis_totals(self, requests, products, bases=("amount", "qty")):
        """The basis of many (member, period, product filter) in a single scan of the invoice lines.

        `requests`: [(key, agreement id, member id, date_from, date_to)]; `products`: {agreement id:
        product ids or None for every product}; `bases`: the sums needed (an amount basis does not
        need the quantities, nor the reverse: those are returned as 0). Returns {key: (amount,
        quantity, line count)}.

        The lines are summed once per member, date segment and product filter mask: the segments cut
        the days at every requested period's start and end (a period is a run of segments), found by
        the day's place in an array; each distinct product filter is one bit of the mask, read from an
        array indexed by product id. These keys cost an array lookup per line where truncating dates
        and testing product lists cost several times more, and the same scan serves any mix of
        periods (month, quarter, year, custom days) and filters. With more filters than bits, or
        product ids too spread for the array, the lines are summed per product instead. The periods
        are then added up from those sums in Python, with exact decimals. Amounts are the lines'
        balance in the company currency (converted at each invoice's date by the accounting); credit
        notes count negative, in amount and quantity."""
        if not requests:
            return {}
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        query, layout = self._basis_query(requests, products, bases)
        points, filters, filter_index, by_product = (
            layout["points"], layout["filters"], layout["filter_index"], layout["by_product"]
        )
        cr = self.env.cr
        cr.execute(BASIS_QUERY_SETTINGS)
        cr.execute(query)
        rows = cr.fetchall()
        cr.execute(BASIS_QUERY_RESET)
        rows.sort(key=itemgetter(0, 1))  # here rather than in the query, which must not sort
        by_member = defaultdict(lambda: ([], []))  # member id: (segments, sums), sorted by segment
        for member_id, segment, product_key, amount, qty, count in rows:
            # exact sums: numeric as text to Decimal (Odoo's cursor turns numeric into float)
            segments, sums = by_member[member_id]
            segments.append(segment)
            sums.append((product_key, Decimal(amount or 0), Decimal(qty or 0), count))
        totals = {}
        zero = Decimal(0)
        for key, agreement_id, member_id, date_from, date_to in requests:
            segments, sums = by_member.get(member_id, ((), ()))
            amount, qty, count = zero, zero, 0
            index = filter_index.get(agreement_id)
            first = bisect.bisect_left(points, date_from) + 1
            last = bisect.bisect_left(points, date_to + timedelta(days=1))
            for product_key, row_amount, row_qty, row_count in sums[
                bisect.bisect_left(segments, first):bisect.bisect_right(segments, last)
            ]:
                if index is not None and not (
                    product_key in filters[index] if by_product else product_key >> index & 1
                ):
                    continue
                amount -= row_amount
                qty += row_qty
                count += row_count
            totals[key] = (float(amount), float(qty), count)
        return totals

    @api.model
    def _sellout_totals(self, requests, products):
        """The sell-out basis of (member, period, product filter) requests, as `_basis_totals`: what
        the member and the members below it sold to end customers (distribution.sellout, one row
        per member, product and day), in one grouped query. Returns {key: (amount, quantity, rows)}."""
        if not requests:
            return {}
        cr = self.env.cr
        member_ids = sorted({request[2] for request in requests})
        # every member of the requests with the members below it (a distributor's sell-out is its stores')
        cr.execute(
            """
            SELECT top.id, sub.id
              FROM distribution_member top
              JOIN distribution_member sub ON sub.parent_path LIKE top.parent_path || '%%'
             WHERE top.id = ANY(%s)
            """,
            [member_ids],
        )
        subtree = defaultdict(list)
        for top_id, sub_id in cr.fetchall():
            subtree[top_id].append(sub_id)
        cr.execute(
            SQL(
                """
                SELECT s.member_id, s.date, s.product_id, SUM(s.amount)::text, SUM(s.quantity)::text,
                       SUM(s.line_count)
                  FROM (%s) AS s
                 WHERE s.member_id = ANY(%s) AND s.date BETWEEN %s AND %s
              GROUP BY 1, 2, 3
              ORDER BY 1, 2
                """,
                self.env["distribution.sellout"]._table_query,
                sorted({sub for subs in subtree.values() for sub in subs}),
                min(request[3] for request in requests),
                max(request[4] for request in requests),
            )
        )
        by_member = defaultdict(lambda: ([], []))
        for member_id, day, product_id, amount, qty, count in cr.fetchall():
            days, rows = by_member[member_id]
            days.append(day)
            rows.append((product_id, Decimal(amount or 0), Decimal(qty or 0), count or 0))
        filters = {agreement_id: set(ids) for agreement_id, ids in products.items() if ids is not None}
        totals = {}
        zero = Decimal(0)
        for key, agreement_id, member_id, date_from, date_to in requests:
            wanted = filters.get(agreement_id)
            amount, qty, count = zero, zero, 0
            for sub_id in subtree.get(member_id, ()):
                days, rows = by_member.get(sub_id, ((), ()))
                for product_id, row_amount, row_qty, row_count in rows[
                    bisect.bisect_left(days, date_from):bisect.bisect_right(days, date_to)
                ]:
                    if wanted is not None and product_id not in wanted:
                        continue
                    amount += row_amount
                    qty += row_qty
                    count += row_count
            totals[key] = (float(amount), float(qty), count)
        return totals

    @api.model
    def _overdue_rows(self, agreements, scopes):
        """Receivable still open today from invoices due before each period's end: {(member id, date_to): amount}."""
        with_condition = set(agreements.filtered(lambda a: a.overdue_action != "none").ids)
        keys = sorted({(member_id, date_to) for agreement_id, member_id, _f, date_to in scopes
                       if agreement_id in with_condition})
        if not keys:
            return {}
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            """
            SELECT k.member_id, k.date_to, SUM(m.amount_residual_signed)
              FROM unnest(%s::int[], %s::date[]) AS k(member_id, date_to)
              JOIN account_move m ON m.channel_member_id = k.member_id
             WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
               AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
               AND m.invoice_date_due < k.date_to
          GROUP BY k.member_id, k.date_to
            """,
            [[k[0] for k in keys], [k[1] for k in keys]],
        )
        return {(member_id, date_to): float(amount or 0.0) for member_id, date_to, amount in self.env.cr.fetchall()}

    @api.model
    def _penalty_keys(self, agreements, scopes):
        """The (member id, date_from, date_to) periods whose penalties matter: those of agreements with
        a condition on them, sorted."""
        with_condition = set(agreements.filtered(lambda a: a.diversion_action != "none").ids)
        return sorted({(member_id, date_from, date_to) for agreement_id, member_id, date_from, date_to in scopes
                       if agreement_id in with_condition})

    @api.model
    def _penalty_rows(self, agreements, scopes):
        """Hook: the penalties imposed on each member in each period, which the agreements' condition
        deducts from the rebate or voids it for: {(member id, date_from, date_to): (count, amount)}, for
        the periods of `_penalty_keys`, set-based. The rebate engine imposes none itself; the concern
        that does extends this (distribution_rebate_diversion: confirmed diversion incidents), as the
        sell-out sources extend `distribution.sellout._sellout_sources`."""
        return {}

    @api.model
    def _compute_agreements(self, agreements, up_to=None, only=None):
        """Compute (or recompute) every started period of the agreements, set-based: one scan of the
        invoice lines for the basis (and last year's), one query for overdue, one upsert.
        `only`: a set of (agreement id, member id, period start) to compute, among those."""
        # A run makes some 100,000 short-lived objects (sums, results) that reference counting frees
        # as it goes; left on, the garbage collector would also sweep the whole heap of the worker
        # on the way (about 0.1 s each time), for nothing to collect.
        with paused_gc():
            return self._compute_agreements_now(agreements, up_to, only)

    def _recompute(self):
        """Compute these results again, now."""
        if not self:
            return self
        return self._compute_agreements(
            self.agreement_id,
            up_to=max(self.mapped("date_from")),
            only={(c.agreement_id.id, c.member_id.id, c.date_from) for c in self},
        )

    @api.model
    def _compute_agreements_now(self, agreements, up_to, only=None):
        started = time.perf_counter()
        rows, timings = self._period_rows(agreements, up_to, only=only)
        if not rows:
            return self.browse()
        now = fields.Datetime.now()
        ids = self._upsert(rows, now)
        timings["write"] = time.perf_counter() - started - sum(timings.values())
        _logger.info(
            "Rebates: %s period results of %s agreements in %.2fs (%s)",
            len(rows), len(agreements), time.perf_counter() - started,
            ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items()),
        )
        return self.browse(ids)

    @api.model
    def _period_rows(self, agreements, up_to, only=None, at_date=False):
        """The figures of every period of the agreements started by `up_to`, as rows of the upsert
        ((agreement id, member id, date_from, date_to, line count) + RESULT_FIELDS), and the time
        each step took. `at_date`: what each period had earned at `up_to`, from the documents dated
        up to it (an accrual at a date); the rows then end at `up_to`. An agreement whose
        definition cannot be computed is left out, and reported on it (never stops the others)."""
        up_to = up_to or fields.Date.context_today(self)
        started = time.perf_counter()
        agreements = agreements.filtered(lambda a: a.state in ("approved", "running", "closed"))
        problems = {}
        products = agreements._product_ids_by_agreement(problems)
        agreements._report_problems(problems)
        agreements = agreements.filtered(lambda a: a.id not in problems)
        scopes = self._scopes(agreements, up_to)
        if only is not None:
            scopes = [scope for scope in scopes if scope[:3] in only]
        if at_date:
            scopes = [(a, m, date_from, min(date_to, up_to)) for a, m, date_from, date_to in scopes]
        timings = {"scopes": time.perf_counter() - started}
        if not scopes:
            return [], timings
        plans = self._plans(agreements)
        # the same periods a year earlier (a few distinct dates for thousands of periods)
        last_year = {day: day - relativedelta(years=1) for day in {day for scope in scopes for day in scope[2:]}}
        requests = [(scope[:3], *scope) for scope in scopes]
        requests += [
            (("last year", *scope[:3]), scope[0], scope[1], last_year[scope[2]], last_year[scope[3]])
            for scope in scopes
            if plans[scope[0]]["needs_last_year"]
        ]
        bases = {plan["basis"] for plan in plans.values()}
        sell_out = [request for request in requests if plans[request[1]]["source"] == "sell_out"]
        totals = self._basis_totals(
            [request for request in requests if plans[request[1]]["source"] != "sell_out"], products, bases=bases
        )
        totals.update(self._sellout_totals(sell_out, products))
        timings["basis"] = time.perf_counter() - started - sum(timings.values())
        overdue = self._overdue_rows(agreements, scopes)
        diversion = self._penalty_rows(agreements, scopes)
        timings["overdue"] = time.perf_counter() - started - sum(timings.values())
        templates = self._explanation_templates()
        rows = []
        for scope in scopes:
            agreement_id, member_id, date_from, date_to = scope
            plan = plans[agreement_id]
            amount_basis, qty_basis, count = totals[scope[:3]]
            previous = totals.get(("last year", *scope[:3]))
            values = self._evaluate(
                plan,
                amount_basis if plan["basis"] == "amount" else qty_basis,
                previous if previous is None or previous[2] else None,
                overdue.get((member_id, date_to), 0.0) if plan["overdue_action"] != "none" else 0.0,
                templates,
                diversion=diversion.get((member_id, date_from, date_to)),
            )
            rows.append((agreement_id, member_id, date_from, date_to, count) + tuple(values[n] for n in RESULT_FIELDS))
        timings["evaluate"] = time.perf_counter() - started - sum(timings.values())
        return rows, timings

    @api.model
    def _upsert(self, rows, now):
        """Insert or update the period results in one statement (the unique key is agreement, member,
        period start), the values passed as one array per column; what was settled is kept, and a
        result that did not change is not written at all: the results are compared with the stored
        ones first, read in one query. computed_on is when the figures last changed: a result whose
        explanation only changed (a run in another language) keeps it."""
        self.flush_model()
        self.env["distribution.rebate.settlement"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, agreement_id, member_id, date_from, computed_on, date_to, line_count, %s "
                "FROM distribution_rebate_computation WHERE agreement_id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in RESULT_FIELDS),
                sorted({row[0] for row in rows}),
            )
        )
        # (agreement, member, period start): (id, when its figures changed, its values from date_to on)
        stored = {(row[1], row[2], row[3]): (row[0], row[4], tuple(row[5:])) for row in cr.fetchall()}
        ids, changed = [], []
        for row in rows:
            record_id, computed_on, values = stored.get(row[:3], (None, None, None))
            if values == row[3:]:
                ids.append(record_id)
            else:  # the explanation is the last value: the figures are the ones before it
                same_figures = values is not None and values[:-1] == row[3:-1]
                changed.append((*row, computed_on if same_figures else now))
        if not changed:
            return ids
        types = ["int", "int", "date", "date", "int"] + [RESULT_TYPES[name] for name in RESULT_FIELDS] + ["timestamp"]
        names = ["agreement_id", "member_id", "date_from", "date_to", "line_count"] + RESULT_FIELDS + ["computed_on"]
        columns = zip(*changed, strict=True)
        arrays = SQL(", ").join(
            SQL(f"%s::{sql_type}[]", list(column)) for sql_type, column in zip(types, columns, strict=True)
        )
        cr.execute(
            SQL(
                """
                INSERT INTO distribution_rebate_computation
                       (agreement_id, member_id, date_from, date_to, line_count, %(columns)s, computed_on,
                        partner_id, tier_id, territory_id, company_id, rebate_type, amount_settled, amount_to_settle,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.agreement_id, v.member_id, v.date_from, v.date_to, v.line_count, %(values)s, v.computed_on,
                       m.partner_id, m.tier_id, m.territory_id, a.company_id, a.rebate_type, 0, v.amount,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s) AS v(%(names)s)
                  JOIN distribution_member m ON m.id = v.member_id
                  JOIN distribution_rebate_agreement a ON a.id = v.agreement_id
                ON CONFLICT (agreement_id, member_id, date_from) DO UPDATE
                   SET date_to = EXCLUDED.date_to, line_count = EXCLUDED.line_count,
                       computed_on = EXCLUDED.computed_on, %(updates)s,
                       amount_to_settle = EXCLUDED.amount - distribution_rebate_computation.amount_settled,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in RESULT_FIELDS),
                values=SQL(", ").join(SQL.identifier("v", name) for name in RESULT_FIELDS),
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name)) for name in RESULT_FIELDS
                ),
                arrays=arrays,
                now=now,
                uid=self.env.uid,
            )
        )
        ids += [row[0] for row in cr.fetchall()]
        self.env.invalidate_all()  # rows changed under the ORM (and the agreements' one2many)
        return ids

    @api.model
    def _explanation_templates(self):
        """The explanation sentences, translated once per run (formatted per result)."""
        return {
            "main": self.env._("Basis %(basis)s %(unit)s; rate %(rate)s; earned %(earned)s."),
            "no_reference": self.env._("No sales in the same period last year: no growth to reward."),
            "no_reference_net": self.env._(
                "No net sales in the same period last year (returns made its basis %(basis)s): no growth to reward."
            ),
            "no_growth": self.env._("No growth over the reference basis of %(reference)s: nothing earned."),
            "no_basis": self.env._("No net sales in the period: nothing earned."),
            "negative": self.env._(
                "Negative basis (returns exceed the period's purchases): nothing earned, and nothing charged back."
            ),
            "minimum": self.env._("Basis under the minimum of %(min)s: nothing earned."),
            "cap": self.env._("Capped at %(cap)s."),
            "void": self.env._("Voided: %(amount)s overdue at the period end."),
            "reduce": self.env._("Reduced by %(pct)s%%: %(amount)s overdue at the period end."),
            "diversion_void": self.env._("Voided: %(count)s diversion incident(s) confirmed in the period."),
            "diversion_deduct": self.env._(
                "Diversion penalties of %(amount)s deducted (%(count)s incident(s) confirmed in the period)."
            ),
            "units": self.env._("units"),
        }

    @api.model
    def _money_formatter(self, currency):
        """format_amount(), with the language and currency looked up once (for thousands of results)."""
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        data = lang._get_data(id=lang.id)
        digits = currency.decimal_places
        symbol = currency.symbol or ""
        before = currency.position == "before"
        rounding = currency.rounding
        # the usual grouping by thousands is Python's own; any other goes through res.lang.format
        fast = ast.literal_eval(data.grouping or "[]") in ([3, 0], [3])
        separators = str.maketrans({",": data.thousands_sep or "", ".": data.decimal_point})

        def format_money(amount):
            amount = float_round(amount + 0.0, precision_rounding=rounding)
            if fast:
                text = f"{amount:,.{digits}f}".translate(separators)
            else:
                text = lang.format(f"%.{digits}f", amount, grouping=True)
            text = text.replace(" ", "\N{NO-BREAK SPACE}").replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            return f"{symbol}\N{NO-BREAK SPACE}{text}" if before else f"{text}\N{NO-BREAK SPACE}{symbol}"

        return format_money

    @api.model
    def _plans(self, agreements):
        """What the formulas need of each agreement, read in bulk: {agreement id: dict}."""
        agreements.flush_recordset()
        self.env["distribution.rebate.tier.line"].flush_model()
        cr = self.env.cr
        cr.execute(
            "SELECT agreement_id, threshold, rate FROM distribution_rebate_tier_line WHERE agreement_id = ANY(%s)",
            [agreements.ids],
        )
        tiers = defaultdict(list)
        for agreement_id, threshold, rate in cr.fetchall():
            tiers[agreement_id].append((threshold, rate))
        currencies = {company.id: company.currency_id for company in agreements.company_id}
        formatters = {}
        plans = {}
        cr.execute(
            """
            SELECT id, rebate_type, basis, basis_source, rate, min_basis, cap_amount, overdue_action,
                   overdue_reduce_percent, growth_reference, growth_target, company_id, diversion_action
              FROM distribution_rebate_agreement
             WHERE id = ANY(%s)
            """,
            [agreements.ids],
        )
        for vals in cr.dictfetchall():
            for name in ("rate", "min_basis", "cap_amount", "overdue_reduce_percent", "growth_target"):
                vals[name] = vals[name] or 0.0
            currency = currencies[vals["company_id"]]
            if currency not in formatters:
                formatters[currency] = self._money_formatter(currency)
            factor = 0.01 if vals["basis"] == "amount" else 1.0  # as agreement._rate_factor()
            growth = vals["rebate_type"] == "growth"
            plans[vals["id"]] = {
                "type": vals["rebate_type"],
                "basis": vals["basis"],
                "source": vals["basis_source"],
                "factor": factor,
                "rate": vals["rate"] * factor,
                "tiers": sorted((threshold, rate * factor) for threshold, rate in tiers[vals["id"]]),
                "min_basis": vals["min_basis"] or 0.0,
                "cap": vals["cap_amount"] or 0.0,
                "overdue_action": vals["overdue_action"],
                "overdue_reduce_percent": vals["overdue_reduce_percent"],
                "diversion_action": vals["diversion_action"] or "none",
                "growth_target": vals["growth_target"] if growth and vals["growth_reference"] == "target" else None,
                "needs_last_year": growth and vals["growth_reference"] == "last_year",
                "rounding": currency.rounding,
                "format": formatters[currency],
                "symbol": currency.symbol,
            }
        return plans

    @api.model
    def _evaluate(self, plan, basis, last_year, overdue_amount, templates, diversion=None):
        """The computation's figures from its basis (plain Python, no query).

        `last_year`: (amount, quantity, line count) of the same period last year, or None.
        `diversion`: (count, penalties) of the member's confirmed diversion incidents in the period, or None."""
        rounding = plan["rounding"]
        money = plan["format"]
        factor = plan["factor"]
        reference = None
        notes = []
        if plan["type"] == "growth":
            if plan["growth_target"] is not None:
                reference = plan["growth_target"]
            elif last_year is not None:
                reference = last_year[0] if plan["basis"] == "amount" else last_year[1]
                if reference <= 0:
                    # returns cancelled last year's sales: no sales to grow from (not a growth of
                    # more than this year's whole basis)
                    notes.append(templates["no_reference_net"] % {"basis": f"{reference:,.2f}"})
                    reference = None
            else:
                notes.append(templates["no_reference"])
        tiers = plan["tiers"]
        result = rebate_math.compute(
            plan["type"], basis, rate=plan["rate"], tiers=tiers, reference=reference,
            min_basis=plan["min_basis"], cap=plan["cap"],
        )
        before = float_round(result.amount, precision_rounding=rounding)
        amount = before
        unit = plan["symbol"] if plan["basis"] == "amount" else templates["units"]
        if basis < 0:
            notes.append(templates["negative"])
        elif not basis:
            notes.append(templates["no_basis"])
        elif plan["min_basis"] > 0 and basis < plan["min_basis"]:
            notes.append(
                templates["minimum"] % {"min": money(plan["min_basis"]) if plan["basis"] == "amount"
                                        else f"{plan['min_basis']:,.2f} {unit}"}
            )
        elif reference is not None and basis <= reference:
            notes.append(templates["no_growth"] % {"reference": f"{reference:,.2f}"})
        if plan["cap"] and result.amount >= plan["cap"]:
            notes.append(templates["cap"] % {"cap": money(plan["cap"])})
        if overdue_amount > 0 and amount:
            if plan["overdue_action"] == "void":
                amount = 0.0
                notes.append(templates["void"] % {"amount": money(overdue_amount)})
            elif plan["overdue_action"] == "reduce":
                amount = float_round(amount * (1 - plan["overdue_reduce_percent"] / 100.0), precision_rounding=rounding)
                notes.append(
                    templates["reduce"] % {"pct": plan["overdue_reduce_percent"], "amount": money(overdue_amount)}
                )
        diversion_count, diversion_penalty = diversion or (0, 0.0)
        if plan.get("diversion_action", "none") == "none":
            diversion_count, diversion_penalty = 0, 0.0
        if diversion_count and plan["diversion_action"] == "void":
            amount = 0.0
            notes.append(templates["diversion_void"] % {"count": diversion_count})
        elif diversion_count and plan["diversion_action"] == "deduct":
            amount = max(float_round(amount - diversion_penalty, precision_rounding=rounding), 0.0)
            notes.append(templates["diversion_deduct"] % {"amount": money(diversion_penalty), "count": diversion_count})
        explanation = templates["main"] % {
            "basis": f"{basis:,.2f}",
            "unit": unit,
            "rate": f"{result.rate * 100:.2f}%" if plan["basis"] == "amount" else money(result.rate),
            "earned": money(amount),
        }
        return {
            "basis": basis,
            "basis_reference": reference or 0.0,
            "has_reference": reference is not None,
            "tier_reached": tiers[result.tier_index][0] if result.tier_index >= 0 else 0.0,
            "rate": result.rate / factor if factor else result.rate,
            "amount_before_conditions": before,
            "overdue_amount": overdue_amount,
            "diversion_penalty": diversion_penalty,
            "amount": amount,
            "next_threshold": result.next_threshold,
            "next_missing": max(result.next_threshold - basis, 0.0) if result.next_threshold else 0.0,
            "next_amount": float_round(result.next_amount, precision_rounding=rounding) if result.next_threshold else 0.0,
            "explanation": "\n".join([explanation] + notes),
        }

    # ------------------------------------------------------------------
    # Contributing lines
    # ------------------------------------------------------------------
    def _line_domain(self):
        self.ensure_one()
        agreement = self.agreement_id
        domain = [
            ("channel_member_id", "=", self.member_id.id),
            ("parent_state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", self.date_from),
            ("invoice_date", "<=", self.date_to),
            ("display_type", "=", "product"),
            ("dms_origin", "=", False),  # our own rebate credit notes, commission bills, ... are no sales
        ]
        products = agreement._product_ids()
        if products is not None:
            domain.append(("product_id", "in", products))
        return domain

    def _freeze_lines(self):
        """Store the contributing lines (at settlement), in one INSERT ... SELECT per computation."""
        for computation in self.filtered(lambda c: c.agreement_id.basis_source != "sell_out"):
            lines = self.env["account.move.line"].sudo()._search(computation._line_domain())
            self.env.cr.execute(
                "DELETE FROM distribution_rebate_computation_aml_rel WHERE computation_id = %s", [computation.id]
            )
            self.env.cr.execute(
                SQL(
                    "INSERT INTO distribution_rebate_computation_aml_rel (computation_id, move_line_id) "
                    "SELECT %s, lines.id FROM (%s) AS lines",
                    computation.id,
                    lines.select(SQL.identifier("account_move_line", "id")),
                )
            )
        self.invalidate_recordset(["frozen_line_ids"])

    def action_view_lines(self):
        self.ensure_one()
        if self.agreement_id.basis_source == "sell_out":
            products = self.agreement_id._product_ids()
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Sell-out of the Basis"),
                "res_model": "distribution.sellout",
                "view_mode": "list,pivot",
                "views": [(False, "list"), (False, "pivot")],
                "domain": [
                    ("member_id", "child_of", self.member_id.id),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                    *([("product_id", "in", products)] if products is not None else []),
                ],
                "context": {"create": False},
            }
        domain = [("id", "in", self.frozen_line_ids.ids)] if self.frozen_line_ids else self._line_domain()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice Lines of the Basis"),
            "res_model": "account.move.line",
            "view_mode": "list",
            "views": [(self.env.ref("distribution_rebate.account_move_line_view_list_rebate").id, "list")],
            "domain": domain,
            "context": {"create": False},
        }

    def _settle(self):
        return self.env["distribution.rebate.settlement"]._settle(self)

    # ------------------------------------------------------------------
    # What a member reads of its result (My Rebates)
    # ------------------------------------------------------------------
    def _adjustments(self):
        """Why the period earned less than its basis and rate give, in the reader's language: a list of
        {"reason": text, "amount": what it took off (None when it says why nothing was earned)}, read from
        the stored figures of the result: the minimum basis, the cap, the overdue condition and the penalties
        (the order the engine applies them)."""
        self.ensure_one()
        _ = self.env._
        agreement = self.agreement_id
        currency = self.currency_id

        def money(amount):
            return format_amount(self.env, amount, currency)

        adjustments = []
        if agreement.min_basis > 0 and 0 < self.basis < agreement.min_basis:
            minimum = money(agreement.min_basis) if agreement.basis == "amount" else formatLang(
                self.env, agreement.min_basis, digits=2)
            adjustments.append({"reason": _("Under the minimum basis of %(minimum)s: nothing earned.", minimum=minimum),
                                "amount": None})
        if agreement.cap_amount and currency.compare_amounts(self.amount_before_conditions, agreement.cap_amount) >= 0:
            adjustments.append({"reason": _("Capped at %(cap)s per period.", cap=money(agreement.cap_amount)),
                                "amount": None})
        left = self.amount_before_conditions
        if self.overdue_amount > 0 and left and agreement.overdue_action in ("void", "reduce"):
            kept = 0.0 if agreement.overdue_action == "void" else currency.round(
                left * (1 - agreement.overdue_reduce_percent / 100.0))
            kept = max(kept, self.amount)
            if currency.compare_amounts(kept, left) < 0:
                if agreement.overdue_action == "void":
                    reason = _("Voided: %(overdue)s of invoices overdue at the period end.",
                               overdue=money(self.overdue_amount))
                else:
                    reason = _("Reduced by %(percent)s: %(overdue)s of invoices overdue at the period end.",
                               percent=agreement._format_rate_percent(agreement.overdue_reduce_percent),
                               overdue=money(self.overdue_amount))
                adjustments.append({"reason": reason, "amount": left - kept})
                left = kept
        if currency.compare_amounts(self.amount, left) < 0:
            adjustments.append({
                "reason": _("Penalties of %(penalty)s deducted (confirmed in the period).",
                            penalty=money(self.diversion_penalty)) if self.diversion_penalty
                else _("Deducted by the agreement's conditions."),
                "amount": left - self.amount,
            })
        return adjustments

    def action_settle(self):
        settlements = self._settle()
        if not settlements:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"type": "info", "message": self.env._("Nothing left to settle for these periods.")},
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_rebate.distribution_rebate_settlement_action")
        if len(settlements) == 1:
            action.update({"res_id": settlements.id, "view_mode": "form", "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", settlements.ids)]
        return action

