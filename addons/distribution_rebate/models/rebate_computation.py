import logging
import time

from dateutil.relativedelta import relativedelta
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from . import rebate_math

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
    "amount",
    "next_threshold",
    "next_missing",
    "next_amount",
    "explanation",
]


class DistributionRebateComputation(models.Model):
    """The result of an agreement for one member and one period, with what it was computed from."""

    _name = "distribution.rebate.computation"
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
    basis = fields.Float(digits=(16, 2), help="Invoiced net amount (company currency, at each invoice's date) or quantity.")
    basis_reference = fields.Float(string="Reference Basis", digits=(16, 2), help="Growth: last year's basis or the target.")
    has_reference = fields.Boolean(help="Growth: last year's basis exists (or a target is set).")
    line_count = fields.Integer(string="Invoice Lines")
    tier_reached = fields.Float(string="Tier Reached (threshold)", digits=(16, 2))
    rate = fields.Float(string="Rate Applied", digits=(16, 4))
    amount_before_conditions = fields.Monetary(string="Earned before Conditions")
    overdue_amount = fields.Monetary(string="Overdue at Period End")
    amount = fields.Monetary(string="Earned")
    amount_settled = fields.Monetary(string="Settled", compute="_compute_amount_settled", store=True)
    amount_to_settle = fields.Monetary(compute="_compute_amount_settled", store=True)
    next_threshold = fields.Float(string="Next Tier at", digits=(16, 2))
    next_missing = fields.Float(string="Missing to Next Tier", digits=(16, 2))
    next_amount = fields.Monetary(string="Earned at Next Tier")
    explanation = fields.Text()
    computed_on = fields.Datetime(readonly=True)
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
    # The engine
    # ------------------------------------------------------------------
    @api.model
    def _scopes(self, agreements, up_to):
        """(agreement, member, date_from, date_to) of every period started by `up_to`."""
        scopes = []
        for agreement in agreements:
            members = agreement._members()
            for date_from, date_to in agreement._periods():
                if date_from > up_to:
                    continue
                scopes.extend((agreement, member, date_from, date_to) for member in members)
        return scopes

    @api.model
    def _basis_rows(self, agreements, scopes, shift_years=0):
        """One grouped query for every scope: {(agreement id, member id, date_from): (amount, qty, lines)}.

        Amounts are the invoice lines' balance in the company currency (converted at
        each invoice's date by the accounting); credit notes count negative."""
        if not scopes:
            return {}
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dms_rebate_scope "
            "(agreement_id int, member_id int, date_from date, date_to date, all_products bool) ON COMMIT DROP"
        )
        cr.execute("CREATE TEMP TABLE IF NOT EXISTS dms_rebate_product (agreement_id int, product_id int) ON COMMIT DROP")
        cr.execute("TRUNCATE dms_rebate_scope, dms_rebate_product")
        products = agreements._product_ids_by_agreement()
        shift = relativedelta(years=shift_years)
        execute_values(
            cr._obj,
            "INSERT INTO dms_rebate_scope VALUES %s",
            [
                (a.id, m.id, f - shift, t - shift, products[a.id] is None)
                for a, m, f, t in scopes
            ],
            page_size=5000,
        )
        product_rows = [(aid, pid) for aid, pids in products.items() if pids for pid in pids]
        if product_rows:
            execute_values(cr._obj, "INSERT INTO dms_rebate_product VALUES %s", product_rows, page_size=5000)
        cr.execute("ANALYZE dms_rebate_scope; ANALYZE dms_rebate_product")
        # 1. the invoices of each scope (member and period), through the member index
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dms_rebate_move (agreement_id int, member_id int, date_from date, "
            "all_products bool, move_id int, refund bool) ON COMMIT DROP"
        )
        cr.execute("TRUNCATE dms_rebate_move")
        cr.execute(
            """
            INSERT INTO dms_rebate_move
            SELECT s.agreement_id, s.member_id, s.date_from, s.all_products, m.id, m.move_type = 'out_refund'
              FROM dms_rebate_scope s
              JOIN account_move m
                ON m.channel_member_id = s.member_id
               AND m.invoice_date BETWEEN s.date_from AND s.date_to
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
            """
        )
        if not cr.rowcount:
            return {}
        cr.execute("ANALYZE dms_rebate_move")
        # 2. their product lines, summed per scope (a hash join on the product filter)
        cr.execute(
            """
            SELECT sm.agreement_id, sm.member_id, sm.date_from,
                   SUM(-aml.balance),
                   SUM(CASE WHEN sm.refund THEN -aml.quantity ELSE aml.quantity END),
                   COUNT(*)
              FROM dms_rebate_move sm
              JOIN account_move_line aml ON aml.move_id = sm.move_id AND aml.display_type = 'product'
         LEFT JOIN dms_rebate_product p ON p.agreement_id = sm.agreement_id AND p.product_id = aml.product_id
             WHERE sm.all_products OR p.product_id IS NOT NULL
          GROUP BY sm.agreement_id, sm.member_id, sm.date_from
            """
        )
        rows = {}
        for agreement_id, member_id, date_from, amount, qty, count in cr.fetchall():
            rows[(agreement_id, member_id, date_from + shift)] = (float(amount or 0.0), float(qty or 0.0), count)
        return rows

    @api.model
    def _overdue_rows(self, scopes):
        """Receivable still open today from invoices due before each period's end: {(member id, date_to): amount}."""
        keys = {(m.id, t) for a, m, f, t in scopes if a.overdue_action != "none"}
        if not keys:
            return {}
        self.env["account.move"].flush_model()
        keys = sorted(keys)
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
    def _compute_agreements(self, agreements, up_to=None):
        """Compute (or recompute) every started period of the agreements, set-based:
        one grouped query for the basis, one for last year's, one for overdue."""
        up_to = up_to or fields.Date.context_today(self)
        started = time.perf_counter()
        agreements = agreements.filtered(lambda a: a.state in ("approved", "running", "closed"))
        scopes = self._scopes(agreements, up_to)
        if not scopes:
            return self.browse()
        timings = {"scopes": time.perf_counter() - started}
        current = self._basis_rows(agreements, scopes)
        timings["basis"] = time.perf_counter() - started - sum(timings.values())
        growth = agreements.filtered(lambda a: a.rebate_type == "growth" and a.growth_reference == "last_year")
        growth_scopes = [s for s in scopes if s[0] in growth]
        last_year = self._basis_rows(growth, growth_scopes, shift_years=1) if growth else {}
        overdue = self._overdue_rows(scopes)
        timings["last year and overdue"] = time.perf_counter() - started - sum(timings.values())
        templates = self._explanation_templates()
        now = fields.Datetime.now()
        rows = []
        for agreement, member, date_from, date_to in scopes:
            key = (agreement.id, member.id, date_from)
            amount_basis, qty_basis, count = current.get(key, (0.0, 0.0, 0))
            values = self._evaluate(
                agreement, amount_basis if agreement.basis == "amount" else qty_basis, last_year.get(key),
                overdue.get((member.id, date_to), 0.0) if agreement.overdue_action != "none" else 0.0,
                templates=templates,
            )
            rows.append(
                (agreement.id, member.id, date_from, date_to, count, now, self.env.uid)
                + tuple(values[name] for name in RESULT_FIELDS)
            )
        timings["evaluate"] = time.perf_counter() - started - sum(timings.values())
        ids = self._upsert(rows)
        timings["write"] = time.perf_counter() - started - sum(timings.values())
        _logger.info(
            "Rebates: %s period results of %s agreements in %.2fs (%s)",
            len(scopes), len(agreements), time.perf_counter() - started,
            ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items()),
        )
        return self.browse(ids)

    @api.model
    def _upsert(self, rows):
        """Insert or update the period results in one statement (the unique key is
        agreement, member, period start); what was settled is kept."""
        self.flush_model()
        self.env["distribution.rebate.settlement"].flush_model()
        columns = ", ".join(RESULT_FIELDS)
        values = ", ".join(f"v.{name}" for name in RESULT_FIELDS)
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in RESULT_FIELDS)
        placeholders = ", ".join(["%s"] * len(RESULT_FIELDS))
        result = execute_values(
            self.env.cr._obj,
            f"""
            INSERT INTO distribution_rebate_computation
                   (agreement_id, member_id, date_from, date_to, line_count, computed_on, {columns},
                    partner_id, tier_id, territory_id, company_id, rebate_type, amount_settled, amount_to_settle,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.agreement_id, v.member_id, v.date_from, v.date_to, v.line_count, v.computed_on, {values},
                   m.partner_id, m.tier_id, m.territory_id, a.company_id, a.rebate_type, 0, v.amount,
                   v.uid, v.computed_on, v.uid, v.computed_on
              FROM (VALUES %s) AS v(agreement_id, member_id, date_from, date_to, line_count, computed_on, uid,
                                    {columns})
              JOIN distribution_member m ON m.id = v.member_id
              JOIN distribution_rebate_agreement a ON a.id = v.agreement_id
            ON CONFLICT (agreement_id, member_id, date_from) DO UPDATE
               SET date_to = EXCLUDED.date_to, line_count = EXCLUDED.line_count,
                   computed_on = EXCLUDED.computed_on, {updates},
                   amount_to_settle = EXCLUDED.amount - distribution_rebate_computation.amount_settled,
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
            RETURNING id
            """,  # column names are constants of this module; values are parameters
            rows,
            template=f"(%s, %s, %s::date, %s::date, %s, %s::timestamp, %s, {placeholders})",
            page_size=5000,
            fetch=True,
        )
        self.env.invalidate_all()  # rows changed under the ORM (and the agreements' one2many)
        return [row[0] for row in result]

    @api.model
    def _explanation_templates(self):
        """The explanation sentences, translated once per run (formatted per result)."""
        return {
            "main": self.env._("Basis %(basis)s %(unit)s; rate %(rate)s; earned %(earned)s."),
            "no_reference": self.env._("No basis for the same period last year: no growth to reward."),
            "minimum": self.env._("Basis under the minimum of %(min)s: nothing earned."),
            "cap": self.env._("Capped at %(cap)s."),
            "void": self.env._("Voided: %(amount)s overdue at the period end."),
            "reduce": self.env._("Reduced by %(pct)s%%: %(amount)s overdue at the period end."),
            "units": self.env._("units"),
        }

    @api.model
    def _evaluate(self, agreement, basis, last_year, overdue_amount, templates=None):
        """The computation's figures from its basis (plain Python, no query)."""
        templates = templates or self._explanation_templates()
        currency = agreement.currency_id
        factor = agreement._rate_factor()
        reference = None
        if agreement.rebate_type == "growth":
            if agreement.growth_reference == "target":
                reference = agreement.growth_target
            elif last_year is not None:
                reference = last_year[0] if agreement.basis == "amount" else last_year[1]
        tiers = agreement._tiers()
        result = rebate_math.compute(
            agreement.rebate_type, basis, rate=agreement.rate * factor, tiers=tiers, reference=reference,
            min_basis=agreement.min_basis, cap=agreement.cap_amount,
        )
        before = currency.round(result.amount)
        amount = before
        notes = []
        unit = currency.symbol if agreement.basis == "amount" else templates["units"]
        if agreement.rebate_type == "growth" and reference is None:
            notes.append(templates["no_reference"])
        if basis < (agreement.min_basis or 0.0):
            notes.append(templates["minimum"] % {"min": agreement.min_basis})
        if agreement.cap_amount and result.amount >= agreement.cap_amount:
            notes.append(templates["cap"] % {"cap": currency.format(agreement.cap_amount)})
        if overdue_amount > 0 and amount:
            if agreement.overdue_action == "void":
                amount = 0.0
                notes.append(templates["void"] % {"amount": currency.format(overdue_amount)})
            elif agreement.overdue_action == "reduce":
                amount = currency.round(amount * (1 - agreement.overdue_reduce_percent / 100.0))
                notes.append(
                    templates["reduce"]
                    % {"pct": agreement.overdue_reduce_percent, "amount": currency.format(overdue_amount)}
                )
        explanation = templates["main"] % {
            "basis": f"{basis:,.2f}",
            "unit": unit,
            "rate": f"{result.rate * 100:.2f}%" if agreement.basis == "amount" else currency.format(result.rate),
            "earned": currency.format(amount),
        }
        return {
            "basis": basis,
            "basis_reference": reference or 0.0,
            "has_reference": reference is not None,
            "tier_reached": tiers[result.tier_index][0] if result.tier_index >= 0 else 0.0,
            "rate": result.rate / factor if factor else result.rate,
            "amount_before_conditions": before,
            "overdue_amount": overdue_amount,
            "amount": amount,
            "next_threshold": result.next_threshold,
            "next_missing": max(result.next_threshold - basis, 0.0) if result.next_threshold else 0.0,
            "next_amount": currency.round(result.next_amount) if result.next_threshold else 0.0,
            "explanation": "\n".join([explanation] + notes),
        }

    # ------------------------------------------------------------------
    # Contributing lines
    # ------------------------------------------------------------------
    def _line_domain(self):
        self.ensure_one()
        agreement = self.agreement_id
        domain = [
            ("move_id.channel_member_id", "=", self.member_id.id),
            ("move_id.state", "=", "posted"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("move_id.invoice_date", ">=", self.date_from),
            ("move_id.invoice_date", "<=", self.date_to),
            ("display_type", "=", "product"),
        ]
        products = agreement._product_ids()
        if products is not None:
            domain.append(("product_id", "in", products))
        return domain

    def _freeze_lines(self):
        """Store the contributing lines (at settlement), in one INSERT ... SELECT per computation."""
        for computation in self:
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

