import functools
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_is_zero, formatLang, mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.distribution_approval.tools import ENGINE

REBATE_TYPES = [
    ("flat", "Flat"),
    ("stepped_retro", "Stepped, retroactive"),
    ("stepped_progressive", "Stepped, progressive"),
    ("growth", "Growth"),
]
PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year"), ("custom", "Whole validity")]


def format_rate_number(env, value, min_digits=0, max_digits=4):
    """`value` in the language of `env` with the decimals it has (at least `min_digits`, at most
    `max_digits`): 3.0 → "3", 2.5 → "2.5", 0.125 → "0.125"."""
    digits = next((d for d in range(max_digits + 1) if float_is_zero(value - round(value, d), precision_digits=8)),
                  max_digits)
    return formatLang(env, value, digits=max(digits, min_digits))


@functools.lru_cache(maxsize=4096)
def period_bounds(period_type, date_start, date_end):
    """The settlement periods of a validity: ((first day, last day), ...), clipped to it
    (cached: most agreements share their validity)."""
    if period_type == "custom":
        return [(date_start, date_end)]
    months = {"month": 1, "quarter": 3, "year": 12}[period_type]
    if period_type == "month":
        start = date_start.replace(day=1)
    elif period_type == "quarter":
        start = date(date_start.year, 3 * ((date_start.month - 1) // 3) + 1, 1)
    else:
        start = date(date_start.year, 1, 1)
    periods = []
    while start <= date_end:
        end = start + relativedelta(months=months, days=-1)
        periods.append((max(start, date_start), min(end, date_end)))
        start = end + relativedelta(days=1)
    return tuple(periods)


class DistributionRebateAgreement(models.Model):
    _name = "distribution.rebate.agreement"
    _description = "Rebate Agreement"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    _state_from = ["draft"]
    _state_to = ["approved", "running"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = (
        "member_id",
        "tier_id",
        "territory_id",
        "date_start",
        "date_end",
        "period_type",
        "basis",
        "basis_source",
        "rebate_type",
        "rate",
        "growth_reference",
        "growth_target",
        "min_basis",
        "cap_amount",
        "tier_line_ids",
    )
    _dms_approval_on_change = "reset"
    _dms_approval_numbers_may_decrease = False  # a lower minimum basis is more generous

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(copy=False, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("approved", "Approved"),
            ("running", "Running"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    scope = fields.Selection(
        [("member", "One member"), ("tier", "All members of a tier"), ("territory", "All members of a territory")],
        default="member",
        required=True,
    )
    member_id = fields.Many2one("distribution.member", index=True, tracking=True)
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier")
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory")
    date_start = fields.Date(
        required=True, tracking=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
    )
    date_end = fields.Date(
        required=True, tracking=True, default=lambda self: fields.Date.context_today(self).replace(month=12, day=31)
    )
    period_type = fields.Selection(PERIOD_TYPES, string="Settlement Period", default="quarter", required=True)
    basis = fields.Selection(
        [("amount", "Invoiced net amount"), ("qty", "Invoiced quantity")], default="amount", required=True
    )
    basis_source = fields.Selection(
        [("sell_in", "Sell-in (HQ invoices)"), ("sell_out", "Sell-out (sales to end customers)")],
        default="sell_in",
        required=True,
        help="Sell-in: HQ's posted invoices and credit notes to the member. Sell-out: what the member and "
        "the members below it sold to end customers (the stores' point of sale, returns deducted).",
    )
    product_ids = fields.Many2many("product.product", string="Products")
    categ_ids = fields.Many2many("product.category", string="Product Categories")
    product_domain = fields.Char(string="Product Filter", help="More conditions on the products, as a domain.")
    rebate_type = fields.Selection(REBATE_TYPES, default="flat", required=True, tracking=True)
    rate = fields.Float(
        digits=(16, 4),
        help="Flat and growth: percentage of the amount (amount basis) or amount per unit (quantity basis).",
    )
    rate_display = fields.Char(
        string="Rate Shown", compute="_compute_rate_display",
        help="The rate as the members read it: a percentage of the amount, or an amount per unit.",
    )
    tier_line_ids = fields.One2many("distribution.rebate.tier.line", "agreement_id", string="Tiers", copy=True)
    growth_reference = fields.Selection(
        [("last_year", "Same period last year"), ("target", "Target")], default="last_year"
    )
    growth_target = fields.Float(string="Target Basis", help="Growth over this basis (per period).")
    min_basis = fields.Float(string="Minimum Basis", help="Below this basis nothing is earned.")
    cap_amount = fields.Monetary(string="Cap per Period", help="The most a period can earn. 0: no cap.")
    overdue_action = fields.Selection(
        [("none", "No condition"), ("void", "Void the rebate"), ("reduce", "Reduce the rebate")],
        string="Overdue Invoices at Period End",
        default="none",
        required=True,
    )
    overdue_reduce_percent = fields.Float(string="Reduction (%)", default=50.0)
    diversion_action = fields.Selection(
        [("none", "No condition"), ("deduct", "Deduct the penalties"), ("void", "Void the rebate")],
        string="Confirmed Diversion in the Period",
        default="none",
        required=True,
        help="Diversion incidents (窜货) of the member confirmed with a penalty and seen in the period: deduct "
        "their penalties from the period's rebate (never below zero), or earn nothing for the period.",
    )
    settlement_mode = fields.Selection(
        [("credit_note", "Credit note"), ("vendor_bill", "Vendor bill")], default="credit_note", required=True
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Accrual Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Rebate Expense Account",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    accrual_account_id = fields.Many2one(
        "account.account",
        string="Accrued Rebate Account",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    computation_ids = fields.One2many("distribution.rebate.computation", "agreement_id", string="Computations")
    computation_count = fields.Integer(compute="_compute_counts")
    settlement_count = fields.Integer(compute="_compute_counts")
    amount_earned = fields.Monetary(compute="_compute_counts", string="Earned")
    amount_settled = fields.Monetary(compute="_compute_counts", string="Settled")
    note = fields.Html(translate=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True,
        help="Told (by an activity) when the agreement cannot be computed.",
    )
    computation_problem = fields.Text(
        readonly=True, copy=False,
        help="Why the last computation or accrual left this agreement out (the others were computed).",
    )

    _dates = models.Constraint("CHECK(date_end >= date_start)", "The agreement must end after it starts.")

    @api.depends("company_id", "rebate_type")
    def _compute_accounts(self):
        for agreement in self:
            company = agreement.company_id or self.env.company
            agreement.journal_id = agreement.journal_id or company.dms_rebate_journal_id
            agreement.expense_account_id = agreement.expense_account_id or company.dms_rebate_expense_account_id
            agreement.accrual_account_id = agreement.accrual_account_id or company.dms_rebate_accrual_account_id

    def _compute_counts(self):
        Computation = self.env["distribution.rebate.computation"]
        earned = {
            agreement: (count, amount, settled)
            for agreement, count, amount, settled in Computation._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count", "amount:sum", "amount_settled:sum"]
            )
        }
        settlements = dict(
            self.env["distribution.rebate.settlement"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            count, amount, settled = earned.get(agreement, (0, 0.0, 0.0))
            agreement.computation_count = count
            agreement.amount_earned = amount
            agreement.amount_settled = settled
            agreement.settlement_count = settlements.get(agreement, 0)

    @api.constrains("scope", "member_id", "tier_id", "territory_id", "rebate_type", "tier_line_ids", "rate",
                    "min_basis", "cap_amount", "growth_target", "product_domain")
    def _check_definition(self):
        for agreement in self:
            negative = [
                self._fields[name]._description_string(self.env)
                for name in ("rate", "min_basis", "cap_amount", "growth_target")
                if (agreement[name] or 0.0) < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._("Agreement %(name)s: the %(fields)s cannot be negative.", name=agreement.name,
                               fields=", ".join(negative))
                )
            if agreement.product_domain:
                agreement._check_product_domain()
            needed = {"member": agreement.member_id, "tier": agreement.tier_id, "territory": agreement.territory_id}
            if not needed[agreement.scope]:
                raise ValidationError(
                    self.env._("Agreement %(name)s: choose the %(what)s it applies to.", name=agreement.name,
                               what=dict(self._fields["scope"]._description_selection(self.env))[agreement.scope])
                )
            if agreement.rebate_type.startswith("stepped") and not agreement.tier_line_ids:
                raise ValidationError(self.env._("Agreement %(name)s: a stepped rebate needs tiers.", name=agreement.name))
            if agreement.rebate_type in ("flat", "growth") and agreement.rate <= 0:
                raise ValidationError(self.env._("Agreement %(name)s: set the rate.", name=agreement.name))
            if agreement.overdue_action == "reduce" and not 0 < agreement.overdue_reduce_percent <= 100:
                raise ValidationError(self.env._("The reduction must be between 0 and 100%."))

    def _check_product_domain(self):
        """The product filter is a domain on products, on fields that exist, that runs."""
        self.ensure_one()
        try:
            domain = safe_eval(self.product_domain)
            if not isinstance(domain, (list, tuple)):
                raise ValueError(self.env._("not a list of conditions"))
            domain = Domain(domain)
            Product = self.env["product.product"].with_context(active_test=False)
            domain.validate(Product)
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                Product.search_count(domain, limit=1)
        except Exception as error:
            raise ValidationError(
                self.env._(
                    "Agreement %(name)s: the product filter is not a valid condition on products (%(error)s). "
                    "Write it as a domain on products, e.g. [(\"default_code\", \"=like\", \"PC-%%\")].",
                    name=self.name, error=str(error) or type(error).__name__,
                )
            ) from None

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code", "/") == "/":
                vals["code"] = self.env["ir.sequence"].sudo().next_by_code("distribution.rebate.agreement") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Definition helpers
    # ------------------------------------------------------------------
    def _rate_factor(self):
        """Rates are typed as a percentage for an amount basis."""
        self.ensure_one()
        return 0.01 if self.basis == "amount" else 1.0

    def _tiers(self):
        self.ensure_one()
        factor = self._rate_factor()
        return sorted((line.threshold, line.rate * factor) for line in self.tier_line_ids)

    def _periods(self):
        self.ensure_one()
        return period_bounds(self.period_type, self.date_start, self.date_end)

    def _members(self):
        """The members the agreement applies to (active or suspended: suspension does not cancel what was earned)."""
        self.ensure_one()
        return self.env["distribution.member"].browse(self._members_by_agreement()[self.id])

    def _members_by_agreement(self):
        """{agreement id: member ids}, with a single search for all tier- and territory-wide agreements."""
        result = {agreement.id: agreement.member_id.ids for agreement in self if agreement.scope == "member"}
        wide = self.filtered(lambda a: a.scope != "member")
        if not wide:
            return result
        members = self.env["distribution.member"].search(
            [("state", "in", ("active", "suspended")), ("company_id", "in", wide.company_id.ids)]
        )
        by_tier = defaultdict(list)
        by_territory = defaultdict(list)
        paths = {}
        for member in members:
            by_tier[member.company_id.id, member.tier_id.id].append(member.id)
            if member.territory_id:
                by_territory[member.company_id.id, member.territory_id.id].append(member.id)
                paths[member.territory_id.id] = member.territory_id.parent_path or ""
        for agreement in wide:
            company = agreement.company_id.id
            if agreement.scope == "tier":
                result[agreement.id] = by_tier.get((company, agreement.tier_id.id), [])
                continue
            prefix = agreement.territory_id.parent_path or f"{agreement.territory_id.id}/"
            result[agreement.id] = [
                member_id
                for territory_id, path in paths.items()
                if path.startswith(prefix)
                for member_id in by_territory.get((company, territory_id), [])
            ]
        return result

    def _product_ids(self):
        """The products of the basis, or None for every product."""
        self.ensure_one()
        if not (self.product_ids or self.categ_ids or self.product_domain):
            return None
        domain = []
        if self.product_ids or self.categ_ids:
            domain = ["|", ("id", "in", self.product_ids.ids), ("categ_id", "child_of", self.categ_ids.ids)]
        if self.product_domain:
            domain += safe_eval(self.product_domain)
        return self.env["product.product"].with_context(active_test=False).search(domain).ids

    def _product_ids_by_agreement(self, problems=None):
        """{agreement id: product ids or None}, one search per distinct product filter (the filters
        are read with one query per relation, for thousands of agreements). With `problems` (a
        dict), an agreement whose filter fails is left out and its error noted there."""
        self.flush_recordset(["product_domain"])
        selected = {}
        for name in ("product_ids", "categ_ids"):
            field = self._fields[name]
            self.env.cr.execute(
                SQL(
                    "SELECT %s, array_agg(%s ORDER BY %s) FROM %s WHERE %s = ANY(%s) GROUP BY 1",
                    SQL.identifier(field.column1), SQL.identifier(field.column2), SQL.identifier(field.column2),
                    SQL.identifier(field.relation), SQL.identifier(field.column1), self.ids,
                )
            )
            selected[name] = dict(self.env.cr.fetchall())
        by_signature = {}
        signatures = {}
        for agreement in self:
            signature = (
                tuple(selected["product_ids"].get(agreement.id, ())),
                tuple(selected["categ_ids"].get(agreement.id, ())),
                agreement.product_domain or "",
            )
            signatures[agreement.id] = signature
            by_signature.setdefault(signature, agreement)
        ids_by_signature = {}
        for signature, agreement in by_signature.items():
            try:
                with self.env.cr.savepoint():
                    ids_by_signature[signature] = agreement._product_ids()
            except Exception as error:
                if problems is None:
                    raise
                ids_by_signature[signature] = error
        result = {}
        for agreement_id, signature in signatures.items():
            product_ids = ids_by_signature[signature]
            if isinstance(product_ids, Exception):
                problems[agreement_id] = self.env._(
                    "The product filter cannot be used: %(error)s", error=str(product_ids) or type(product_ids).__name__
                )
            else:
                result[agreement_id] = product_ids
        return result

    def _report_problems(self, problems):
        """Note on each agreement why it could not be computed ({agreement id: message}, or clear the
        note of those computed), and tell its responsible by an activity (once per problem)."""
        if not problems and not self.filtered("computation_problem"):
            return
        for agreement in self.sudo():
            problem = problems.get(agreement.id, False)
            if problem == (agreement.computation_problem or False):
                continue
            agreement.computation_problem = problem
            if problem:
                agreement.activity_schedule(
                    "mail.mail_activity_data_warning",
                    summary=self.env._("Rebate agreement not computed"),
                    note=problem,
                    user_id=(agreement.user_id or agreement.create_uid or self.env.user).id,
                )
                agreement.message_post(body=problem)

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------
    def action_approve(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(self.env._("Only a draft agreement can be approved."))
        ready = self._dms_review_or_pass()
        if ready:
            ready._check_manager()
            ready.write({"state": "approved"})
        return True

    def _dms_on_validated(self):
        self.sudo().write({"state": "approved"})

    def _check_manager(self):
        if not self.env.user.has_group("distribution_core.group_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager can approve rebate agreements."))

    def action_start(self):
        for agreement in self:
            if agreement.state != "approved":
                raise UserError(self.env._("Only an approved agreement can start."))
        self.write({"state": "running"})
        return True

    def action_close(self):
        self.filtered(lambda a: a.state in ("approved", "running")).write({"state": "closed"})
        return True

    def action_cancel(self):
        if self.computation_ids.filtered("amount_settled"):
            raise UserError(self.env._("An agreement with settlements cannot be cancelled; close it instead."))
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.filtered(lambda a: a.state == "cancelled").write({"state": "draft"})
        self.review_ids.with_context(dms_tier_engine=ENGINE).unlink()
        return True

    def action_compute(self):
        """Compute every period of the agreements up to today."""
        self.env["distribution.rebate.computation"]._compute_agreements(self)
        return self.action_view_computations()

    def action_view_computations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_rebate.distribution_rebate_computation_action")
        action["domain"] = [("agreement_id", "in", self.ids)]
        action["context"] = {}
        return action

    def action_view_settlements(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_rebate.distribution_rebate_settlement_action")
        action["domain"] = [("agreement_id", "in", self.ids)]
        action["context"] = {}
        return action

    @api.model
    def _cron_compute(self):
        """Every running agreement; one that cannot be computed is reported on it (and to its
        responsible), the others are computed."""
        agreements = self.search([("state", "in", ("approved", "running"))])
        self.env["distribution.rebate.computation"]._compute_agreements(agreements)

    # ------------------------------------------------------------------
    # Rates as the reader reads them
    # ------------------------------------------------------------------
    def _format_rate(self, rate):
        """A rate of the agreement as a member or a channel manager reads it, in his language: a percentage
        ("3 %", "2.5 %") for an amount basis, an amount per unit ("¥1.50/unit") for a quantity basis; the
        digits the rate has, not the four the field stores."""
        self.ensure_one()
        if self.basis == "amount":
            return self._format_rate_percent(rate)
        currency = self.currency_id
        amount = format_rate_number(self.env, rate, min_digits=currency.decimal_places)
        symbol = currency.symbol or ""
        money = f"{symbol}{amount}" if currency.position == "before" else f"{amount}{symbol}"
        return self.env._("%(amount)s/unit", amount=money)

    def _format_rate_percent(self, percent):
        """A percentage as the reader reads it: "3 %", "2.5 %"."""
        return self.env._("%(rate)s %%", rate=format_rate_number(self.env, percent))

    @api.depends("rate", "basis", "company_id.currency_id", "rebate_type")
    @api.depends_context("lang")
    def _compute_rate_display(self):
        for agreement in self:
            stepped = agreement.rebate_type in ("stepped_retro", "stepped_progressive")
            agreement.rate_display = "" if stepped else agreement._format_rate(agreement.rate)
