import io
import zipfile
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.distribution_statement import amount_in_words
from .common import StatementCommon

START = date(2025, 1, 1)


@tagged("post_install", "-at_install")
class TestStatements(StatementCommon):
    """Statements of account against the ledger, to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.users"])
        cls.accountant = cls.env.ref("base.user_admin")

    def _pay(self, invoices, amount, when):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"payment_date": when, "amount": amount})._create_payments()

    def _ledger(self, member, until):
        """The partner's receivable balance at `until`, straight from the journal items."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.members[member].partner_id.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", until),
            ]
        )
        return self.env.company.currency_id.round(sum(lines.mapped("balance")))

    def _generate(self, members=("dl_hz",), date_from=START, date_to=None):
        members = self.env["distribution.member"].browse([self.members[m].id for m in members])
        return self.env["distribution.statement"]._generate(members, date_from, date_to or self.today, self.env.company)

    def _statements(self, member="dl_hz", currency=None):
        return self.env["distribution.statement"].search(
            [
                ("member_id", "=", self.members[member].id),
                ("currency_id", "=", (currency or self.env.company.currency_id).id),
                ("state", "!=", "superseded"),
            ]
        )

    def test_closing_balance_equals_the_ledger(self):
        """Invoices, a partial payment, a credit note, a rebate credit note and a foreign-currency invoice."""
        eur = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0), ("2025-06-01", 4.0)])
        old = self._invoice("dl_hz", "2024-12-20", [(self.product_a, 1, 300.0)], due="2025-01-19")
        invoice = self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)], due="2025-04-04")
        self._pay(invoice, 400.0, "2025-03-20")
        self._invoice("dl_hz", "2025-03-25", [(self.product_a, 1, 100.0)], refund=True, due="2025-03-25")
        foreign = self._invoice(
            "dl_hz", "2025-06-10", [(self.product_a, 1, 1000.0)], currency=eur, due="2025-07-10"
        )  # 250.00
        # a rebate credit note of today (as distribution_rebate posts one: Q1's 3 % of 1,000 - 100)
        rebate = self._invoice("dl_hz", self.today, [(self.product_a, 1, 27.0)], refund=True)
        self.assertEqual(rebate.state, "posted")
        # the invoice of today from the common set-up (100.00) is in the period too
        result = self._generate()
        company_statement = self._statements()
        foreign_statement = self._statements(currency=eur)
        self.assertEqual(result["new"], company_statement | foreign_statement)
        self.assertEqual(company_statement.opening_balance, 300.0)
        # 300 + 1,000 - 400 - 100 - 27 + 100
        self.assertEqual(company_statement.closing_balance, 873.0)
        self.assertEqual(company_statement.total_debit, 1100.0)
        self.assertEqual(company_statement.total_credit, 527.0)
        self.assertEqual(foreign_statement.opening_balance, 0.0)
        self.assertEqual(foreign_statement.closing_balance, 1000.0)  # in its own currency
        self.assertEqual(foreign_statement.closing_balance_company, 250.0)
        ledger = self._ledger("dl_hz", self.today)
        self.assertEqual(ledger, 1123.0)
        self.assertEqual(company_statement.closing_balance_company + foreign_statement.closing_balance_company, ledger)
        self.assertEqual(company_statement.ledger_balance_now, company_statement.closing_balance)
        # every entry with its running balance; the last one is the closing balance
        self.assertEqual(len(company_statement.line_ids), 5)
        self.assertEqual(company_statement.line_ids[-1].cumulative, 873.0)
        self.assertEqual(
            company_statement.line_ids.mapped("document_type"),
            ["invoice", "payment", "credit_note", "invoice", "credit_note"],
        )
        # aging at the period end: what is still open, by age; it adds up to the closing balance
        aging = [company_statement[name] for name in ("aging_current", "aging_30", "aging_60", "aging_90", "aging_older")]
        self.assertEqual(sum(aging), 873.0)
        # today's invoice and rebate credit note are not due; the rest is over 90 days: 300 + (1,000 - 400) - 100
        self.assertEqual((company_statement.aging_current, company_statement.aging_older), (73.0, 800.0))
        self.assertEqual(old.amount_residual, 300.0)
        self.assertEqual(foreign_statement.aging_older, 1000.0)
        self.assertTrue(foreign.invoice_date_due < self.today - timedelta(days=90))

    def test_sent_statement_cannot_be_edited(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        self._generate()
        statement = self._statements()
        statement.write({"responsible_id": self.accountant.id})  # a draft may be touched
        statement.action_send()
        self.assertEqual(statement.state, "sent")
        self.assertTrue(statement.message_ids.filtered(lambda m: m.attachment_ids), "the PDF goes with the email")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            statement.write({"closing_balance": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            statement.line_ids[0].write({"debit": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            statement.unlink()
        # no shortcut to a state through RPC
        with self.assertRaises(AccessError):
            statement.write({"state": "confirmed"})

    def test_rerun_makes_a_version_only_when_figures_changed(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        first = self._generate()["new"]
        self.assertEqual(len(first), 1)
        again = self._generate()
        self.assertEqual(again["unchanged"], first)
        self.assertFalse(again["new"] or again["versions"])
        # a draft whose figures changed is rewritten in place
        self._invoice("dl_hz", "2025-03-06", [(self.product_a, 1, 50.0)])
        rewritten = self._generate()
        self.assertEqual(rewritten["new"], first)
        self.assertEqual((first.version, first.closing_balance), (1, 1150.0))
        # once sent, a change makes a new version that says what changed
        first.action_send()
        refund = self._invoice("dl_hz", "2025-03-07", [(self.product_a, 1, 50.0)], refund=True)
        result = self._generate()
        second = result["versions"]
        self.assertEqual(len(second), 1)
        self.assertEqual((second.number, second.version, second.previous_id), (first.number, 2, first))
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.next_id, second)
        self.assertEqual(second.closing_balance, 1100.0)
        self.assertIn(refund.name, second.change_summary)
        self.assertIn("1,150.00", second.change_summary)
        self.assertEqual(self._generate()["unchanged"], second)

    def test_no_statement_without_entries_nor_balance(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 1, 100.0)])
        result = self._generate(members=("dl_hz", "dl_nj"), date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
        self.assertEqual(result["new"].member_id, self.members["dl_hz"])
        self.assertEqual(result["skipped"], self.members["dl_nj"])
        # April: no entry, but the March invoice is still owed: a statement with the opening balance
        april = self._generate(members=("dl_hz",), date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))["new"]
        self.assertEqual((april.opening_balance, april.closing_balance, len(april.line_ids)), (100.0, 100.0, 0))

    def test_amount_in_words(self):
        cny = self.env.ref("base.CNY")
        usd = self.env.ref("base.USD")
        cases = {
            0.05: ("伍分", "Zero Dollars And Five Cents"),
            10: ("壹拾元整", "Ten Dollars"),
            1_000_000.00: ("壹佰万元整", "One Million Dollars"),
            1234.56: ("壹仟贰佰叁拾肆元伍角陆分", "One Thousand, Two Hundred And Thirty-Four Dollars And Fifty-Six Cents"),
            -10: ("负壹拾元整", "Minus Ten Dollars"),
        }
        env = self.env(context=dict(self.env.context, lang="en_US"))
        for amount, (chinese, english) in cases.items():
            self.assertEqual(amount_in_words(env, amount, cny), chinese)
            self.assertEqual(amount_in_words(env, amount, usd).replace(" and ", " And "), english)
        # a Chinese reader of a dollar statement: the currency's code, then the capital amount
        # (num2words has no Chinese: it said "One Thousand" in a Chinese email)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(amount_in_words(zh, 1234.56, usd), "USD 壹仟贰佰叁拾肆元伍角陆分")
        self.assertEqual(amount_in_words(zh, -10, usd), "USD 负壹拾元整")
        self.assertEqual(amount_in_words(zh, 10, cny), "壹拾元整")

    def test_collection_is_set_based(self):
        """The number of queries does not grow with the members."""
        for key in ("dl_hz", "dl_nj", "rd_zj", "rd_js"):
            for month in (1, 2, 3, 4):
                self._invoice(key, f"2025-0{month}-05", [(self.product_a, 2, 100.0)])
        statement_model = self.env["distribution.statement"]
        members = self.env["distribution.member"].browse([self.members[k].id for k in ("dl_hz", "dl_nj", "rd_zj", "rd_js")])
        counts = []
        periods = [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]
        for subset, date_to in zip([members[:1], members] * 2, periods, strict=True):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            statement_model._generate(subset, START, date_to, self.env.company)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        # the first pair warms the caches
        self.assertEqual(counts[2], counts[3], f"one more member must not cost one more query: {counts}")

    def test_outputs(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 123.45)])
        self._generate(date_to=date(2025, 3, 31))
        statement = self._statements()
        self.assertEqual(statement.closing_balance, 1234.5)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_statement.action_report_distribution_statement", statement.ids
        )[0].decode()
        self.assertIn(statement.name, html)
        self.assertIn(statement.amount_in_words, html)
        self.assertIn("Company seal", html)
        workbook = zipfile.ZipFile(io.BytesIO(statement.xlsx_attachment_id.raw))
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("<v>1234.5</v>", sheet)
        self.assertIn(statement.partner_id.name, workbook.read("xl/sharedStrings.xml").decode())

    def test_pdf_names_its_issuer(self):
        """The statement says who issues it (name, address, tax id, phone) and keeps a place for the
        issuer's seal, whatever external layout the company chose."""
        self.env.company.write({
            "name": "华夏优品总部 (test)", "street": "文三路 90 号", "city": "杭州市", "zip": "310012",
            "vat": "91330106MA2B3C4D5E", "phone": "+86 571 8888 0000",
        })
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 1, 10.0)])
        self._generate(date_to=date(2025, 3, 31))
        statement = self._statements()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_statement.action_report_distribution_statement", statement.ids
        )[0].decode()
        issuer = html[html.index("o_distribution_statement_issuer"):]
        for text in ("Issued by", "华夏优品总部 (test)", "文三路 90 号", "杭州市", "Tax ID", "91330106MA2B3C4D5E",
                     "+86 571 8888 0000", "o_issuer_seal", "Company seal"):
            self.assertIn(text, issuer)

    def test_dispute_resolve_and_confirm(self):
        invoice = self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        self._generate(date_to=date(2025, 3, 31))
        statement = self._statements()
        statement.responsible_id = self.accountant
        statement.action_send()
        hz = self.users["dl_hz"]
        line = statement.line_ids.filtered(lambda entry: entry.move_id == invoice)
        # a member cannot confirm or dispute somebody else's statement
        with self.assertRaises(AccessError):
            statement.with_user(self.users["dl_nj"])._dispute(line, "not mine")
        dispute = statement.with_user(hz)._dispute(line.with_user(hz), "We received 9, not 10")
        self.assertEqual(statement.state, "disputed")
        self.assertEqual(dispute.line_ids, line)
        self.assertTrue(line.disputed)
        activity = statement.activity_ids
        self.assertEqual(activity.user_id, self.accountant)
        # the accountant posts a credit note and issues the corrected version
        refund = self._invoice("dl_hz", "2025-03-31", [(self.product_a, 1, 100.0)], refund=True)
        dispute.write({"resolution": "correction", "answer": "Credit note for the missing unit"})
        dispute.action_resolve()
        corrected = dispute.corrected_statement_id
        self.assertEqual((dispute.state, statement.state), ("resolved", "superseded"))
        self.assertEqual((corrected.state, corrected.version, corrected.closing_balance), ("sent", 2, 900.0))
        self.assertIn(refund.name, corrected.change_summary)
        self.assertFalse(statement.activity_ids)
        corrected.with_user(hz).action_confirm()
        self.assertEqual((corrected.state, corrected.confirmed_by_id), ("confirmed", hz))
        with self.assertRaisesRegex(UserError, "Only a sent"):
            corrected.with_user(hz)._dispute(self.env["distribution.statement.line"], "too late")

    def test_resolve_with_an_explanation(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        self._generate(date_to=date(2025, 3, 31))
        statement = self._statements()
        statement.action_send()
        hz = self.users["dl_hz"]
        dispute = statement.with_user(hz)._dispute(self.env["distribution.statement.line"], "Where is our payment?")
        with self.assertRaisesRegex(UserError, "Choose how"):
            dispute.action_resolve()
        dispute.write({"resolution": "explanation", "answer": "Your payment arrived on 2 April: next statement."})
        dispute.action_resolve()
        self.assertEqual(statement.state, "resolved")
        self.assertEqual(dispute.with_user(hz).answer, "Your payment arrived on 2 April: next statement.")
        with self.assertRaisesRegex(UserError, "did not change"):
            statement.action_issue_correction()
        statement.with_user(hz).action_confirm()
        self.assertEqual(statement.state, "confirmed")

    def test_reminders(self):
        self._invoice("dl_hz", "2025-03-05", [(self.product_a, 10, 100.0)])
        self._generate(date_to=date(2025, 3, 31))
        statement = self._statements()
        statement.action_send()
        self.env["distribution.statement"]._cron_remind()
        self.assertEqual(statement.reminder_count, 0, "not yet due")
        self.env.cr.execute(
            "UPDATE distribution_statement SET sent_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=8), statement.id],
        )
        statement.invalidate_recordset()
        self.env["distribution.statement"]._cron_remind()
        self.assertEqual(statement.reminder_count, 1)
        self.assertIn("Reminder", statement.message_ids[0].subject)
        self.env["distribution.statement"]._cron_remind()
        self.assertEqual(statement.reminder_count, 1, "one reminder per period of N days")

    def test_portal_isolation(self):
        for key in ("dl_hz", "dl_nj"):
            self._invoice(key, "2025-03-05", [(self.product_a, 1, 100.0)])
        self._generate(members=("dl_hz", "dl_nj"), date_to=date(2025, 3, 31))
        mine, theirs = self._statements("dl_hz"), self._statements("dl_nj")
        hz = self.users["dl_hz"]
        with self.assertRaises(AccessError):
            mine.with_user(hz).read(["closing_balance"])  # a draft is not shown yet
        (mine | theirs).action_send()
        self.assertEqual(mine.with_user(hz).closing_balance, 100.0)
        self.assertEqual(self.env["distribution.statement"].with_user(hz).search([]), mine)
        for record in (theirs, theirs.line_ids[0]):
            with self.assertRaises(AccessError):
                record.with_user(hz).read(["display_name"])
        with self.assertRaises(AccessError):
            theirs.with_user(hz).action_confirm()
        # the parent distributor does not see its dealer's statements either
        with self.assertRaises(AccessError):
            mine.with_user(self.users["rd_zj"]).read(["closing_balance"])
