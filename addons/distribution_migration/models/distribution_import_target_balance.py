from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class DistributionImportTargetBalance(models.AbstractModel):
    """Opening receivable balances per member, keyed by the member's code.

    One posted journal entry per import run (per date of the file: usually the single
    cut-over date) in the profile's journal (default: the company's first
    miscellaneous journal): one receivable line per member (its company partner, the
    partner's receivable account), balanced by one line on the profile's counterpart
    account (default: the company's unaffected earnings). A positive amount is owed by
    the member, a negative one is a credit (prepayment).

    Idempotency: what was posted per member is kept in ``distribution.import.balance``;
    the member's imported balance is the sum of those lines whose entry is posted. A
    re-import of the same amount is "unchanged" and posts nothing; another amount posts
    an adjusting entry of the difference only (a posted entry is never edited). An
    entry reset to draft or deleted no longer counts, so the next import posts it again.
    """

    _name = "distribution.import.target.balance"
    _inherit = "distribution.import.target"
    _description = "Import Target: Opening Balances"

    _target_models = ("account.move", "distribution.import.balance")

    @api.model
    def _journal(self, job):
        journal = job.profile_id.journal_id or self.env["account.journal"].search(
            [("company_id", "=", job.company_id.id), ("type", "=", "general")], order="sequence, id", limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no miscellaneous journal: choose the opening entry journal on the "
                    "import profile %(profile)s.",
                    company=job.company_id.name,
                    profile=job.profile_id.name,
                )
            )
        return journal

    @api.model
    def _counterpart_account(self, job):
        account = job.profile_id.counterpart_account_id or self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(job.company_id),
             ("account_type", "=", "equity_unaffected")],
            limit=1,
        )
        if not account:
            raise UserError(
                self.env._(
                    "Company %(company)s has no unaffected earnings account: choose the counterpart account on "
                    "the import profile %(profile)s.",
                    company=job.company_id.name,
                    profile=job.profile_id.name,
                )
            )
        return account

    # ------------------------------------------------------------------
    # Resolve
    # ------------------------------------------------------------------
    @api.model
    def _resolve(self, job, rows):
        company = job.company_id
        currency = company.currency_id
        journal = self._journal(job)
        self._counterpart_account(job)
        members = self._lookup_members(job, {row.values.get("member") for row in rows})
        Member = self.env["distribution.member"]
        records = Member.browse(sorted({mid for mid in members.values() if mid}))
        partners = records.partner_id.with_company(company)
        receivable = {partner.id: partner.property_account_receivable_id.id for partner in partners}
        today = fields.Date.context_today(self)
        high = job.profile_id.price_max
        locked = {}
        for row in rows:
            values, refs = row.values, row.refs
            member_id = members.get(values.get("member"))
            if not member_id:
                row.errors.append(self.env._("Unknown member %(code)s.", code=values.get("member")))
                continue
            member = Member.browse(member_id)
            refs["member_id"] = member_id
            refs["partner_id"] = member.partner_id.id
            refs["account_id"] = receivable.get(member.partner_id.id)
            if not refs["account_id"]:
                row.errors.append(
                    self.env._("Member %(member)s has no receivable account.", member=member.display_name)
                )
            amount = values.get("amount")
            if amount is None:
                row.errors.append(self.env._("The opening balance is missing."))
            else:
                values["amount"] = currency.round(amount)
                if abs(amount) > high:
                    row.errors.append(
                        self.env._(
                            "The opening balance %(amount)s is beyond the maximum of %(max)s: check it.",
                            amount=currency.format(amount),
                            max=currency.format(high),
                        )
                    )
            date = values.get("date") or today
            values["date"] = date
            if date not in locked:
                violations = company._get_violated_lock_dates(date, False, journal)
                locked[date] = company._format_lock_dates(violations) if violations else ""
            if locked[date]:
                row.errors.append(
                    self.env._(
                        "The date %(date)s is in a locked period (%(locks)s).", date=date, locks=locked[date]
                    )
                )

    # ------------------------------------------------------------------
    # Match
    # ------------------------------------------------------------------
    @api.model
    def _posted_balances(self, job, member_ids):
        """{member id: (opening balance posted by imports, last import line id)}."""
        if not member_ids:
            return {}
        self.env["distribution.import.balance"].flush_model(["member_id", "company_id", "move_line_id"])
        self.env["account.move.line"].flush_model(["balance", "parent_state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT b.member_id, SUM(l.balance), MAX(b.id)
                  FROM distribution_import_balance b
                  JOIN account_move_line l ON l.id = b.move_line_id
                 WHERE b.member_id = ANY(%s) AND b.company_id = %s AND l.parent_state = 'posted'
              GROUP BY b.member_id
                """,
                list(member_ids),
                job.company_id.id,
            )
        )
        return {member_id: (float(total), last_id) for member_id, total, last_id in self.env.cr.fetchall()}

    @api.model
    def _match(self, job, rows):
        currency = job.company_id.currency_id
        posted = self._posted_balances(job, {row.refs["member_id"] for row in rows})
        for row in rows:
            amount = row.values["amount"]
            current, last_id = posted.get(row.refs["member_id"], (None, None))
            if current is None:
                if currency.is_zero(amount):
                    row.action = "unchanged"
                    row.message = self.env._("Zero balance: nothing to post.")
                    continue
                row.action = "create"
                row.refs["diff"] = amount
                row.message = self.env._("Posts an opening balance of %(amount)s.", amount=currency.format(amount))
                continue
            row.target_id = last_id
            diff = currency.round(amount - current)
            if currency.is_zero(diff):
                row.action = "unchanged"
                row.message = self.env._("Opening balance already posted.")
                continue
            row.action = "update"
            row.refs["diff"] = diff
            row.message = self.env._(
                "Posts an adjustment of %(diff)s (from %(old)s to %(new)s).",
                diff=currency.format(diff),
                old=currency.format(current),
                new=currency.format(amount),
            )

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------
    @api.model
    def _write(self, job, rows):
        """The changes to post, one line each; the entry is posted after the last batch."""
        records = self.env["distribution.import.balance"].create(
            [
                {
                    "job_id": job.id,
                    "member_id": row.refs["member_id"],
                    "partner_id": row.refs["partner_id"],
                    "account_id": row.refs["account_id"],
                    "company_id": job.company_id.id,
                    "date": row.values["date"],
                    "ref": row.values.get("ref") or False,
                    "amount": row.refs["diff"],
                    "balance": row.values["amount"],
                }
                for row in rows
            ]
        )
        for row, record in zip(rows, records, strict=True):
            row.target_id = record.id

    @api.model
    def _after_write(self, job, rows):
        """One posted entry per date for the lines written by this run."""
        records = self.env["distribution.import.balance"].browse([row.target_id for row in rows if row.target_id])
        records = records.filtered(lambda record: record.job_id == job and not record.move_line_id)
        if not records:
            return
        journal = self._journal(job)
        counterpart = self._counterpart_account(job)
        by_date = defaultdict(lambda: self.env["distribution.import.balance"])
        for record in records:
            by_date[record.date] |= record
        moves = self.env["account.move"]
        for date, lines in sorted(by_date.items()):
            moves |= self._create_move(job, journal, counterpart, date, lines)
        moves.action_post()

    @api.model
    def _create_move(self, job, journal, counterpart, date, records):
        label = self.env._("Opening balance")
        adjustment = self.env._("Opening balance adjustment")
        commands = [
            Command.create(
                {
                    "account_id": record.account_id.id,
                    "partner_id": record.partner_id.id,
                    "name": " – ".join(
                        filter(None, [adjustment if record.amount != record.balance else label, record.ref])
                    ),
                    "balance": record.amount,
                }
            )
            for record in records
        ]
        total = job.company_id.currency_id.round(sum(records.mapped("amount")))
        if total:
            commands.append(
                Command.create(
                    {
                        "account_id": counterpart.id,
                        "name": self.env._("Opening balances: counterpart"),
                        "balance": -total,
                    }
                )
            )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": job.company_id.id,
                "date": date,
                "ref": self.env._("Opening balances (%(job)s)", job=job.name),
                "line_ids": commands,
            }
        )
        by_partner = {line.partner_id.id: line for line in move.line_ids if line.account_id != counterpart}
        for record in records:
            record.move_line_id = by_partner[record.partner_id.id]
        return move
