from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .distribution_rebate_computation import RESULT_FIELDS


class DistributionRebateAccrual(models.Model):
    """A month-end accrual of one agreement: rebate earned and not settled yet, per member,
    reversed the next day so that each month's entry states the full amount to date."""

    _name = "distribution.rebate.accrual"
    _description = "Rebate Accrual"
    _order = "date desc, id desc"

    agreement_id = fields.Many2one("distribution.rebate.agreement", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, index=True)
    amount = fields.Monetary()
    move_id = fields.Many2one("account.move", string="Accrual Entry", readonly=True)
    reversal_move_id = fields.Many2one("account.move", string="Reversal Entry", readonly=True)

    _one_per_date = models.Constraint(
        "UNIQUE(agreement_id, date)", "An agreement is accrued once per date."
    )

    def init(self):
        """Accrual entries made before the DMS marked its own (an update): marked now."""
        self.env.cr.execute(
            """
            UPDATE account_move m SET dms_origin = 'rebate_accrual'
              FROM distribution_rebate_accrual a
             WHERE m.id IN (a.move_id, a.reversal_move_id) AND m.dms_origin IS NULL
            """
        )

    @api.model
    def _run(self, date, agreements=None):
        """Accrue every running agreement at `date`: what each period had earned from the documents
        dated up to `date`, less what was settled by then. A second run at the same date creates
        nothing. An agreement that cannot be accrued is reported on it (and to its responsible);
        the others are accrued."""
        Agreement = self.env["distribution.rebate.agreement"]
        agreements = agreements or Agreement.search([("state", "in", ("approved", "running"))])
        agreements = agreements.filtered(lambda a: a.state in ("approved", "running", "closed"))
        done = set(self.search([("agreement_id", "in", agreements.ids), ("date", "=", date)]).agreement_id.ids)
        agreements = agreements.filtered(lambda a: a.id not in done)
        if not agreements:
            return self.browse()
        Computation = self.env["distribution.rebate.computation"]
        # the stored results, as of today (what the screens show)
        Computation._compute_agreements(agreements, up_to=date)
        rows, _timings = Computation._period_rows(agreements, date, at_date=True)
        amount_index = 5 + RESULT_FIELDS.index("amount")
        earned = defaultdict(float)  # (agreement id, member id, period start): earned at the date
        for row in rows:
            earned[row[:3]] += row[amount_index]
        settled = self.env["distribution.rebate.settlement"]._read_group(
            [("agreement_id", "in", agreements.ids), ("state", "=", "posted"), ("date", "<=", date)],
            ["agreement_id", "member_id", "computation_id"],
            ["amount:sum"],
        )
        for agreement, member, computation, amount in settled:
            earned[agreement.id, member.id, computation.date_from] -= amount
        by_agreement = defaultdict(lambda: defaultdict(float))
        for (agreement_id, member_id, _date_from), amount in earned.items():
            by_agreement[agreement_id][member_id] += amount
        accruals = self.browse()
        problems = {}
        for agreement in agreements.filtered(lambda a: not a.computation_problem):
            try:
                with self.env.cr.savepoint():
                    accruals |= self._accrue(agreement, date, by_agreement.get(agreement.id, {}))
            except (UserError, ValidationError) as error:
                problems[agreement.id] = self.env._("Accrual at %(date)s: %(error)s", date=date, error=error.args[0])
        # agreements left out by the computation keep their note; the accrual's are added
        problems = {a.id: a.computation_problem for a in agreements if a.computation_problem} | problems
        agreements._report_problems(problems)
        return accruals

    def _accrue(self, agreement, date, amounts):
        """The accrual of one agreement at `date`: {member id: amount}."""
        currency = agreement.currency_id
        members = self.env["distribution.member"].browse(list(amounts))
        lines = [(member, currency.round(amounts[member.id])) for member in members
                 if not currency.is_zero(amounts[member.id])]
        total = currency.round(sum(a for _m, a in lines))
        vals = {"agreement_id": agreement.id, "date": date, "amount": total}
        if lines:
            if not (agreement.journal_id and agreement.expense_account_id and agreement.accrual_account_id):
                raise UserError(
                    self.env._("Set the accrual journal and accounts of %(agreement)s (or of the company).",
                               agreement=agreement.name)
                )
            label = self.env._("Rebate accrual %(agreement)s at %(date)s", agreement=agreement.name, date=date)
            line_vals = []
            for member, amount in lines:
                line_vals += [
                    Command.create({"name": label, "account_id": agreement.expense_account_id.id,
                                    "partner_id": member.partner_id.id,
                                    "debit": max(amount, 0.0), "credit": max(-amount, 0.0)}),
                    Command.create({"name": label, "account_id": agreement.accrual_account_id.id,
                                    "partner_id": member.partner_id.id,
                                    "debit": max(-amount, 0.0), "credit": max(amount, 0.0)}),
                ]
            move = self.env["account.move"].sudo().create(
                {"move_type": "entry", "journal_id": agreement.journal_id.id, "date": date, "ref": label,
                 "dms_origin": "rebate_accrual",
                 "company_id": agreement.company_id.id, "line_ids": line_vals}
            )
            move.action_post()
            reversal = move._reverse_moves([{"date": date + timedelta(days=1), "ref": label}])
            reversal.action_post()
            vals.update(move_id=move.id, reversal_move_id=reversal.id)
        return self.create(vals)

    @api.model
    def _cron_month_end(self):
        today = fields.Date.context_today(self)
        month_end = today.replace(day=1) - timedelta(days=1)
        self._run(month_end)
