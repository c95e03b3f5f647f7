"""Statements: what a sent one may no longer become, numbering, the responsible accountant, boundaries."""

import base64
from datetime import date

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import StatementCommon

FROZEN = "cannot be changed|cannot be deleted|No entry can be added|No file can be added"


class AccountantCommon(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an accountant who is not an administrator
        cls.accountant = new_test_user(
            cls.env, login="st_accountant", groups="base.group_user,account.group_account_invoice",
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.sudo().company_ids = [Command.link(cls.env.company.id)]

    def _statement(self, member="dl_hz", date_from=date(2025, 3, 1), date_to=date(2025, 3, 31), currency=None):
        members = self.members[member]
        self.env["distribution.statement"]._generate(members, date_from, date_to, self.env.company)
        return self.env["distribution.statement"].search(
            [
                ("member_id", "=", members.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("currency_id", "=", (currency or self.env.company.currency_id).id),
                ("state", "!=", "superseded"),
            ]
        )


@tagged("post_install", "-at_install")
class TestSentStatementImmutable(AccountantCommon):
    def test_nobody_changes_a_sent_statement(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        self._invoice("dl_nj", "2025-03-05", [(self.product_a, 1, 100.0)])
        statement = self._statement()
        other = self._statement("dl_nj")  # a draft
        statement.action_send()
        self.assertEqual(statement.state, "sent")
        xlsx = statement.xlsx_attachment_id
        content, lines = xlsx.raw, statement.line_ids
        self.assertTrue(content)
        pdf = statement.message_ids.attachment_ids
        self.assertTrue(pdf, "the PDF went with the email")
        for user in (self.accountant, self.admin):
            for env in (self.env(user=user), self.env(user=user, su=True)):
                mine = statement.with_env(env)
                with self.subTest(user=user.login, su=env.su):
                    # no entry added, neither directly nor through the statement
                    with self.assertRaisesRegex(UserError, FROZEN):
                        env["distribution.statement.line"].create(
                            {"statement_id": statement.id, "date": date(2025, 3, 6), "debit": 1.0, "reference": "X"}
                        )
                    with self.assertRaisesRegex(UserError, FROZEN):
                        mine.write({"line_ids": [Command.create({"date": date(2025, 3, 6), "debit": 1.0})]})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        other.line_ids[:1].with_env(env).write({"statement_id": statement.id})
                    # the change summary is not rewritten
                    with self.assertRaisesRegex(UserError, FROZEN):
                        mine.write({"change_summary": "nothing changed"})
                    # the XLSX copy is neither replaced, re-pointed, renamed nor deleted
                    with self.assertRaisesRegex(UserError, FROZEN):
                        mine.write({"xlsx_attachment_id": other.xlsx_attachment_id.id})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        xlsx.with_env(env).write({"raw": b"forged"})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        xlsx.with_env(env).write({"datas": base64.b64encode(b"forged")})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        xlsx.with_env(env).write({"res_id": other.id})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        xlsx.with_env(env).write({"name": "other.xlsx"})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        xlsx.with_env(env).unlink()
                    with self.assertRaisesRegex(UserError, FROZEN):
                        pdf.with_env(env).unlink()
                    # no other file is made the statement's
                    stray = env["ir.attachment"].create({"name": "stray.xlsx", "raw": b"x"})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        stray.write({"res_model": "distribution.statement", "res_id": statement.id})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        other.xlsx_attachment_id.with_env(env).write({"res_id": statement.id})
                    with self.assertRaisesRegex(UserError, FROZEN):
                        env["ir.attachment"].create(
                            {"name": "ST.xlsx", "raw": b"forged", "res_model": "distribution.statement",
                             "res_id": statement.id}
                        )
        statement.invalidate_recordset()
        self.assertEqual((statement.xlsx_attachment_id, statement.line_ids, statement.change_summary), (xlsx, lines, False))
        self.assertEqual(xlsx.raw, content)
        # a draft is still the accountant's to touch, and sending again keeps the statement as it was
        other.with_user(self.accountant).write({"change_summary": "draft note"})
        statement.action_send()
        self.assertEqual(statement.state, "sent")

    def test_only_a_new_version_corrects_it(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        statement = self._statement()
        statement.action_send()
        self._invoice("dl_hz", "2025-03-20", [(self.product_a, 1, 50.0)], refund=True)
        version = self._statement()
        self.assertEqual((version.previous_id, version.version, version.closing_balance), (statement, 2, 950.0))
        self.assertEqual((statement.state, statement.closing_balance), ("superseded", 1000.0))
        self.assertEqual(len(statement.line_ids), 1)

    def test_a_second_run_at_once_cannot_issue_a_second_statement(self):
        """Two statement runs at once each see no statement of the period yet (their snapshots predate
        the other's commit) and both create one: the second insert is refused by the database. Here the
        second run's insert is replayed as it would reach the database, with the first one's statement
        in place; a new version still replaces the one it corrects."""
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        statement = self._statement()
        twin = statement.copy_data()[0]
        twin.update(number="ST-TWIN", version=1, state="draft", line_ids=[])
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["distribution.statement"].create(twin)
            self.env.flush_all()
        # a superseded version may sit beside its successor
        statement.action_send()
        self._invoice("dl_hz", "2025-03-20", [(self.product_a, 1, 50.0)], refund=True)
        version = self._statement()
        self.assertEqual((version.version, statement.state), (2, "superseded"))


@tagged("post_install", "-at_install")
class TestStatementNumbersAndPeople(AccountantCommon):
    def test_number_carries_the_period_year(self):
        self._invoice("dl_hz", "2024-12-05", [(self.product_a, 1, 100.0)])
        december = self._statement(date_from=date(2024, 12, 1), date_to=date(2024, 12, 31))
        self.assertRegex(december.number, r"^ST/2024/\d{5}$")
        run = self.env["distribution.statement.run"].create(
            {"date_from": date(2024, 12, 1), "date_to": date(2024, 12, 31), "scope": "members",
             "member_ids": [Command.set(self.members["dl_nj"].ids)]}
        )
        self.assertRegex(run.name, r"^STR/2024/\d{4}$")

    def test_responsible_accountant_is_a_setting(self):
        settings = self.env["res.config.settings"].create({"dms_statement_user_id": self.accountant.id})
        settings.execute()
        self.assertEqual(self.env.company.dms_statement_user_id, self.accountant)
        # a scheduled run (as OdooBot) takes the accountant of the settings, and so do its statements
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 1, 100.0)])
        bot = self.env(user=self.env.ref("base.user_root"), su=True)
        run = bot["distribution.statement.run"].create(
            {"company_id": self.env.company.id, "date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31),
             "scope": "members",
             "member_ids": [Command.set(self.members["dl_hz"].ids)]}
        )
        self.assertEqual(run.user_id, self.accountant)
        run.action_run()
        self.assertEqual(run.statement_ids.responsible_id, self.accountant)
        statement = run.statement_ids
        statement.action_send()
        statement.with_user(self.users["dl_hz"])._dispute(statement.line_ids, "Not ours")
        self.assertEqual(statement.activity_ids.user_id, self.accountant)
        # OdooBot, a portal user or a user without invoicing rights is not an accountant
        for user in (self.env.ref("base.user_root"), self.users["dl_hz"], self.channel_user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(ValidationError, "not an accountant"):
                    self.env.company.dms_statement_user_id = user
                with self.assertRaisesRegex(ValidationError, "not an accountant"):
                    run.user_id = user
                with self.assertRaisesRegex(ValidationError, "not an accountant"):
                    statement.responsible_id = user
        # without the setting, OdooBot's run asks for one instead of making itself responsible
        self.env.company.dms_statement_user_id = False
        orphan = bot["distribution.statement.run"].create(
            {"company_id": self.env.company.id, "date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31),
             "scope": "members",
             "member_ids": [Command.set(self.members["dl_hz"].ids)]}
        )
        self.assertFalse(orphan.user_id)
        with self.assertRaisesRegex(UserError, "responsible accountant"):
            orphan.action_run()


@tagged("post_install", "-at_install")
class TestStatementBoundaries(AccountantCommon):
    def test_first_day_of_the_period_is_in_the_period_only(self):
        self._invoice("dl_hz", "2025-02-28", [(self.product_a, 1, 200.0)])
        first_day = self._invoice("dl_hz", "2025-03-01", [(self.product_a, 1, 30.0)])
        self._invoice("dl_hz", "2025-03-31", [(self.product_a, 1, 4.0)])
        self._invoice("dl_hz", "2025-04-01", [(self.product_a, 1, 1000.0)])
        statement = self._statement()
        self.assertEqual(statement.opening_balance, 200.0, "the first day's invoice is not in the opening balance")
        self.assertEqual(statement.line_ids.mapped("date"), [date(2025, 3, 1), date(2025, 3, 31)])
        self.assertEqual(statement.line_ids[0].move_id, first_day)
        self.assertEqual((statement.total_debit, statement.closing_balance), (34.0, 234.0))
        april = self._statement(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))
        self.assertEqual((april.opening_balance, april.closing_balance), (234.0, 1234.0))

    def test_aging_buckets_are_exact(self):
        # days overdue at the period end (31 March) -> amount: each bucket's edges on both sides
        due_dates = {
            date(2025, 4, 15): 1.0,  # not due
            date(2025, 3, 31): 2.0,  # due on the last day: not overdue
            date(2025, 3, 30): 4.0,  # 1 day: 1-30
            date(2025, 3, 1): 8.0,  # 30 days: 1-30
            date(2025, 2, 28): 16.0,  # 31 days: 31-60
            date(2025, 1, 30): 32.0,  # 60 days: 31-60
            date(2025, 1, 29): 64.0,  # 61 days: 61-90
            date(2024, 12, 31): 128.0,  # 90 days: 61-90
            date(2024, 12, 30): 256.0,  # 91 days: over 90
        }
        for due, amount in due_dates.items():
            self._invoice("dl_hz", min(due, date(2025, 3, 31)), [(self.product_a, 1, amount)], due=due)
        statement = self._statement()
        self.assertEqual(
            [statement.aging_current, statement.aging_30, statement.aging_60, statement.aging_90, statement.aging_older],
            [3.0, 12.0, 48.0, 192.0, 256.0],
        )
        self.assertEqual(statement.closing_balance, 511.0)


@tagged("post_install", "-at_install")
class TestStatementDisputeFiles(StatementCommon, DistributionHttpCommon):
    def test_refused_dispute_leaves_no_file(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        members = self.members["dl_hz"]
        statement = self.env["distribution.statement"]._generate(
            members, date(2025, 3, 1), date(2025, 3, 31), self.env.company
        )["new"]
        statement.action_send()
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        url = f"/my/statements/{statement.id}"
        Attachment = self.env["ir.attachment"].sudo()
        # no comment: refused, and the uploaded file is not kept anywhere
        response = self.url_open(
            f"{url}/dispute", data={"comment": " ", "csrf_token": self._csrf(url)},
            files={"attachment": ("receipt.pdf", b"%PDF-1.4 receipt")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("error=", response.url)
        self.assertEqual(statement.state, "sent")
        self.assertFalse(Attachment.search([("name", "=", "receipt.pdf")]))
        # accepted: the file is the dispute's (the statement stays as it was sent)
        response = self.url_open(
            f"{url}/dispute", data={"comment": "We paid on the 20th", "csrf_token": self._csrf(url)},
            files={"attachment": ("receipt.pdf", b"%PDF-1.4 receipt")},
        )
        self.assertIn("message=disputed", response.url)
        statement.invalidate_recordset()
        self.assertEqual(statement.state, "disputed")
        files = Attachment.search([("name", "=", "receipt.pdf")])
        self.assertEqual(len(files), 1)
        self.assertEqual((files.res_model, files.res_id), ("distribution.statement.dispute", statement.dispute_ids.id))
        self.assertEqual(statement.dispute_ids.attachment_ids, files)


@tagged("post_install", "-at_install")
class TestStatementCurrencies(AccountantCommon):
    """The issue's CNY company with USD documents, played by the test company and EUR ("usd" below):
    1 EUR = 8 company units until 14 March 2025, 10 from 15 March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("EUR", rates=[("2025-01-01", 0.125), ("2025-03-15", 0.1)])

    def _pay(self, invoices, amount, when, currency=None):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"payment_date": when, "amount": amount, **({"currency_id": currency.id} if currency else {})})
        return wizard._create_payments()

    def _ledger(self, member, until):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.members[member].partner_id.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", until),
            ]
        )
        return self.env.company.currency_id.round(sum(lines.mapped("balance")))

    def _assert_adds_up(self, statements, ledger):
        for statement in statements:
            with self.subTest(statement=statement.name):
                currency = statement.currency_id
                self.assertTrue(currency.is_zero(
                    statement.opening_balance + statement.total_debit - statement.total_credit
                    - statement.closing_balance
                ))
                aging = sum(statement[name] for name in ("aging_current", "aging_30", "aging_60", "aging_90",
                                                         "aging_older"))
                self.assertTrue(currency.is_zero(aging - statement.closing_balance), f"aging {aging}")
        self.assertAlmostEqual(sum(statements.mapped("closing_balance_company")), ledger, places=2)

    def test_usd_payment_of_a_cny_invoice_is_on_the_cny_statement(self):
        invoice = self._invoice("dl_hz", "2025-03-05", [(self.product_a, 1, 1000.0)], due="2025-04-04")
        payment = self._pay(invoice, 50.0, "2025-03-20", currency=self.usd)  # 500.00 booked
        self.assertEqual(invoice.amount_residual, 500.0)
        cny = self._statement()
        self.assertFalse(self._statement(currency=self.usd), "no USD statement for a payment of a CNY invoice")
        self.assertEqual(cny.line_ids.mapped("document_type"), ["invoice", "payment"])
        paid = cny.line_ids[1]
        self.assertEqual(paid.move_id, payment.move_id)
        self.assertEqual((paid.credit, paid.amount_company), (500.0, -500.0), "at its booked amount")
        self.assertEqual((paid.foreign_currency_id, paid.amount_currency), (self.usd, -50.0), "its own currency shown")
        self.assertEqual((cny.closing_balance, cny.aging_current), (500.0, 500.0))
        self.assertEqual(cny.ledger_balance_now, cny.closing_balance)
        self._assert_adds_up(cny, self._ledger("dl_hz", date(2025, 3, 31)))
        # the XLSX and the PDF show the payment's own amount too
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_statement.action_report_distribution_statement", cny.ids
        )[0].decode()
        self.assertIn("50.00", html)

    def test_usd_invoice_paid_in_usd_at_another_rate(self):
        invoice = self._invoice("dl_hz", "2025-03-10", [(self.product_a, 1, 100.0)], currency=self.usd,
                                due="2025-04-09")  # 800.00 booked
        self._pay(invoice, 40.0, "2025-03-20", currency=self.usd)  # 400.00 booked
        usd = self._statement(currency=self.usd)
        self.assertFalse(self._statement(), "nothing in CNY")
        self.assertEqual((usd.total_debit, usd.total_credit, usd.closing_balance, usd.aging_current),
                         (100.0, 40.0, 60.0, 60.0))
        exchange = usd.line_ids.filtered(lambda line: line.document_type == "exchange")
        self.assertEqual(len(exchange), 1, "the exchange difference is shown as such")
        self.assertEqual((exchange.debit, exchange.credit), (0.0, 0.0))
        self.assertEqual(exchange.amount_company, 80.0)
        # 60 USD still open, at the invoice's rate: 480.00
        self.assertEqual(usd.closing_balance_company, 480.0)
        self._assert_adds_up(usd, self._ledger("dl_hz", date(2025, 3, 31)))

    def test_statements_of_a_member_are_its_ledger(self):
        """Opening balances, CNY and USD invoices, a USD payment of a CNY invoice straddling periods."""
        old = self._invoice("dl_hz", "2025-02-10", [(self.product_a, 1, 300.0)], due="2025-02-10")
        usd_invoice = self._invoice("dl_hz", "2025-02-12", [(self.product_a, 1, 10.0)], currency=self.usd,
                                    due="2025-02-12")  # 80.00
        self._pay(old, 10.0, "2025-02-20", currency=self.usd)  # 80.00 of 300.00
        self._pay(old, 12.0, "2025-03-20", currency=self.usd)  # 120.00 more, in March
        self._pay(usd_invoice, 5.0, "2025-03-25", currency=self.usd)
        self._invoice("dl_hz", "2025-03-01", [(self.product_a, 1, 77.0)], due="2025-03-31")
        for date_from, date_to in ((date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31))):
            self.env["distribution.statement"]._generate(self.members["dl_hz"], date_from, date_to, self.env.company)
            statements = self.env["distribution.statement"].search(
                [("member_id", "=", self.members["dl_hz"].id), ("date_to", "=", date_to)]
            )
            self._assert_adds_up(statements, self._ledger("dl_hz", date_to))
        february = self._statement(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28))
        march = self._statement()
        self.assertEqual((february.closing_balance, march.opening_balance), (220.0, 220.0))
        # 300 - 80 - 120 + 77
        self.assertEqual(march.closing_balance, 177.0)
        self.assertEqual((march.aging_current, march.aging_60), (77.0, 100.0))

    def test_company_currency_payment_of_a_usd_invoice(self):
        """A USD invoice (100 at 8 = 800.00 booked) paid in part in company currency (500.00 = 50 USD at 10):
        the invoice and its payment are on the company-currency statement at their booked amounts, with the
        invoice's own amount beside it and the exchange difference as an entry of its own."""
        invoice = self._invoice("dl_hz", "2025-03-10", [(self.product_a, 1, 100.0)], currency=self.usd,
                                due="2025-04-09")
        payment = self._pay(invoice, 500.0, "2025-03-20", currency=self.env.company.currency_id)
        self.assertEqual(invoice.amount_residual, 50.0)
        self.assertFalse(self._statement(currency=self.usd), "no USD statement: the invoice is paid in CNY")
        cny = self._statement()
        self.assertEqual(cny.line_ids.mapped("document_type"), ["invoice", "payment", "exchange"])
        billed, paid, exchange = cny.line_ids
        self.assertEqual((billed.move_id, billed.debit, billed.foreign_currency_id, billed.amount_currency),
                         (invoice, 800.0, self.usd, 100.0))
        self.assertEqual((paid.move_id, paid.credit, paid.foreign_currency_id), (payment.move_id, 500.0,
                                                                                  self.env["res.currency"]))
        # 50 USD paid were booked at 400.00: 100.00 gained on exchange, owed by nobody
        self.assertEqual((exchange.debit, exchange.credit), (100.0, 0.0))
        # 800 - 500 + 100: the 50 USD still open at the invoice's rate
        self.assertEqual((cny.opening_balance, cny.total_debit, cny.total_credit, cny.closing_balance),
                         (0.0, 900.0, 500.0, 400.0))
        self.assertEqual((cny.aging_current, cny.aging_30), (400.0, 0.0))
        self.assertEqual(cny.closing_balance_company, 400.0)
        self._assert_adds_up(cny, self._ledger("dl_hz", date(2025, 3, 31)))

    def test_usd_invoice_of_february_paid_in_full_in_company_currency_in_march(self):
        """February's USD statement was sent before the payment; in March the company-currency payment
        takes the invoice to the company-currency statement: each statement still adds up and the
        statements of each month are the ledger."""
        invoice = self._invoice("dl_hz", "2025-02-10", [(self.product_a, 1, 100.0)], currency=self.usd,
                                due="2025-03-12")  # 800.00
        february = self._statement(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28), currency=self.usd)
        february.action_send()
        self.assertEqual((february.closing_balance, february.closing_balance_company), (100.0, 800.0))
        self._pay(invoice, 1000.0, "2025-03-20", currency=self.env.company.currency_id)  # 100 USD at 10
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(self._statement(currency=self.usd))
        march = self._statement()
        self.assertEqual(march.line_ids.mapped("document_type"), ["payment", "exchange"])
        # opening: the invoice at its booked 800.00; paid 1,000.00; 200.00 exchange difference
        self.assertEqual((march.opening_balance, march.total_debit, march.total_credit, march.closing_balance),
                         (800.0, 200.0, 1000.0, 0.0))
        self._assert_adds_up(march, self._ledger("dl_hz", date(2025, 3, 31)))
        self.assertEqual(self._ledger("dl_hz", date(2025, 3, 31)), 0.0)
        # February's sent statement is left as it was sent
        self.assertEqual((february.state, february.closing_balance), ("sent", 100.0))


@tagged("post_install", "-at_install")
class TestStatementPayables(AccountantCommon):
    """A rebate settled by vendor bill is money the company owes the member; when the period later earns
    less, the difference is billed back by vendor credit note. Both are on the member's statement of
    account (its receivable and payable with the company), with the payment that settles them."""

    def _bill(self, when, amount, refund=False, due=None):
        return self._create_invoice(
            move_type="in_refund" if refund else "in_invoice",
            partner_id=self.members["dl_hz"].partner_id.id,
            invoice_date=when,
            invoice_date_due=due,
            invoice_line_ids=[Command.create({"name": "Rebate", "quantity": 1, "price_unit": amount, "tax_ids": []})],
            post=True,
        )

    def _ledger(self, until):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.members["dl_hz"].partner_id.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
                ("date", "<=", until),
            ]
        )
        return self.env.company.currency_id.round(sum(lines.mapped("balance")))

    def test_rebate_by_vendor_bill_and_its_bill_back(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)], due="2025-04-04")
        bill = self._bill("2025-03-10", 30.0, due="2025-04-09")  # the rebate: the company owes 30.00
        bill_back = self._bill("2025-03-25", 12.45, refund=True, due="2025-04-24")  # earned 12.45 less
        payment = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=(bill | bill_back).ids
        ).create({"payment_date": "2025-03-28", "group_payment": True})._create_payments()
        self.assertEqual(payment.amount, 17.55)
        statement = self._statement()
        self.assertEqual(
            [(line.move_id, line.document_type, line.debit, line.credit) for line in statement.line_ids],
            [
                (statement.line_ids[0].move_id, "invoice", 1000.0, 0.0),
                (bill, "credit_note", 0.0, 30.0),
                (bill_back, "invoice", 12.45, 0.0),
                (payment.move_id, "payment", 17.55, 0.0),
            ],
        )
        self.assertEqual((statement.total_debit, statement.total_credit, statement.closing_balance),
                         (1030.0, 30.0, 1000.0))
        self.assertEqual(statement.closing_balance, self._ledger(date(2025, 3, 31)))
        self.assertEqual((statement.aging_current, statement.aging_30), (1000.0, 0.0))
        # before the payment the member was owed 17.55 net: 1,000 - 30 + 12.45
        statement_before = self.env["distribution.statement"]._generate(
            self.members["dl_hz"], date(2025, 3, 1), date(2025, 3, 27), self.env.company
        )["new"]
        self.assertEqual(statement_before.closing_balance, 982.45)
        self.assertEqual(statement_before.closing_balance, self._ledger(date(2025, 3, 27)))
        aging = sum(statement_before[name] for name in ("aging_current", "aging_30", "aging_60", "aging_90",
                                                        "aging_older"))
        self.assertEqual(round(aging, 2), 982.45)
