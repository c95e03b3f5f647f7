from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import StatementCommon


@tagged("post_install", "-at_install")
class TestStatementTour(StatementCommon, DistributionHttpCommon):
    def _last_month(self):
        first_this_month = fields.Date.today().replace(day=1)
        return first_this_month - timedelta(days=1)

    def test_run_dispute_resolve_confirm(self):
        last_month = self._last_month()
        invoice = self._invoice("dl_hz", last_month.replace(day=10), [(self.product_a, 10, 100.0)])
        accountant = self.channel_manager
        accountant.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        self.start_tour("/odoo", "distribution_statement_run", login="dist_manager")
        run = self.env["distribution.statement.run"].search([], order="id desc", limit=1)
        self.assertEqual(run.state, "done")
        statement = run.statement_ids.filtered(lambda s: s.member_id == self.members["dl_hz"])
        self.assertEqual((statement.state, statement.closing_balance), ("sent", 1000.0))
        self.assertEqual(statement.line_ids.move_id, invoice)

        self.start_tour("/my/statements", "distribution_statement_dispute", login="portal_dl_hz")
        dispute = statement.dispute_ids
        self.assertEqual((statement.state, dispute.comment), ("disputed", "We received 9, not 10"))
        self.assertEqual(dispute.line_ids.move_id, invoice)
        self.assertEqual(statement.activity_ids.user_id, accountant)

        refund = self._invoice("dl_hz", last_month, [(self.product_a, 1, 100.0)], refund=True)
        self.start_tour("/odoo", "distribution_statement_resolve", login="dist_manager")
        corrected = dispute.corrected_statement_id
        self.assertEqual((dispute.state, statement.state, corrected.state), ("resolved", "superseded", "sent"))
        self.assertEqual(corrected.closing_balance, 900.0)
        self.assertIn(refund.name, corrected.change_summary)

        self.start_tour("/my/statements", "distribution_statement_confirm", login="portal_dl_hz")
        self.assertEqual((corrected.state, corrected.confirmed_by_id), ("confirmed", self.users["dl_hz"]))

    def test_portal_cannot_guess_another_members_statement(self):
        last_month = self._last_month()
        for key in ("dl_hz", "dl_nj"):
            self._invoice(key, last_month, [(self.product_a, 1, 100.0)])
        members = self.members["dl_hz"] | self.members["dl_nj"]
        result = self.env["distribution.statement"]._generate(
            members, last_month.replace(day=1), last_month, self.env.company
        )
        result["new"].action_send()
        mine = result["new"].filtered(lambda s: s.member_id == self.members["dl_hz"])
        theirs = result["new"] - mine
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        self.assertEqual(self.url_open(f"/my/statements/{mine.id}").status_code, 200)
        for suffix in ("", "/pdf", "/xlsx"):
            response = self.url_open(f"/my/statements/{theirs.id}{suffix}")
            self.assertEqual(response.status_code, 404, suffix)
        xlsx = self.url_open(f"/my/statements/{mine.id}/xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertEqual(xlsx.content[:2], b"PK")
        # posting a dispute on somebody else's statement is refused too
        response = self.url_open(
            f"/my/statements/{theirs.id}/dispute",
            data={"comment": "not mine", "csrf_token": self._csrf(f"/my/statements/{mine.id}")},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(theirs.dispute_ids)

    def test_portal_page_key_figure_first_in_chinese(self):
        """On a phone the closing balance comes first, and each entry shows its amount beside the running
        balance (the debit, credit and description columns are for wider screens), in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_statement"], ["zh_CN"], overwrite=True)
        self.users["dl_hz"].lang = "zh_CN"
        last_month = self._last_month()
        self._invoice("dl_hz", last_month.replace(day=3), [(self.product_a, 3, 100.0)])
        self._invoice("dl_hz", last_month.replace(day=9), [(self.product_a, 1, 25.5)], refund=True)
        statement = self.env["distribution.statement"]._generate(
            self.members["dl_hz"], last_month.replace(day=1), last_month, self.env.company
        )["new"]
        statement.action_send()
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open(f"/my/statements/{statement.id}").text
        tree = html.fromstring(page)
        summary = tree.xpath('//*[contains(@class, "o_statement_summary")]')[0]
        self.assertIn("期末余额", summary.text_content())
        closing = summary.xpath('.//*[contains(@class, "o_statement_summary_closing")]')[0].text_content()
        self.assertIn("274.50", closing)
        # the summary comes before the entries
        self.assertLess(page.index("o_statement_summary"), page.index("o_statement_line_check"))
        amounts = [cell.text_content().strip() for cell in tree.xpath('//td[contains(@class, "o_statement_line_amount")]')]
        self.assertEqual(len(amounts), 2)
        self.assertIn("300.00", amounts[0])
        self.assertIn("25.50", amounts[1])
        self.assertTrue(amounts[1].startswith("-") or "-" in amounts[1], amounts[1])
        for english in (">Closing balance<", ">Opening balance<", ">Amount<"):
            self.assertNotIn(english, page)


@tagged("post_install", "-at_install")
class TestStatementPhone(StatementCommon, DistributionHttpCommon):
    """A dealer confirms last month's statement on a phone (390 × 844, touch)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_confirm_on_a_phone(self):
        last_month = fields.Date.today().replace(day=1) - timedelta(days=1)
        self._invoice("dl_hz", last_month.replace(day=10), [(self.product_a, 10, 100.0)])
        statement = self.env["distribution.statement"]._generate(
            self.members["dl_hz"], last_month.replace(day=1), last_month, self.env.company
        )["new"]
        statement.action_send()
        self.assertEqual((statement.state, statement.closing_balance), ("sent", 1000.0))
        self.start_tour("/my/statements", "distribution_statement_confirm_phone", login="portal_dl_hz")
        self.assertEqual((statement.state, statement.confirmed_by_id), ("confirmed", self.users["dl_hz"]))
