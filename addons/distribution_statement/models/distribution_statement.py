"""Electronic statements of account (电子对账单).

A statement is the account of one member with the company (its receivable, less
what the company owes it on payable: rebates settled by vendor bill) in one
currency over a period: the opening balance, every posted receivable and payable
entry of the period (invoices, credit notes including rebates, vendor bills and
their credit notes, payments, other entries) and the closing balance,
read from the accounting so that it equals the partner's ledger to the cent,
plus the open amounts by age at the period end. Once sent it is immutable: a
correction is a new version that says what changed.

This file is longer than the house's ~500 lines on purpose: it is the one model
`distribution.statement`, whose collection (three grouped queries over the
receivables), figures, versions and immutability must agree with each other
(opening + entries = closing = open amounts by age); the run, the entries, the
disputes and the attachment guard are in their own files.
"""

import hashlib
import io
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_round, format_date

from odoo.addons.distribution_core.tools.safe_io import xlsx_workbook

try:
    import cn2an
except ImportError:  # pragma: no cover - listed in requirements.txt
    cn2an = None

STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("confirmed", "Confirmed"),
    ("disputed", "Disputed"),
    ("resolved", "Resolved"),
    ("superseded", "Superseded"),
]
DOCUMENT_TYPES = [
    ("invoice", "Invoice"),
    ("credit_note", "Credit Note"),
    ("payment", "Payment"),
    ("exchange", "Exchange Difference"),
    ("other", "Other Entry"),
]
# the member's account with the company: what it owes (receivable) less what the company owes it (payable:
# a rebate settled by vendor bill, its bill-back by vendor credit note, their payments)
ACCOUNT_TYPES = ("asset_receivable", "liability_payable")
# aging buckets: (field, upper bound of days overdue at the period end, inclusive; None: no bound)
AGING = [("aging_current", 0), ("aging_30", 30), ("aging_60", 60), ("aging_90", 90), ("aging_older", None)]
# what a sent statement may no longer change
FIGURES = {
    "member_id", "partner_id", "company_id", "currency_id", "date_from", "date_to", "opening_balance",
    "total_debit", "total_credit", "closing_balance", "opening_balance_company", "closing_balance_company",
    "fingerprint", "line_ids", "number", "version", "previous_id", "change_summary", "xlsx_attachment_id",
} | {name for name, _days in AGING}
# the state machine: the methods below pass it to write()
STATE_KEY = object()


def entry_label(ref, label, move_name):
    """What a statement line says beside its reference (the document number, `move_name`): the
    document's reference and its item's label, each said once. Odoo labels an invoice's receivable
    item "<customer reference> - <invoice number>": the number is already the line's reference, and
    the customer reference was the document's own, so "PO-1 PO-1 - INV/1" reads "PO-1"."""
    parts = []
    for part in (ref, label):
        part = (part or "").strip()
        if move_name:
            part = part.removesuffix(f" - {move_name}")
        if part and part != move_name and part not in parts:
            parts.append(part)
    return " ".join(parts)[:200]


def amount_in_words(env, amount, currency):
    """The amount in words: Chinese capital amount (大写) for CNY; for another currency read in
    Chinese, the currency's code before its capital amount ("USD 壹仟元整", as Chinese banks write a
    foreign amount: num2words has no Chinese); num2words in the reader's language otherwise;
    negative amounts say so."""
    rounded = float_round(amount, precision_rounding=currency.rounding)
    if cn2an and currency.name == "CNY":
        return cn2an.an2cn(f"{rounded:.2f}", "rmb")
    if cn2an and (env.context.get("lang") or "").startswith("zh"):
        return f"{currency.name} {cn2an.an2cn(f'{rounded:.2f}', 'rmb')}"
    words = currency.amount_to_text(abs(rounded))
    return env._("Minus %s", words) if rounded < 0 else words


class DistributionStatement(models.Model):
    _name = "distribution.statement"
    _description = "Statement of Account"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_to desc, number desc, version desc"

    name = fields.Char(compute="_compute_name", store=True)
    number = fields.Char(required=True, readonly=True, copy=False, index=True)
    version = fields.Integer(default=1, required=True, readonly=True)
    previous_id = fields.Many2one("distribution.statement", string="Replaces", readonly=True, index="btree_not_null")
    next_id = fields.Many2one("distribution.statement", string="Replaced by", compute="_compute_next_id")
    change_summary = fields.Text(string="What Changed", readonly=True)
    run_id = fields.Many2one("distribution.statement.run", readonly=True, index=True, ondelete="set null")
    member_id = fields.Many2one("distribution.member", required=True, readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, index=True)
    tier_id = fields.Many2one(related="member_id.tier_id", string="Channel Tier", store=True)
    territory_id = fields.Many2one(related="member_id.territory_id", string="Sales Territory", store=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    date_to = fields.Date(string="Period End", required=True, readonly=True, index=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    opening_balance = fields.Monetary(readonly=True)
    total_debit = fields.Monetary(string="Invoiced and Debited", readonly=True)
    total_credit = fields.Monetary(string="Paid and Credited", readonly=True)
    closing_balance = fields.Monetary(readonly=True)
    opening_balance_company = fields.Monetary(currency_field="company_currency_id", readonly=True)
    closing_balance_company = fields.Monetary(
        string="Closing Balance (Company Currency)", currency_field="company_currency_id", readonly=True
    )
    aging_current = fields.Monetary(string="Not Due", readonly=True)
    aging_30 = fields.Monetary(string="1-30 Days", readonly=True)
    aging_60 = fields.Monetary(string="31-60 Days", readonly=True)
    aging_90 = fields.Monetary(string="61-90 Days", readonly=True)
    aging_older = fields.Monetary(string="Over 90 Days", readonly=True)
    line_ids = fields.One2many("distribution.statement.line", "statement_id", string="Entries", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")
    fingerprint = fields.Char(readonly=True, copy=False, help="A hash of the figures: a run makes a new version only when it changes.")
    sent_date = fields.Datetime(readonly=True, copy=False)
    sent_day = fields.Date(
        string="Sent On", compute="_compute_sent_day",
        help="The day the statement was sent, in the member's time zone.",
    )
    confirmed_date = fields.Datetime(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed by", readonly=True, copy=False)
    responsible_id = fields.Many2one(
        "res.users", string="Responsible Accountant", tracking=True,
        domain=lambda self: self.env["res.company"]._statement_accountant_domain(),
    )
    reminder_count = fields.Integer(readonly=True, copy=False)
    last_reminder_date = fields.Datetime(readonly=True, copy=False)
    dispute_ids = fields.One2many("distribution.statement.dispute", "statement_id", string="Disputes")
    open_dispute_count = fields.Integer(compute="_compute_open_dispute_count")
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="Spreadsheet", readonly=True, copy=False)
    amount_in_words = fields.Char(compute="_compute_amount_in_words")
    ledger_balance_now = fields.Monetary(
        string="Ledger at Period End, Now", compute="_compute_ledger_now",
        help="The partner's ledger at the period end as it stands today, in this statement's currency: "
        "it differs from the closing balance when entries were posted back into the period after the run.",
    )
    ledger_balance_today = fields.Monetary(
        string="Ledger Today", compute="_compute_ledger_now",
        help="The partner's balance in this currency today, with the payments and invoices after the period.",
    )
    ledger_difference = fields.Monetary(
        string="Since the Statement", compute="_compute_ledger_now",
        help="Ledger today minus the closing balance: what was posted after the statement (payments that arrived, new invoices).",
    )

    _number_version = models.Constraint("UNIQUE(number, version)", "A statement number has each version once.")
    # two statement runs at once (two accountants, the cron and a button) must not both issue the
    # period's statement: the second one's insert waits for the first and is refused
    _one_current = models.UniqueIndex(
        "(company_id, partner_id, currency_id, date_from, date_to) WHERE state != 'superseded'",
        "A member has one current statement per currency and period: another statement run issued it meanwhile.",
    )

    @api.depends("number", "version")
    def _compute_name(self):
        for statement in self:
            statement.name = (
                statement.number if statement.version <= 1 else f"{statement.number} v{statement.version}"
            )

    @api.constrains("responsible_id")
    def _check_responsible_id(self):
        for statement in self:
            if statement.responsible_id and not self.env["res.company"]._is_statement_accountant(statement.responsible_id):
                raise ValidationError(
                    self.env._("%s is not an accountant: choose a user with invoicing rights.",
                               statement.responsible_id.name)
                )

    def _compute_next_id(self):
        following = {s.previous_id: s for s in self.search([("previous_id", "in", self.ids)])}
        for statement in self:
            statement.next_id = following.get(statement, False)

    def _compute_line_count(self):
        counts = dict(
            self.env["distribution.statement.line"]._read_group([("statement_id", "in", self.ids)], ["statement_id"], ["__count"])
        )
        for statement in self:
            statement.line_count = counts.get(statement, 0)

    def _compute_open_dispute_count(self):
        counts = dict(
            self.env["distribution.statement.dispute"]._read_group(
                [("statement_id", "in", self.ids), ("state", "=", "open")], ["statement_id"], ["__count"]
            )
        )
        for statement in self:
            statement.open_dispute_count = counts.get(statement, 0)

    @api.depends("closing_balance", "currency_id")
    @api.depends_context("lang")
    def _compute_amount_in_words(self):
        for statement in self:
            statement.amount_in_words = (
                amount_in_words(statement.env, statement.closing_balance, statement.currency_id)
                if statement.currency_id else ""
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/statements/{statement.id}"
        return result

    def _compute_ledger_now(self):
        """The ledger as it stands now, for all the statements at once (one grouped query per period end),
        with the items on the statements they belong to (see _collect)."""
        self.ledger_balance_now = self.ledger_balance_today = self.ledger_difference = 0.0
        by_end = defaultdict(lambda: self.browse())
        for statement in self.filtered("id"):
            by_end[statement.company_id, statement.date_to] |= statement
        today = fields.Date.context_today(self)
        Statement = self.sudo()
        for (company, date_to), statements in by_end.items():
            Statement.env["account.move.line"].flush_model()
            partners = statements.partner_id
            mixed = Statement._mixed_line_ids(partners, company)
            currency = company.currency_id.id
            self.env.cr.execute(
                SQL(
                    """
                    SELECT aml.partner_id, CASE WHEN aml.id = ANY(%(mixed)s) THEN %(currency)s ELSE aml.currency_id END,
                           SUM(amount) FILTER (WHERE aml.date <= %(date_to)s), SUM(amount)
                      FROM (SELECT aml.*, CASE WHEN aml.id = ANY(%(mixed)s) OR aml.currency_id = %(currency)s
                                               THEN aml.balance ELSE aml.amount_currency END AS amount
                            %(receivable)s AND aml.date <= %(until)s) aml
                  GROUP BY 1, 2
                    """,
                    mixed=mixed, currency=currency, date_to=date_to, until=max(today, date_to),
                    receivable=Statement._receivable_sql(partners, company),
                )
            )
            totals = {(partner_id, currency_id): (end or 0.0, now or 0.0)
                      for partner_id, currency_id, end, now in self.env.cr.fetchall()}
            for statement in statements:
                end, now = totals.get((statement.partner_id.id, statement.currency_id.id), (0.0, 0.0))
                statement.ledger_balance_now = end
                statement.ledger_balance_today = now
                statement.ledger_difference = now - statement.closing_balance

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # a statement is born a draft: only its actions send it (no "sent" statement made up through RPC)
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise AccessError(self.env._("The state of a statement changes only through its actions."))
        return super().create(vals_list)

    def write(self, vals):
        """A sent statement is immutable, for every user including the administrator and sudo():
        its figures, entries, change summary and XLSX copy; only a new version corrects it."""
        internal = self.env.context.get("dms_statement_state") is STATE_KEY
        if "state" in vals and not internal:
            raise AccessError(self.env._("The state of a statement changes only through its actions."))
        frozen = FIGURES & set(vals)
        if frozen == {"xlsx_attachment_id"} and internal and not self.xlsx_attachment_id:
            frozen = set()  # the first copy of a statement sent before copies were kept is attached once
        if frozen and any(s.state != "draft" for s in self):
            raise UserError(
                self.env._("A statement that was sent cannot be changed: issue a corrected version instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(s.state != "draft" for s in self):
            raise UserError(self.env._("A statement that was sent cannot be deleted."))

    def _set_state(self, state, **extra):
        result = self.with_context(dms_statement_state=STATE_KEY).write(dict(extra, state=state))
        # flushed now: the unique index of current statements reads the state (a superseded version
        # must be out of the way before its correction is inserted)
        self.flush_recordset(["state"])
        return result

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    @api.model
    def _receivable_sql(self, partners, company):
        return SQL(
            """
            FROM account_move_line aml
            JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = ANY(%s)
           WHERE aml.parent_state = 'posted' AND aml.company_id = %s AND aml.partner_id = ANY(%s)
            """,
            list(ACCOUNT_TYPES), company.id, partners.ids,
        )

    @api.model
    def _mixed_line_ids(self, partners, company):
        """The receivable items kept together with items of another currency by their reconciliation
        (a USD payment of a CNY invoice, the CNY invoice, what else they are reconciled with, and so on):
        an invoice and what pays it are on one statement, so these go to the company-currency statement
        at their booked amounts. One recursive query over the reconciliations of the partners."""
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE lines AS (
                    SELECT aml.id, aml.currency_id %(receivable)s
                ), edges AS (
                    SELECT p.debit_move_id AS a, p.credit_move_id AS b, d.currency_id <> c.currency_id AS mixed
                      FROM account_partial_reconcile p
                      JOIN lines d ON d.id = p.debit_move_id
                      JOIN lines c ON c.id = p.credit_move_id
                ), mixed(id) AS (
                    SELECT unnest(ARRAY[a, b]) FROM edges WHERE mixed
                     UNION
                    SELECT CASE WHEN e.a = m.id THEN e.b ELSE e.a END
                      FROM edges e JOIN mixed m ON m.id = e.a OR m.id = e.b
                )
                SELECT id FROM mixed
                """,
                receivable=self._receivable_sql(partners, company),
            )
        )
        return [line_id for (line_id,) in self.env.cr.fetchall()]

    @api.model
    def _collect(self, partners, date_from, date_to, company):
        """The figures of every (partner, statement currency) in a few grouped queries (no query per member):
        {(partner id, currency id): {"opening": .., "opening_company": .., "lines": [...], "aging": {..}}}.

        An item is on the statement of its currency, in that currency; an item reconciled (directly or
        through others) with items of another currency is on the company-currency statement with them, at
        its booked amount (its own currency and amount shown beside). So each statement adds up (opening +
        entries = closing = open amounts by age) and the statements of a member, in company currency, are
        its receivable ledger."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        cr = self.env.cr
        company_currency = company.currency_id.id
        receivable = self._receivable_sql(partners, company)
        mixed = self._mixed_line_ids(partners, company)
        # the statement an item is on, and its amount there
        bucket = SQL("CASE WHEN aml.id = ANY(%s) THEN %s ELSE aml.currency_id END", mixed, company_currency)
        amount = SQL(
            "CASE WHEN aml.id = ANY(%s) OR aml.currency_id = %s THEN aml.balance ELSE aml.amount_currency END",
            mixed, company_currency,
        )
        data = defaultdict(lambda: {"opening": 0.0, "opening_company": 0.0, "lines": [], "aging": {}})
        cr.execute(
            SQL(
                """
                SELECT aml.partner_id, %(bucket)s, SUM(aml.balance), SUM(%(amount)s)
                %(receivable)s AND aml.date < %(date_from)s
              GROUP BY 1, 2
                """,
                bucket=bucket, amount=amount, receivable=receivable, date_from=date_from,
            )
        )
        for partner_id, currency_id, balance, opening in cr.fetchall():
            entry = data[partner_id, currency_id]
            entry["opening_company"] = balance
            entry["opening"] = opening
        cr.execute(
            SQL(
                """
                SELECT aml.partner_id, %(bucket)s, aml.id, aml.move_id, aml.date, aml.date_maturity,
                       m.name, m.move_type, COALESCE(m.ref, ''), COALESCE(aml.name, ''), aml.payment_id,
                       EXISTS(SELECT 1 FROM account_partial_reconcile p WHERE p.exchange_move_id = aml.move_id),
                       %(amount)s, aml.balance, aml.currency_id, aml.amount_currency
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = ANY(%(account_types)s)
                  JOIN account_move m ON m.id = aml.move_id
                 WHERE aml.parent_state = 'posted' AND aml.company_id = %(company)s AND aml.partner_id = ANY(%(partners)s)
                   AND aml.date BETWEEN %(date_from)s AND %(date_to)s
              ORDER BY 1, 2, aml.date, m.name, aml.id
                """,
                bucket=bucket, amount=amount, company=company.id, partners=partners.ids, date_from=date_from,
                date_to=date_to, account_types=list(ACCOUNT_TYPES),
            )
        )
        # (partner id, payment id, label, (ref, move name), line): labels Odoo wrote in its user's language
        payment_labels = []
        for (partner_id, currency_id, line_id, move_id, date, maturity, move_name, move_type, ref, label,
             payment_id, is_exchange, line_amount, balance, own_currency_id, amount_currency) in cr.fetchall():
            if is_exchange:
                kind = "exchange"
            elif move_type in ("out_invoice", "in_refund"):
                kind = "invoice"
            elif move_type in ("out_refund", "in_invoice"):
                kind = "credit_note"
            elif payment_id:
                kind = "payment"
            else:
                kind = "other"
            foreign = own_currency_id != currency_id
            data[partner_id, currency_id]["lines"].append(
                {
                    "move_line_id": line_id,
                    "move_id": move_id,
                    "date": date,
                    "date_maturity": maturity,
                    "reference": move_name,
                    "name": entry_label(ref, label, move_name),
                    "document_type": kind,
                    "amount": line_amount,
                    "amount_company": balance,
                    # an item of another currency on this statement shows its own amount beside
                    "foreign_currency_id": own_currency_id if foreign else None,
                    "amount_currency": amount_currency if foreign else 0.0,
                }
            )
            if payment_id and label:
                payment_labels.append(
                    (partner_id, payment_id, label, (ref, move_name), data[partner_id, currency_id]["lines"][-1])
                )
        self._translate_payment_labels(partners, payment_labels)
        # open amounts at the period end, by age: each item less what was reconciled with it by then, in
        # the statement's currency (company currency for the items of the company-currency statement)
        cr.execute(
            SQL(
                """
                WITH lines AS (
                    SELECT aml.id, aml.partner_id, %(bucket)s AS bucket, COALESCE(aml.date_maturity, aml.date) AS due,
                           %(amount)s AS amount
                      %(receivable)s AND aml.date <= %(date_to)s
                ), reconciled AS (
                    SELECT p.debit_move_id AS line_id, p.amount AS amount, p.debit_amount_currency AS amount_currency
                      FROM account_partial_reconcile p JOIN lines l ON l.id = p.debit_move_id
                     WHERE p.max_date <= %(date_to)s
                     UNION ALL
                    SELECT p.credit_move_id, -p.amount, -p.credit_amount_currency
                      FROM account_partial_reconcile p JOIN lines l ON l.id = p.credit_move_id
                     WHERE p.max_date <= %(date_to)s
                ), open AS (
                    SELECT l.partner_id, l.bucket, l.due,
                           l.amount - COALESCE(SUM(CASE WHEN l.bucket = %(company_currency)s THEN r.amount
                                                        ELSE r.amount_currency END), 0) AS residual
                      FROM lines l LEFT JOIN reconciled r ON r.line_id = l.id
                  GROUP BY l.id, l.partner_id, l.bucket, l.due, l.amount
                )
                SELECT partner_id, bucket,
                       CASE WHEN due >= %(date_to)s THEN 0
                            WHEN due >= %(date_to)s - 30 THEN 1
                            WHEN due >= %(date_to)s - 60 THEN 2
                            WHEN due >= %(date_to)s - 90 THEN 3
                            ELSE 4 END,
                       SUM(residual)
                  FROM open
              GROUP BY 1, 2, 3
                """,
                bucket=bucket, amount=amount, receivable=receivable, date_to=date_to,
                company_currency=company_currency,
            )
        )
        for partner_id, currency_id, age, residual in cr.fetchall():
            data[partner_id, currency_id]["aging"][AGING[age][0]] = residual
        return data

    @api.model
    def _translate_payment_labels(self, partners, payment_labels):
        """A payment's journal item is labelled by Odoo with its payment method and memo ("Manual
        Payment: INV/2025/00001"), in the language of whoever registered it. On the statement it is in
        the member's language: a label Odoo made (the method line's name, as Odoo names it after its
        method in any installed language, and the memo) is made again with the method's name in the
        member's language; a label someone typed is kept as typed."""
        if not payment_labels:
            return
        payments = self.env["account.payment"].sudo().browse(
            {payment_id for _p, payment_id, _l, _r, _line in payment_labels}
        )
        methods = payments.payment_method_id
        # the installed languages and the source (en_US), which a database may not have installed
        langs = {code for code, _name in self.env["res.lang"].get_installed()} | {"en_US"}
        known = {(method.id, lang): method.with_context(lang=lang).name for method in methods for lang in langs}
        partner_lang = {partner.id: partner.lang for partner in partners.sudo()}
        for partner_id, payment_id, label, (ref, move_name), line in payment_labels:
            payment = payments.browse(payment_id)
            method, line_name = payment.payment_method_id, payment.payment_method_line_id.name
            if not method or line_name not in {known[method.id, lang] for lang in langs}:
                continue  # a method line the company named itself (e.g. "Alipay"): its name as given
            if label not in (line_name, f"{line_name}: {payment.memo}"):
                continue  # typed by hand
            lang = partner_lang.get(partner_id) or self.env.lang
            name = known.get((method.id, lang)) or method.with_context(lang=lang).name
            if payment.memo:
                name = f"{name}: {payment.memo}"
            if ref == payment.memo:
                ref = ""  # the payment's reference is its memo (the invoice paid): said once
            line["name"] = entry_label(ref, name, move_name)

    @api.model
    def _figures(self, entry, currency):
        """The statement's values from the collected entry (running balance on each line)."""
        rounding = currency.rounding
        balance = entry["opening"]
        debit = credit = 0.0
        lines = []
        for sequence, line in enumerate(entry["lines"], start=1):
            amount = line["amount"]
            balance += amount
            debit += max(amount, 0.0)
            credit += max(-amount, 0.0)
            lines.append(dict(line, sequence=sequence, debit=max(amount, 0.0), credit=max(-amount, 0.0),
                              cumulative=float_round(balance, precision_rounding=rounding)))
        values = {
            "opening_balance": float_round(entry["opening"], precision_rounding=rounding),
            "opening_balance_company": entry["opening_company"],
            "total_debit": float_round(debit, precision_rounding=rounding),
            "total_credit": float_round(credit, precision_rounding=rounding),
            "closing_balance": float_round(balance, precision_rounding=rounding),
            "closing_balance_company": entry["opening_company"] + sum(line["amount_company"] for line in lines),
        }
        for name, _days in AGING:
            values[name] = float_round(entry["aging"].get(name, 0.0), precision_rounding=rounding)
        signature = repr(
            (
                [values[name] for name in sorted(values)],
                [(line["move_line_id"], round(line["amount"], 6), str(line["date_maturity"])) for line in lines],
            )
        )
        values["fingerprint"] = hashlib.sha1(signature.encode()).hexdigest()
        return values, lines

    @api.model
    def _generate(self, members, date_from, date_to, company, run=None):
        """Create the statements of the members for the period, set-based; a (member, currency,
        period) whose figures did not change keeps its statement; one whose draft changed is
        rewritten; one already sent gets a new version saying what changed.
        Members with no entry in the period and no balance get no statement.
        Returns {"new": statements, "versions": statements, "unchanged": statements, "skipped": members}."""
        members = members.filtered(lambda m: m.company_id == company)
        partner_member = {member.partner_id.commercial_partner_id.id: member for member in members}
        partners = self.env["res.partner"].browse(list(partner_member))
        data = self._collect(partners, date_from, date_to, company)
        # nothing to say to a member without any entry in the period nor any balance: no statement
        data = {key: entry for key, entry in data.items() if entry["lines"] or round(entry["opening"], 6)}
        existing = {
            (s.partner_id.id, s.currency_id.id): s
            for s in self.search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("state", "!=", "superseded"),
                ]
            )
        }
        currencies = {currency.id: currency for currency in self.env["res.currency"].browse({k[1] for k in data})}
        # the responsible accountant: the run's, else the setting's, else the user generating if he is one
        responsible = (run and run.user_id) or company.dms_statement_user_id
        if not responsible and company._is_statement_accountant(self.env.user):
            responsible = self.env.user
        to_create, lines_by_key, rewrite, unchanged = [], {}, [], self.browse()
        for key in sorted(data):
            partner_id, currency_id = key
            values, lines = self._figures(data[key], currencies[currency_id])
            current = existing.get(key)
            if current and current.fingerprint == values["fingerprint"]:
                unchanged |= current
                continue
            lines_by_key[key] = lines
            if current and current.state == "draft":
                rewrite.append((current, values))
                continue
            member = partner_member[partner_id]
            vals = dict(
                values,
                member_id=member.id,
                partner_id=partner_id,
                company_id=company.id,
                currency_id=currency_id,
                date_from=date_from,
                date_to=date_to,
                run_id=run.id if run else False,
                responsible_id=responsible.id,
            )
            if current:
                vals.update(
                    number=current.number,
                    version=current.version + 1,
                    previous_id=current.id,
                    # the member reads it (email, PDF, portal): in the member's language
                    change_summary=current._for_recipient()._change_summary(current, values, lines),
                )
            to_create.append(vals)
        # the versions they replace step aside first (one current statement per member, currency, period)
        replaced = self.browse([vals["previous_id"] for vals in to_create if vals.get("previous_id")])
        replaced._set_state("superseded")
        replaced.flush_recordset(["state"])
        numbers = self._next_numbers(sum(1 for vals in to_create if "number" not in vals), date_to)
        for vals in to_create:
            if "number" not in vals:
                vals["number"] = next(numbers)
        statements = self.with_context(tracking_disable=True, mail_create_nolog=True).create(to_create)
        versions = statements.filtered("previous_id")
        for current, values in rewrite:
            current.line_ids.unlink()
            current.write(dict(values, run_id=run.id if run else current.run_id.id))
            statements |= current
        self._insert_lines(
            {statement.id: lines_by_key[statement.partner_id.id, statement.currency_id.id] for statement in statements}
        )
        statements._attach_xlsx(lines_by_key)
        with_statement = {key[0] for key in data}
        skipped = members.filtered(lambda m: m.partner_id.commercial_partner_id.id not in with_statement)
        return {"new": statements - versions, "versions": versions, "unchanged": unchanged, "skipped": skipped}

    @api.model
    def _next_numbers(self, count, period_end):
        """`count` statement numbers from the sequence, in one query; the year in the number is the
        period's (a December statement run in January is numbered in December's year)."""
        sequence = self.env["ir.sequence"].sudo().search([("code", "=", "distribution.statement")], limit=1)
        sequence = sequence.with_context(ir_sequence_date=fields.Date.to_string(period_end))
        if not count:
            return iter(())
        if not sequence:
            raise UserError(self.env._("The statement sequence is missing."))
        if sequence.implementation == "standard":
            self.env.cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [f"ir_sequence_{sequence.id:03d}", count])
            return iter(sequence.get_next_char(number) for (number,) in self.env.cr.fetchall())
        return iter(sequence.next_by_id(sequence_date=period_end) for _i in range(count))

    @api.model
    def _insert_lines(self, lines_by_statement):
        """All the lines of all the statements in one INSERT (arrays per column)."""
        columns = ["statement_id", "sequence", "move_line_id", "move_id", "date", "date_maturity", "reference",
                   "name", "document_type", "debit", "credit", "cumulative", "amount_company", "foreign_currency_id",
                   "amount_currency"]
        types = ["int", "int", "int", "int", "date", "date", "varchar", "varchar", "varchar", "numeric", "numeric",
                 "numeric", "numeric", "int", "numeric"]
        rows = [
            [statement_id] + [line[name] for name in columns[1:]]
            for statement_id, lines in lines_by_statement.items()
            for line in lines
        ]
        if not rows:
            return
        self.env["distribution.statement.line"].flush_model()
        uid, now = self.env.uid, fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO distribution_statement_line (%(columns)s, create_uid, create_date, write_uid, write_date)
                SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s FROM unnest(%(arrays)s)
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                arrays=SQL(", ").join(
                    SQL(f"%s::{sql_type}[]", [row[i] for row in rows]) for i, sql_type in enumerate(types)
                ),
                uid=uid,
                now=now,
            )
        )
        self.env["distribution.statement.line"].invalidate_model()
        self.invalidate_model(["line_ids"])

    def _change_summary(self, previous, values, lines):
        """What a new version changes against the previous one, in words (in the language of self's
        context: the member's, see _for_recipient)."""
        currency = previous.currency_id

        def day(value):
            return format_date(self.env, value)
        old = {line.move_line_id.id: line for line in previous.line_ids}
        new = {line["move_line_id"]: line for line in lines}
        notes = []
        for name, label in (("opening_balance", self.env._("Opening balance")),
                            ("closing_balance", self.env._("Closing balance"))):
            if not currency.is_zero(previous[name] - values[name]):
                notes.append(self.env._("%(what)s: %(old)s → %(new)s", what=label,
                                        old=currency.format(previous[name]), new=currency.format(values[name])))
        for line_id in new.keys() - old.keys():
            line = new[line_id]
            notes.append(self.env._("Added %(ref)s of %(date)s: %(amount)s", ref=line["reference"],
                                    date=day(line["date"]), amount=currency.format(line["amount"])))
        for line_id in old.keys() - new.keys():
            line = old[line_id]
            notes.append(self.env._("Removed %(ref)s of %(date)s: %(amount)s", ref=line.reference, date=day(line.date),
                                    amount=currency.format(line.debit - line.credit)))
        for line_id in old.keys() & new.keys():
            before, after = old[line_id].debit - old[line_id].credit, new[line_id]["amount"]
            if not currency.is_zero(before - after):
                notes.append(self.env._("Changed %(ref)s: %(old)s → %(new)s", ref=new[line_id]["reference"],
                                        old=currency.format(before), new=currency.format(after)))
        return "\n".join(notes) or self.env._("Same entries; due dates or open amounts changed.")

    # ------------------------------------------------------------------
    # Outputs
    # ------------------------------------------------------------------
    def _xlsx_content(self, lines=None):
        """The statement as an XLSX file (bytes), in the member's language whoever makes it; `lines`
        as collected, or the stored ones."""
        self.ensure_one()
        return self._for_recipient()._xlsx_build(lines)

    def _xlsx_build(self, lines):
        self.ensure_one()
        if lines is None:
            lines = [
                {"date": line.date, "reference": line.reference, "name": line.name,
                 "document_type": line.document_type, "date_maturity": line.date_maturity,
                 "debit": line.debit, "credit": line.credit, "cumulative": line.cumulative,
                 "foreign_currency_id": line.foreign_currency_id.id, "amount_currency": line.amount_currency}
                for line in self.line_ids
            ]
        own_currencies = {
            currency.id: currency
            for currency in self.env["res.currency"].browse({line["foreign_currency_id"] for line in lines} - {None, False})
        }
        types = dict(self.env["distribution.statement.line"]._fields["document_type"]._description_selection(self.env))
        output = io.BytesIO()
        book = xlsx_workbook(output)  # user text (names, references) stays text
        sheet = book.add_worksheet(self.env._("Statement"))
        bold = book.add_format({"bold": True})
        digits = self.currency_id.decimal_places
        money = book.add_format({"num_format": "#,##0." + "0" * digits if digits else "#,##0"})
        money_bold = book.add_format({"bold": True, "num_format": "#,##0." + "0" * digits if digits else "#,##0"})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write(0, 0, self.company_id.name, bold)
        sheet.write(1, 0, self.env._("Statement of Account"), bold)
        sheet.write(1, 2, self.name)
        sheet.write(2, 0, self.env._("Member"))
        sheet.write(2, 2, self.partner_id.name)
        sheet.write(3, 0, self.env._("Period"))
        sheet.write_datetime(3, 2, fields.Datetime.to_datetime(self.date_from), day)
        sheet.write_datetime(3, 3, fields.Datetime.to_datetime(self.date_to), day)
        sheet.write(4, 0, self.env._("Currency"))
        sheet.write(4, 2, self.currency_id.name)
        headers = [self.env._("Date"), self.env._("Document"), self.env._("Description"), self.env._("Type"),
                   self.env._("Due Date"), self.env._("Debit"), self.env._("Credit"), self.env._("Balance"),
                   self.env._("Amount in Own Currency")]
        row = 6
        sheet.write_row(row, 0, headers, bold)
        row += 1
        sheet.write(row, 2, self.env._("Opening balance"), bold)
        sheet.write_number(row, 7, self.opening_balance, money_bold)
        for line in lines:
            row += 1
            sheet.write_datetime(row, 0, fields.Datetime.to_datetime(line["date"]), day)
            sheet.write(row, 1, line["reference"])
            sheet.write(row, 2, line["name"] or "")
            sheet.write(row, 3, types.get(line["document_type"], ""))
            if line["date_maturity"]:
                sheet.write_datetime(row, 4, fields.Datetime.to_datetime(line["date_maturity"]), day)
            sheet.write_number(row, 5, line["debit"], money)
            sheet.write_number(row, 6, line["credit"], money)
            sheet.write_number(row, 7, line["cumulative"], money)
            own = own_currencies.get(line["foreign_currency_id"])
            if own:
                sheet.write(row, 8, own.format(line["amount_currency"]))
        row += 1
        sheet.write(row, 2, self.env._("Closing balance"), bold)
        sheet.write_number(row, 5, self.total_debit, money_bold)
        sheet.write_number(row, 6, self.total_credit, money_bold)
        sheet.write_number(row, 7, self.closing_balance, money_bold)
        row += 1
        sheet.write(row, 2, self.amount_in_words)
        row += 2
        sheet.write(row, 0, self.env._("Open amounts by age at the period end"), bold)
        labels = [self._fields[name].get_description(self.env)["string"] for name, _days in AGING]
        sheet.write_row(row + 1, 0, labels, bold)
        for col, (name, _days) in enumerate(AGING):
            sheet.write_number(row + 2, col, self[name], money)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 18)
        sheet.set_column(2, 2, 36)
        sheet.set_column(3, 7, 14)
        sheet.set_column(8, 8, 18)
        book.close()
        return output.getvalue()

    def _attach_xlsx(self, lines_by_key=None):
        """Store each statement's XLSX as an attachment (all created at once)."""
        lines_by_key = lines_by_key or {}
        vals_list = []
        for statement in self:
            lines = lines_by_key.get((statement.partner_id.id, statement.currency_id.id))
            vals_list.append(
                {
                    "name": f"{statement.name.replace('/', '-')}.xlsx",
                    "res_model": self._name,
                    "res_id": statement.id,
                    "raw": statement._xlsx_content(lines),
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
        attachments = self.env["ir.attachment"].sudo().with_context(dms_statement_state=STATE_KEY).create(vals_list)
        for statement, attachment in zip(self, attachments, strict=True):
            statement.with_context(dms_statement_state=STATE_KEY).xlsx_attachment_id = attachment

    def _pdf_content(self):
        self.ensure_one()
        return self.env["ir.actions.report"].sudo()._render_qweb_pdf(
            "distribution_statement.action_report_distribution_statement", self.ids
        )[0]

    def action_download_xlsx(self):
        self.ensure_one()
        if not self.xlsx_attachment_id:
            self._attach_xlsx()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.xlsx_attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries of %s", self.name),
            "res_model": "distribution.statement.line",
            "view_mode": "list",
            "domain": [("statement_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Delivery and response
    # ------------------------------------------------------------------
    def action_send(self):
        """Email each statement with its PDF and mark it sent (then it is immutable)."""
        template = self.env.ref("distribution_statement.mail_template_statement")
        for statement in self:
            if statement.state not in ("draft", "sent"):
                raise UserError(self.env._("Statement %s was already answered.", statement.name))
            # the PDF of the email is attached to the statement, also when a sent one is sent again
            statement.with_context(dms_statement_state=STATE_KEY).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
        self.filtered(lambda s: s.state == "draft")._set_state("sent", sent_date=fields.Datetime.now())
        return True

    def _member_users_check(self):
        """A portal user acts only on the statements of its own member."""
        user = self.env.user
        if user._is_internal() or self.env.su:
            return
        member = self.env["distribution.member"]._for_user()
        if any(statement.member_id != member for statement in self):
            raise AccessError(self.env._("This statement is not yours."))

    def action_confirm(self):
        self.check_access("read")
        self._member_users_check()
        for statement in self:
            if statement.state not in ("sent", "resolved"):
                raise UserError(self.env._("Only a sent or resolved statement can be confirmed."))
        self.sudo()._set_state("confirmed", confirmed_date=fields.Datetime.now(), confirmed_by_id=self.env.user.id)
        for statement in self.sudo():
            statement.message_post(
                body=self.env._("Statement confirmed by %s.", self.env.user.name), subtype_xmlid="mail.mt_note"
            )
            statement.activity_feedback(["distribution_statement.mail_activity_statement_dispute"])
        return True

    def _dispute(self, lines, comment, files=None):
        """The member disputes lines of the statement (or the whole of it when no line is given).
        files: [(file name, content bytes)], attached to the dispute once it is accepted (a refused
        dispute leaves no file behind)."""
        self.ensure_one()
        self.check_access("read")
        self._member_users_check()
        if self.state not in ("sent", "resolved"):
            raise UserError(self.env._("Only a sent statement can be disputed."))
        if not (comment or "").strip():
            raise UserError(self.env._("Say what is wrong: a comment is required."))
        if lines and lines.statement_id != self:
            raise AccessError(self.env._("These entries are not on this statement."))
        statement = self.sudo()
        dispute = self.env["distribution.statement.dispute"].sudo().create(
            {
                "statement_id": statement.id,
                "line_ids": [fields.Command.set(lines.ids)],
                "comment": comment,
                "disputed_by_id": self.env.user.id,
            }
        )
        attachments = self.env["ir.attachment"]
        if files:
            attachments = self.env["ir.attachment"].sudo().create(
                [{"name": name, "raw": raw, "res_model": dispute._name, "res_id": dispute.id} for name, raw in files]
            )
            dispute.attachment_ids = attachments
        statement._set_state("disputed")
        statement.message_post(
            body=self.env._("Disputed by %(user)s: %(comment)s", user=self.env.user.name, comment=comment),
            attachment_ids=attachments.ids if attachments else [],
            subtype_xmlid="mail.mt_note",
        )
        accountant = statement.responsible_id or statement.company_id.dms_statement_user_id or self.env.ref("base.user_admin")
        # as sudo: a member cannot read activity types
        activity_type = statement.env.ref("distribution_statement.mail_activity_statement_dispute")
        statement.activity_schedule(
            "distribution_statement.mail_activity_statement_dispute",
            user_id=accountant.id,
            note=comment,
            # the accountant reads it: in the accountant's language, not the member's who disputes
            summary=activity_type.with_context(lang=accountant.lang or self.env.lang).summary,
        )
        return dispute

    def action_issue_correction(self):
        """Collect the period again and send the new version (when the figures changed)."""
        new_versions = self.browse()
        for statement in self:
            if statement.state == "superseded":
                raise UserError(self.env._("%s was already replaced.", statement.name))
            result = self._generate(statement.member_id, statement.date_from, statement.date_to, statement.company_id,
                                    run=statement.run_id)
            version = (result["versions"] | result["new"]).filtered(
                lambda s, st=statement: s.currency_id == st.currency_id and s.previous_id == st
            )
            if not version:
                raise UserError(
                    self.env._(
                        "The figures of %s did not change: post the adjusting entry first, or answer the dispute "
                        "with an explanation.", statement.name,
                    )
                )
            new_versions |= version
        new_versions.action_send()
        return new_versions

    @api.model
    def _cron_remind(self):
        """Remind the members of the statements neither confirmed nor disputed after N days."""
        template = self.env.ref("distribution_statement.mail_template_statement_reminder")
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            days = company.dms_statement_reminder_days
            if days <= 0:
                continue
            limit = now - timedelta(days=days)
            statements = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("sent_date", "<=", limit),
                    "|", ("last_reminder_date", "=", False), ("last_reminder_date", "<=", limit),
                ]
            )
            for statement in statements:
                statement.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
                statement.write({"reminder_count": statement.reminder_count + 1, "last_reminder_date": now})

    def _get_report_base_filename(self):
        self.ensure_one()
        return self._for_recipient().env._("Statement %s", self.name).replace("/", "-")

    # ------------------------------------------------------------------
    # The member's language and time zone
    # ------------------------------------------------------------------
    def _recipient_lang(self):
        """The language of what the member receives (email, PDF, XLSX, notifications): the member's
        partner's, else the sender's."""
        self.ensure_one()
        lang = self.partner_id.lang
        return (lang and self.env["res.lang"]._get_code(lang)) or self.env.lang

    def _for_recipient(self):
        """The statement in the member's language and time zone, whoever is working on it."""
        self.ensure_one()
        return self.with_context(lang=self._recipient_lang(), tz=self._recipient_tz())

    def _recipient_tz(self):
        self.ensure_one()
        return self.partner_id.tz or self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.depends("sent_date", "partner_id.tz")
    def _compute_sent_day(self):
        """The day the statement was sent, in the member's time zone (a statement sent at 20:00 UTC on
        March 31 was sent on April 1 in Shanghai)."""
        for statement in self:
            sent = statement.sent_date
            statement.sent_day = (
                fields.Datetime.context_timestamp(statement.with_context(tz=statement._recipient_tz()), sent).date()
                if sent else False
            )
