from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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

    @api.model
    def _run(self, date, agreements=None):
        """Accrue every running agreement at `date`. A second run at the same date creates nothing."""
        Agreement = self.env["distribution.rebate.agreement"]
        agreements = agreements or Agreement.search([("state", "in", ("approved", "running"))])
        agreements = agreements.filtered(lambda a: a.state in ("approved", "running", "closed"))
        done = set(self.search([("agreement_id", "in", agreements.ids), ("date", "=", date)]).agreement_id.ids)
        agreements = agreements.filtered(lambda a: a.id not in done)
        if not agreements:
            return self.browse()
        self.env["distribution.rebate.computation"]._compute_agreements(agreements, up_to=date)
        Computation = self.env["distribution.rebate.computation"]
        rows = Computation._read_group(
            [("agreement_id", "in", agreements.ids), ("date_from", "<=", date)],
            ["agreement_id", "member_id"],
            ["amount:sum", "amount_settled:sum"],
        )
        by_agreement = {}
        for agreement, member, earned, settled in rows:
            by_agreement.setdefault(agreement, []).append((member, earned - settled))
        accruals = self.browse()
        for agreement in agreements:
            currency = agreement.currency_id
            lines = [(m, currency.round(a)) for m, a in by_agreement.get(agreement, []) if not currency.is_zero(a)]
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
                     "company_id": agreement.company_id.id, "line_ids": line_vals}
                )
                move.action_post()
                reversal = move._reverse_moves([{"date": date + timedelta(days=1), "ref": label}])
                reversal.action_post()
                vals.update(move_id=move.id, reversal_move_id=reversal.id)
            accruals |= self.create(vals)
        return accruals

    @api.model
    def _cron_month_end(self):
        today = fields.Date.context_today(self)
        month_end = today.replace(day=1) - timedelta(days=1)
        self._run(month_end)
