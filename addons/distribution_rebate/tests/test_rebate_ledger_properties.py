"""Property-based tests (hypothesis): generated ledgers of a member — invoices with varied lines,
returns against its own purchases, documents in a foreign currency, postings back-dated or late,
settlements (whose credit notes and debits land in later periods) — against a reference written
here in plain Python over the generated documents, not with the engine's helpers."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from freezegun import freeze_time
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common import RebateCommon

YEAR_START = date(2025, 1, 1)
QUARTERS = [(date(2025, m, 1), date(2025, m + 3, 1) - timedelta(days=1) if m < 10 else date(2025, 12, 31))
            for m in (1, 4, 7, 10)]
PRICES = [Decimal("100.00"), Decimal("99.99"), Decimal("12.34"), Decimal("1000.00"), Decimal("0.50")]
# the foreign currency's rates: units of it per unit of the company currency, from a day on
RATES = [(date(2024, 1, 1), Decimal("2.0")), (date(2025, 2, 15), Decimal("4.0")), (date(2025, 8, 1), Decimal("7.25"))]
CENT = Decimal("0.01")
RATE = Decimal("3")  # the flat agreement: 3 % of the amount
UNIT_RATE = Decimal("2")  # the quantity agreement: 2.00 a unit


def cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_on(day):
    return [rate for since, rate in RATES if since <= day][-1]


def quarter_of(day):
    return next((i for i, (start, end) in enumerate(QUARTERS) if start <= day <= end), None)


line_strategy = st.tuples(st.integers(0, 1), st.integers(1, 30), st.integers(0, len(PRICES) - 1))
operation = st.one_of(
    st.tuples(st.just("invoice"), st.integers(0, 364), st.lists(line_strategy, min_size=1, max_size=3),
              st.booleans()),
    # a return of part of one of the member's earlier invoices (by index), some days after it
    st.tuples(st.just("return"), st.integers(0, 50), st.integers(0, 2), st.integers(1, 30), st.integers(0, 120)),
    # settle a quarter on a day (its credit note or debit is dated that day)
    st.tuples(st.just("settle"), st.integers(0, 3), st.integers(0, 200)),
)


@tagged("post_install", "-at_install")
class TestRebateLedgerProperties(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        code = "EUR" if cls.env.company.currency_id.name == "USD" else "USD"
        cls.foreign = cls.setup_other_currency(code, rates=[(str(day), float(rate)) for day, rate in RATES])
        cls.products = [cls.product_a, cls.product_c]

    # a handful of ledgers per run (each posts real invoices), the same ones every run; no shrinking
    # (each step reposts a ledger): a failure shows the generated operations as they are
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(operations=st.lists(operation, min_size=1, max_size=7), accrual_day=st.integers(0, 364))
    def test_engine_settlements_and_accrual_match_the_reference(self, operations, accrual_day):
        savepoint = self.env.cr.savepoint()
        try:
            self._check_ledger(operations, YEAR_START + timedelta(days=accrual_day))
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def _check_ledger(self, operations, accrual_date):
        by_amount = self._agreement(rate=float(RATE))
        by_qty = self._agreement(basis="qty", rate=float(UNIT_RATE))
        # the reference: every document line as (day, company amount signed, quantity signed)
        ledger = []
        invoices = []  # (day, foreign, [[product index, quantity left to return, price index]])
        paid = defaultdict(Decimal)  # quarter: paid by settlements (reference)
        settlements = []  # (day, quarter, amount)

        def reference_basis(quarter, up_to=None):
            start, end = QUARTERS[quarter]
            end = min(end, up_to) if up_to else end
            amount = sum((a for day, a, _q in ledger if start <= day <= end), Decimal(0))
            quantity = sum((q for day, _a, q in ledger if start <= day <= end), 0)
            return amount, quantity

        def reference_earned(quarter, up_to=None):
            amount, _quantity = reference_basis(quarter, up_to)
            return cents(amount * RATE / 100) if amount > 0 else Decimal(0)

        def book(day, foreign, lines, refund):
            rate = rate_on(day) if foreign else Decimal(1)
            for _product, quantity, price in lines:
                company_amount = cents(cents(quantity * PRICES[price]) / rate)
                sign = -1 if refund else 1
                ledger.append((day, sign * company_amount, sign * quantity))
            self._invoice(
                "dl_hz", str(day), [(self.products[p], q, float(PRICES[u])) for p, q, u in lines],
                refund=refund, currency=self.foreign if foreign else None,
            )

        for op in operations:
            if op[0] == "invoice":
                _kind, offset, lines, foreign = op
                day = YEAR_START + timedelta(days=offset)
                book(day, foreign, lines, refund=False)
                invoices.append((day, foreign, [list(line) for line in lines]))
            elif op[0] == "return" and invoices:
                _kind, index, line_index, quantity, delay = op
                day, foreign, lines = invoices[index % len(invoices)]
                line = lines[line_index % len(lines)]
                quantity = min(quantity, line[1])
                if not quantity:
                    continue
                line[1] -= quantity
                book(min(day + timedelta(days=delay), date(2025, 12, 31)), foreign,
                     [(line[0], quantity, line[2])], refund=True)
            elif op[0] == "settle":
                _kind, quarter, offset = op
                day = QUARTERS[quarter][0] + timedelta(days=offset)
                due = reference_earned(quarter) - paid[quarter]
                self._compute(by_amount)
                result = by_amount.computation_ids.filtered(lambda c, q=quarter: c.date_from == QUARTERS[q][0])
                with freeze_time(day):
                    settlement = result._settle()
                    if settlement:
                        settlement.action_approve()
                if due:
                    self.assertEqual(Decimal(str(settlement.amount)).quantize(CENT), due)
                    self.assertEqual(settlement.state, "posted")
                    # what it paid on is what it froze
                    frozen = -sum(Decimal(str(b)) for b in result.frozen_line_ids.mapped("balance"))
                    self.assertEqual(cents(frozen), cents(Decimal(str(settlement.basis))))
                    self.assertEqual(cents(Decimal(str(settlement.basis))), reference_basis(quarter)[0])
                    paid[quarter] += due
                    settlements.append((day, quarter, due))
                else:
                    self.assertFalse(settlement)

        self._compute(by_amount)
        self._compute(by_qty)
        for quarter, (start, _end) in enumerate(QUARTERS):
            amount, quantity = reference_basis(quarter)
            result = by_amount.computation_ids.filtered(lambda c, s=start: c.date_from == s)
            result_qty = by_qty.computation_ids.filtered(lambda c, s=start: c.date_from == s)
            self.assertEqual(cents(Decimal(str(result.basis))), amount, f"Q{quarter + 1} amount basis")
            self.assertEqual(Decimal(str(result.amount)).quantize(CENT), reference_earned(quarter))
            self.assertEqual(Decimal(str(result.amount_settled)).quantize(CENT), paid[quarter])
            self.assertEqual(result_qty.basis, quantity, f"Q{quarter + 1} quantity basis")
            self.assertEqual(result_qty.amount, float(max(quantity, 0) * UNIT_RATE))
            # the lines behind the result are the member's invoices and returns, never our documents
            lines = self.env["account.move.line"].search(result.action_view_lines()["domain"])
            self.assertFalse(lines.move_id.filtered("dms_origin"))
            self.assertEqual(len(lines), len([1 for day, _a, _q in ledger if quarter_of(day) == quarter]))
        # the accrual at a date: earned from what is dated by then, less what was settled by then
        expected = sum(
            (reference_earned(quarter, accrual_date) for quarter in range(4) if QUARTERS[quarter][0] <= accrual_date),
            Decimal(0),
        ) - sum((amount for day, _q, amount in settlements if day <= accrual_date), Decimal(0))
        accrual = self.env["distribution.rebate.accrual"]._run(accrual_date, by_amount)
        self.assertEqual(Decimal(str(accrual.amount)).quantize(CENT), cents(expected))
