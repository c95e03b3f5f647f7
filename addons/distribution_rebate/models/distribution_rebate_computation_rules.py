"""How the figures of a period become its result, apart from the sums they are read from
(distribution_rebate_computation_basis.py) and the stored result (distribution_rebate_computation.py):
the plan of each agreement (rate table, conditions, reference year), the rate applied, what is
missing to the next tier, and the explanation a member reads, in his language and currency."""

import ast
from collections import defaultdict

from odoo import api, models
from odoo.tools import float_round
from odoo.tools.misc import get_lang

from ..tools import rebate_math


class DistributionRebateComputationRules(models.AbstractModel):
    """How the figures of a period become a rebate result (inherited by
    `distribution.rebate.computation` only)."""

    _name = "distribution.rebate.computation.rules"
    _description = "Rebate Computation: Rules"

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
