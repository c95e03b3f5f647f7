import contextlib
import gc
import logging
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, formatLang

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


class DistributionRebateComputation(models.Model):
    """The result of an agreement for one member and one period, with what it was computed from."""

    _name = "distribution.rebate.computation"
    _inherit = ["distribution.rebate.computation.basis", "distribution.rebate.computation.rules"]
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
    # The engine: what it reads is in distribution_rebate_computation_basis.py, the rules it
    # applies in distribution_rebate_computation_rules.py
    # ------------------------------------------------------------------
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
