"""Property-based test (hypothesis): sales, releases, withdrawals and refunds of one promoter in any
order, against a reference in plain Python: a refund takes back what the refunded goods earned,
once, whatever withdrawals split meanwhile; the balances always add up to what is still earned."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from freezegun import freeze_time
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from odoo import Command, fields
from odoo.tests import tagged

from .common import CommissionCommon

CENT = Decimal("0.01")
PRICES = [Decimal("25.00"), Decimal("33.33"), Decimal("99.99")]

operation = st.one_of(
    st.tuples(st.just("sell"), st.integers(1, 12), st.integers(0, len(PRICES) - 1)),
    st.tuples(st.just("release")),
    st.tuples(st.just("withdraw"), st.integers(1, 100)),  # percent of the withdrawable balance
    st.tuples(st.just("refund"), st.integers(0, 9), st.integers(1, 12)),
)


def cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@tagged("post_install", "-at_install")
class TestCommissionLedgerProperties(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer._attach_referrer(cls.mid)
        cls.accountant = cls.channel_manager
        cls.accountant.sudo().group_ids = [Command.link(cls.env.ref("account.group_account_invoice").id)]

    @settings(max_examples=5, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(operations=st.lists(operation, min_size=2, max_size=6))
    def test_balances_match_the_reference(self, operations):
        savepoint = self.env.cr.savepoint()
        try:
            self._check(operations)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def _check(self, operations):
        today = fields.Date.today()
        day = 0
        sales = []  # reference: [invoice, quantity, earned, taken back]
        withdrawn = Decimal(0)
        for op in operations:
            with freeze_time(today + timedelta(days=day)):
                if op[0] == "sell":
                    _kind, qty, price = op
                    _order, invoice = self._sell(self.customer, [(self.product_a, qty, float(PRICES[price]))])
                    sales.append([invoice, qty, cents(qty * PRICES[price] * Decimal("0.10")), Decimal(0)])
                elif op[0] == "release":
                    day += 8
                    with freeze_time(today + timedelta(days=day)):
                        self.env["distribution.commission"]._cron_release()
                elif op[0] == "withdraw":
                    self.mid.invalidate_recordset()
                    amount = cents(Decimal(str(self.mid.amount_withdrawable)) * op[1] / 100)
                    if amount < Decimal(str(self.env.company.dms_commission_min_withdrawal)):
                        continue
                    withdrawal = self.env["distribution.commission.withdrawal"]._request(self.mid, float(amount))
                    withdrawal.with_user(self.accountant).action_approve()
                    self.assertEqual(withdrawal.state, "paid")
                    withdrawn += amount
                elif op[0] == "refund" and sales:
                    _kind, index, qty = op
                    sale = sales[index % len(sales)]
                    invoice, sold, earned, taken = sale
                    self._refund(invoice, qty)
                    sale[3] += min(cents(earned * min(Decimal(qty) / sold, Decimal(1))), earned - taken)
        self.mid.invalidate_recordset()
        still_earned = sum((earned - taken for _i, _q, earned, taken in sales), Decimal(0))
        balances = [Decimal(str(v)).quantize(CENT) for v in
                    (self.mid.amount_frozen, self.mid.amount_available, self.mid.amount_withdrawn)]
        self.assertEqual(sum(balances), still_earned, f"frozen, available, withdrawn {balances}")
        self.assertEqual(balances[2], withdrawn)
        taken_back = -sum((Decimal(str(c.amount)) for c in self.env["distribution.commission"].search(
            [("promoter_id", "=", self.mid.id), ("kind", "=", "clawback")])), Decimal(0))
        reversed_ = sum((Decimal(str(c.amount)) for c in self.env["distribution.commission"].search(
            [("promoter_id", "=", self.mid.id), ("kind", "=", "reversal")])), Decimal(0))
        self.assertEqual(cents(taken_back + reversed_), sum((t for *_x, t in sales), Decimal(0)))
