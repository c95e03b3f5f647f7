"""What a member receives is in the member's language and time zone, whoever sends it (#29).

The sender here works in English (en_US, UTC); the member dl_hz reads Simplified Chinese in
Shanghai. The statement email, its PDF, the XLSX copy, the change summary of a corrected version,
the reminder and the answer to a dispute must all be Chinese, with the member's local dates."""

import io
import zipfile
from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import tagged

from .common import StatementCommon

# English words of these documents that a Chinese reader must never meet
ENGLISH = ("Statement of account", "Statement of Account", "Opening balance", "Closing balance", "Dear",
           "Please", "Your dispute was answered", "Invoice", "Balance", "Due Date", "Reminder", "Issued by",
           "Company seal", "Tax ID", "Manual Payment")


@tagged("post_install", "-at_install")
class TestStatementLanguage(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # the statement's own terms, Odoo's (the payment method's name) and core's (China's tax number label)
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "account", "distribution_core", "distribution_statement"], ["zh_CN"], overwrite=True
        )
        # the sender: English, UTC
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", tz="UTC"))
        cls.env.user.sudo().write({"lang": "en_US", "tz": "UTC"})
        cls.partner = cls.members["dl_hz"].partner_id
        cls.partner.write({"lang": "zh_CN", "tz": "Asia/Shanghai", "email": "dl_hz@example.com"})
        cls.users["dl_hz"].sudo().write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.invoice = cls._invoice("dl_hz", "2025-03-05", [(cls.product_a, 10, 100.0)], due="2025-04-04")

    def _statement(self):
        result = self.env["distribution.statement"]._generate(
            self.members["dl_hz"], date(2025, 3, 1), date(2025, 3, 31), self.env.company
        )
        return result["new"] | result["versions"]

    def assertChinese(self, text, *chinese):
        for word in chinese:
            self.assertIn(word, text)
        for word in ENGLISH:
            self.assertNotIn(word, text)

    def test_email_pdf_and_xlsx_in_the_members_language(self):
        statement = self._statement()
        statement.action_send()
        message = statement.message_ids.filtered(lambda m: m.subject and statement.name in m.subject)
        self.assertEqual(len(message), 1)
        # subject and body from the template's Chinese, with the member's date format
        self.assertEqual(
            message.subject,
            f"{self.env.company.name} – 对账单 {statement.name}（2025/03/01 – 2025/03/31）",
        )
        self.assertChinese(str(message.body), "尊敬的", "附件为贵方", "2025/03/01", "期末余额", "打开对账单")
        # the PDF sent with it: named and written in Chinese (tests render the report as HTML)
        pdf = message.attachment_ids
        self.assertEqual(pdf.name.rsplit(".", 1)[0], f"对账单 {statement.name.replace('/', '-')}")  # .html in tests
        self.assertChinese(pdf.raw.decode(), "对账单", "期初余额", "期末余额", "账龄")
        # the same PDF printed by the English accountant is still the member's document
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_statement.action_report_distribution_statement", statement.ids
        )[0].decode()
        self.assertChinese(html, "期初余额", "2025/03/05", "出具单位", "公章")
        # the XLSX copy, made when the English accountant ran the statements
        workbook = zipfile.ZipFile(io.BytesIO(statement.xlsx_attachment_id.raw))
        strings = workbook.read("xl/sharedStrings.xml").decode()
        self.assertChinese(strings, "对账单", "期初余额", "期末余额", "发票")
        self.assertIn("对账单", workbook.read("xl/workbook.xml").decode())  # the sheet's name

    def test_corrected_version_says_what_changed_in_the_members_language(self):
        statement = self._statement()
        statement.action_send()
        refund = self._invoice("dl_hz", "2025-03-31", [(self.product_a, 1, 100.0)], refund=True)
        corrected = statement.action_issue_correction()
        self.assertEqual(corrected.closing_balance, 900.0)
        self.assertIn(refund.name, corrected.change_summary)
        self.assertChinese(corrected.change_summary, "期末余额", "2025/03/31")

    def test_dispute_answer_in_the_members_language(self):
        statement = self._statement()
        statement.action_send()
        # the member disputes from the portal, in Chinese; the accountant's to-do is in English
        dispute = statement.with_user(self.users["dl_hz"]).with_context(lang="zh_CN")._dispute(
            statement.line_ids, "数量不对"
        )
        accountant = statement.activity_ids.user_id
        self.assertEqual(accountant.lang, "en_US")
        self.assertEqual(statement.activity_ids.summary, "Answer the member's dispute")
        dispute.write({"resolution": "explanation", "answer": "已核对，数量无误。"})
        dispute.action_resolve()
        answer = statement.message_ids.filtered(lambda m: "已核对" in str(m.body))
        self.assertEqual(len(answer), 1)
        self.assertChinese(str(answer.body), "您的异议已答复")
        self.assertIn(self.partner, answer.partner_ids)

    def test_reminder_dates_in_the_members_time_zone(self):
        statement = self._statement()
        statement.action_send()
        # sent at 20:00 UTC on March 31: April 1 in Shanghai
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE distribution_statement SET sent_date = %s WHERE id = %s", [datetime(2025, 3, 31, 20, 0), statement.id]
        )
        statement.invalidate_recordset()
        self.assertEqual(statement.sent_day, date(2025, 4, 1))
        self.env["distribution.statement"]._cron_remind()
        reminder = statement.message_ids.filtered(lambda m: m.subject and "提醒" in m.subject)
        self.assertEqual(len(reminder), 1)
        self.assertChinese(str(reminder.body), "2025/04/01")
        self.assertNotIn("2025/03/31", str(reminder.body))

    def test_pdf_header_and_payment_lines_in_the_members_language(self):
        """A Chinese company's statement names its tax number 统一社会信用代码 (not Odoo's 'Tax ID'),
        and a payment registered by the English accountant reads 手动付款: <invoice> (not 'Manual
        Payment: <invoice>', the label Odoo wrote in the accountant's language)."""
        self.env.company.write({"country_id": self.env.ref("base.cn").id, "vat": "91330110MAL30P874N"})
        payment = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"payment_date": "2025-03-20", "amount": 400.0})._create_payments()
        self.assertIn("Manual Payment", payment.move_id.line_ids[0].name)  # what Odoo wrote, in English
        statement = self._statement()
        line = statement.line_ids.filtered(lambda entry: entry.document_type == "payment")
        self.assertEqual(line.name, f"手动付款: {self.invoice.name}")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_statement.action_report_distribution_statement", statement.ids
        )[0].decode()
        self.assertChinese(html, "统一社会信用代码", "91330110MAL30P874N", f"手动付款: {self.invoice.name}")
        # the same company's documents for an English reader keep an English label
        self.assertEqual(
            self.env.ref("base.cn").with_context(lang="en_US").vat_label, "Unified Social Credit Code"
        )

    def test_payment_label_in_a_database_without_english(self):
        """A Chinese-only database (en_US not installed, as the demo's): Odoo's English label of a
        payment is still recognised as its own and said in Chinese."""
        payment = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"payment_date": "2025-03-20", "amount": 400.0})._create_payments()
        label = f"Manual Payment: {self.invoice.name}"
        line = {"name": f"{self.invoice.name} {label}"}
        Lang = type(self.env["res.lang"])
        with patch.object(Lang, "get_installed", lambda self: [("zh_CN", "简体中文")]):
            self.env["distribution.statement"]._translate_payment_labels(
                self.partner, [(self.partner.id, payment.id, label, (self.invoice.name, payment.move_id.name), line)]
            )
        self.assertEqual(line["name"], f"手动付款: {self.invoice.name}")

    def test_invoice_reference_said_once(self):
        """An invoice with the member's order reference: its line says the reference once, not
        Odoo's receivable label repeated after it ("PO-9 PO-9 - INV/…")."""
        invoice = self._invoice("dl_hz", "2025-03-06", [(self.product_a, 1, 50.0)], post=False)
        invoice.ref = "PO-DL001-202503"
        invoice.action_post()
        receivable = invoice.line_ids.filtered(lambda item: item.display_type == "payment_term")
        self.assertEqual(receivable.name, f"PO-DL001-202503 - {invoice.name}")  # what Odoo wrote
        line = self._statement().line_ids.filtered(lambda entry: entry.reference == invoice.name)
        self.assertEqual(line.name, "PO-DL001-202503")
        self.assertEqual(line.debit, 50.0)

