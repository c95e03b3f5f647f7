"""Property: statements agree with a plain-Python reference over generated ledgers.

Ledgers of one member: invoices in the company currency ("CNY" below: the test company's currency) and in
a foreign one ("USD" below: EUR in the test database), credit notes, partial payments (in either currency
for company-currency invoices, in the foreign currency for foreign ones), posted in any order (back-dated
postings), over January to April 2025 at a rate that changes every month. The reference below knows nothing of the engine: it works
from the generated documents only (their amounts, dates and rates) and says, for the statements of
February, March and April, what each must show: opening, debits, credits, closing, open amounts by age,
closing in company currency; and that the statements of the period add up to the ledger."""

import contextlib
from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common import StatementCommon

# CNY per USD, by month of 2025 (Odoo's rate is its inverse: USD per CNY)
CNY_PER_USD = {1: 8, 2: 10, 3: 5, 4: 8, 5: 10, 6: 10, 7: 10}
PERIODS = [(date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31)),
           (date(2025, 4, 1), date(2025, 4, 30))]
BUCKETS = ["aging_current", "aging_30", "aging_60", "aging_90", "aging_older"]
FIELDS = ["opening_balance", "total_debit", "total_credit", "closing_balance", "closing_balance_company", *BUCKETS]

day = st.integers(min_value=0, max_value=119).map(lambda n: date(2025, 1, 1) + timedelta(days=n))
cents = st.integers(min_value=100, max_value=300_000)  # 1.00 to 3,000.00
payment = st.tuples(
    st.sampled_from(["CNY", "USD"]),  # the payment's currency
    st.sampled_from([10, 20, 30]),  # % of the invoice: at most three, never paid off
    st.integers(min_value=0, max_value=75),  # days after the invoice
)
document = st.tuples(
    st.sampled_from(["invoice", "invoice", "credit_note"]),
    st.sampled_from(["CNY", "USD"]),
    day,
    cents,
    st.integers(min_value=0, max_value=45),  # due after n days
    st.lists(payment, max_size=3),
)


def rate(when):
    return CNY_PER_USD[when.month]


def age_bucket(due, end):
    days = (end - due).days
    if days <= 0:
        return 0
    return 1 if days <= 30 else 2 if days <= 60 else 3 if days <= 90 else 4


def reference(documents):
    """[(kind, currency, date, amount, due, [(currency, date, amount)])] ->
    items: [(statement currency, date, amount there, company amount, due or None, open-amount key)],
    payments: {invoice index: [(date, amount in the invoice's currency)]}."""
    items, paid = [], defaultdict(list)
    for index, (kind, currency, when, amount, due, payments) in enumerate(documents):
        sign = 1 if kind == "invoice" else -1
        company = amount if currency == "CNY" else amount * rate(when)
        items.append((currency, when, sign * amount, sign * company, due, index))
        for pay_currency, pay_date, pay_amount in payments:
            booked = pay_amount if pay_currency == "CNY" else round(pay_amount * rate(pay_date), 2)
            if currency == "CNY":
                # on the CNY statement whatever its currency, at its booked amount
                items.append(("CNY", pay_date, -booked, -booked, None, None))
                paid[index].append((pay_date, booked))
            else:
                # a USD payment of a USD invoice, and the exchange difference that brings the rest of the
                # invoice back to the invoice's rate
                items.append(("USD", pay_date, -pay_amount, -booked, None, None))
                items.append(("USD", pay_date, 0.0, round(pay_amount * (rate(pay_date) - rate(when)), 2), None, None))
                paid[index].append((pay_date, pay_amount))
    return items, paid


def expected(documents, date_from, date_to):
    items, paid = reference(documents)
    result = {}
    for currency in ("CNY", "USD"):
        mine = [item for item in items if item[0] == currency]
        before = [item for item in mine if item[1] < date_from]
        during = [item for item in mine if date_from <= item[1] <= date_to]
        if not during and not round(sum(item[2] for item in before), 2):
            continue
        opening = sum(item[2] for item in before)
        aging = [0.0] * 5
        for _cur, when, amount, _company, due, index in mine:
            if index is None or when > date_to:
                continue
            open_amount = amount - sum(value for pay_date, value in paid[index] if pay_date <= date_to)
            aging[age_bucket(due, date_to)] += open_amount
        result[currency] = {
            "opening_balance": round(opening, 2),
            "total_debit": round(sum(item[2] for item in during if item[2] > 0), 2),
            "total_credit": round(-sum(item[2] for item in during if item[2] < 0), 2),
            "closing_balance": round(opening + sum(item[2] for item in during), 2),
            "closing_balance_company": round(sum(item[3] for item in mine if item[1] <= date_to), 2),
            **{name: round(value, 2) for name, value in zip(BUCKETS, aging, strict=True)},
        }
    return result


@tagged("post_install", "-at_install")
class TestStatementProperty(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        foreign = cls.setup_other_currency(
            "EUR", rates=[(f"2025-{month:02d}-01", 1 / cny) for month, cny in CNY_PER_USD.items()]
        )
        cls.currencies = {"CNY": cls.env.company.currency_id, "USD": foreign}

    def _post(self, documents, order):
        """Create the documents in the generated order (not by date); returns them with the payments'
        amounts in their own currency, as the reference reads them."""
        described = []
        for kind, currency, when, amount_cents, due_days, payments in documents:
            amount = amount_cents / 100
            pays = []
            for pay_currency, percent, after in payments:
                pay_date = when + timedelta(days=after)
                share = amount * percent / 100  # in the invoice's currency
                if pay_currency == currency:
                    pay_amount = round(share, 2)
                elif currency == "CNY":
                    pay_amount = round(share / rate(pay_date), 2)  # USD
                else:
                    pay_currency, pay_amount = "USD", round(share, 2)  # USD invoices are paid in USD
                pays.append((pay_currency, pay_date, pay_amount))
            if kind == "credit_note":
                pays = []
            described.append((kind, currency, when, amount, when + timedelta(days=due_days), pays))
        moves = {}
        for index in order:
            kind, currency, when, amount, due, pays = described[index]
            moves[index] = self._invoice(
                "dl_hz", when, [(self.product_a, 1, amount)], refund=kind == "credit_note",
                currency=self.currencies[currency], due=due,
            )
        for index in order:
            for pay_currency, pay_date, pay_amount in described[index][5]:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=moves[index].ids
                ).create(
                    {"payment_date": pay_date, "amount": pay_amount, "currency_id": self.currencies[pay_currency].id}
                )._create_payments()
        return described

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(documents=st.lists(document, min_size=1, max_size=6), data=st.data())
    def test_statements_match_the_reference(self, documents, data):
        order = data.draw(st.permutations(range(len(documents))), label="posting order")
        with contextlib.closing(self.env.cr.savepoint()):
            described = self._post(documents, order)
            member = self.members["dl_hz"]
            Statement = self.env["distribution.statement"]
            for date_from, date_to in PERIODS:
                Statement._generate(member, date_from, date_to, self.env.company)
                statements = Statement.search(
                    [("member_id", "=", member.id), ("date_to", "=", date_to), ("state", "!=", "superseded")]
                )
                want = expected(described, date_from, date_to)
                names = {currency.id: name for name, currency in self.currencies.items()}
                got = {names[statement.currency_id.id]: {name: statement[name] for name in FIELDS}
                       for statement in statements}
                self.assertEqual(got, want, f"{date_from:%B}: {described}")
                # the member's statements in company currency are its receivable ledger
                ledger = sum(
                    self.env["account.move.line"].search(
                        [("partner_id", "=", member.partner_id.id), ("parent_state", "=", "posted"),
                         ("account_id.account_type", "=", "asset_receivable"), ("date", "<=", date_to)]
                    ).mapped("balance")
                )
                self.assertAlmostEqual(sum(statements.mapped("closing_balance_company")), ledger, places=2)
