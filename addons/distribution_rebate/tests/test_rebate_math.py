from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.distribution_rebate.tools import rebate_math

thresholds = st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=1, max_size=6, unique=True)
rates = st.lists(st.integers(min_value=0, max_value=2000), min_size=7, max_size=7)  # basis points
bases = st.floats(min_value=0, max_value=2_000_000, allow_nan=False, allow_infinity=False)


def _tiers(points, bps):
    """Tiers from 0 whose rate never decreases as the threshold grows (how agreements are written)."""
    increasing = sorted(bps)[: len(points) + 1]
    return list(zip([0.0] + [float(t) for t in sorted(points)], [r / 10000.0 for r in increasing], strict=True))


@tagged("post_install", "-at_install")
class TestRebateMath(BaseCase):
    @settings(max_examples=300, deadline=None)
    @given(thresholds, rates, bases)
    def test_progressive_never_pays_more_than_retroactive(self, points, bps, basis):
        tiers = _tiers(points, bps)
        retro = rebate_math.compute("stepped_retro", basis, tiers=tiers).amount
        progressive = rebate_math.compute("stepped_progressive", basis, tiers=tiers).amount
        self.assertLessEqual(progressive, retro + 1e-6)

    @settings(max_examples=300, deadline=None)
    @given(thresholds, rates, bases, bases, st.sampled_from(["stepped_retro", "stepped_progressive"]))
    def test_amount_is_monotonic_in_the_basis(self, points, bps, first, second, kind):
        tiers = _tiers(points, bps)
        low, high = sorted((first, second))
        self.assertLessEqual(
            rebate_math.compute(kind, low, tiers=tiers).amount,
            rebate_math.compute(kind, high, tiers=tiers).amount + 1e-6,
        )

    @settings(max_examples=200, deadline=None)
    @given(bases, st.floats(min_value=0, max_value=100_000), st.floats(min_value=0.001, max_value=0.2))
    def test_flat_with_cap_and_minimum(self, basis, cap, rate):
        result = rebate_math.compute("flat", basis, rate=rate, cap=cap, min_basis=1000.0)
        expected = 0.0 if basis < 1000.0 else basis * rate
        if cap:
            expected = min(expected, cap)
        self.assertAlmostEqual(result.amount, expected, places=6)

    def test_known_values(self):
        tiers = [(0.0, 0.01), (10000.0, 0.02), (50000.0, 0.03)]
        self.assertAlmostEqual(rebate_math.compute("stepped_retro", 60000, tiers=tiers).amount, 1800.0)
        self.assertAlmostEqual(rebate_math.compute("stepped_progressive", 60000, tiers=tiers).amount, 1200.0)
        self.assertAlmostEqual(rebate_math.compute("growth", 26000, rate=0.05, reference=20000).amount, 300.0)
        self.assertEqual(rebate_math.compute("growth", 26000, rate=0.05, reference=None).amount, 0.0)
