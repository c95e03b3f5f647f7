"""The rebate formulas, as pure functions (no ORM), so that they can be tested
exhaustively (hypothesis) and explained line by line.

``tiers`` is a list of ``(threshold, rate)`` sorted by threshold; a rate is a
fraction of the basis for an amount basis (0.03 = 3 %) or an amount per unit
for a quantity basis.
"""

from dataclasses import dataclass


@dataclass
class RebateResult:
    amount: float
    rate: float = 0.0
    tier_index: int = -1  # index in tiers of the tier reached, -1: none
    growth_basis: float = 0.0  # the part of the basis a growth rebate is paid on
    next_threshold: float = 0.0  # 0: no higher tier
    next_amount: float = 0.0  # what the same period would earn at the next threshold


def tier_reached(tiers, basis):
    index = -1
    for i, (threshold, _rate) in enumerate(tiers):
        if basis >= threshold:
            index = i
    return index


def retroactive(tiers, basis):
    """The rate of the tier reached applies to the whole basis."""
    index = tier_reached(tiers, basis)
    if index < 0:
        return 0.0, 0.0, index
    rate = tiers[index][1]
    return basis * rate, rate, index


def progressive(tiers, basis):
    """Each tier's rate applies only to its slice of the basis."""
    amount = 0.0
    for i, (threshold, rate) in enumerate(tiers):
        upper = tiers[i + 1][0] if i + 1 < len(tiers) else None
        top = basis if upper is None else min(basis, upper)
        if top > threshold:
            amount += (top - threshold) * rate
    index = tier_reached(tiers, basis)
    return amount, tiers[index][1] if index >= 0 else 0.0, index


def compute(rebate_type, basis, rate=0.0, tiers=(), reference=None, min_basis=0.0, cap=0.0):
    """The rebate of a period before conditions (overdue, penalties) and rounding."""
    tiers = sorted(tiers)

    def raw(value):
        if rebate_type == "flat":
            return RebateResult(value * rate, rate=rate)
        if rebate_type == "stepped_retro":
            amount, tier_rate, index = retroactive(tiers, value)
            return RebateResult(amount, rate=tier_rate, tier_index=index)
        if rebate_type == "stepped_progressive":
            amount, tier_rate, index = progressive(tiers, value)
            return RebateResult(amount, rate=tier_rate, tier_index=index)
        if rebate_type == "growth":
            increase = max(value - (reference or 0.0), 0.0) if reference is not None else 0.0
            return RebateResult(increase * rate, rate=rate, growth_basis=increase)
        raise ValueError(rebate_type)

    def final(value):
        result = raw(value)
        if value < (min_basis or 0.0) or value <= 0:
            result.amount = 0.0
        if cap and result.amount > cap:
            result.amount = cap
        return result

    result = final(basis)
    if rebate_type in ("stepped_retro", "stepped_progressive"):
        higher = [threshold for threshold, _r in tiers if threshold > basis]
        if higher:
            result.next_threshold = higher[0]
            result.next_amount = final(higher[0]).amount
    elif min_basis and basis < min_basis:
        result.next_threshold = min_basis
        result.next_amount = final(min_basis).amount
    return result
