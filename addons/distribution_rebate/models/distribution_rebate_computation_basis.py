"""What a period's result is computed from, apart from how it is evaluated
(distribution_rebate_computation_rules.py) and stored (distribution_rebate_computation.py): the
scopes (agreement, member, period), the invoiced basis and last year's read in one set-based scan of
the invoice lines, the sell-out, the overdue receivables and the penalty hook (``_penalty_rows``,
which bridges extend)."""

import bisect
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from operator import itemgetter

from odoo import api, models
from odoo.tools import SQL

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


class DistributionRebateComputationBasis(models.AbstractModel):
    """What a rebate computation is computed from (inherited by `distribution.rebate.computation`
    only; the bridges extend the hooks there)."""

    _name = "distribution.rebate.computation.basis"
    _description = "Rebate Computation: Basis"

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
