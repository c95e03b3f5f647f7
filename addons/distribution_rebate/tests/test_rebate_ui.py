from lxml import html

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateTour(RebateCommon, DistributionHttpCommon):
    def test_manager_settles_member_sees_credit_note(self):
        self.channel_manager.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        # this quarter: 30,000 + the 100 of the common set-up
        self._invoice("dl_hz", fields.Date.today(), [(self.product_a, 30, 1000.0)])
        self.start_tour("/odoo", "distribution_rebate_agreement_settle", login="dist_manager")
        agreement = self.env["distribution.rebate.agreement"].search([("name", "=", "Tour volume rebate")])
        self.assertEqual(agreement.state, "running")
        settlement = agreement.computation_ids.settlement_ids
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.amount, 602.0)  # 30,100 x 2%
        self.assertEqual(settlement.move_id.amount_total, 602.0)
        self.start_tour("/my/rebates", "distribution_rebate_portal", login="portal_dl_hz")


@tagged("post_install", "-at_install")
class TestRebatePortalPage(RebateCommon, DistributionHttpCommon):
    def test_my_rebates_cards_earned_first_in_chinese(self):
        """On a phone each period is a card with what it earned first, each settlement a list item with its
        amount, in Chinese: Q1 2025 earned 3 % of 10,000."""
        agreement = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._compute(agreement)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_rebate"], ["zh_CN"], overwrite=True)
        self.users["dl_hz"].lang = "zh_CN"
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/rebates").text
        tree = html.fromstring(page)
        cards = tree.xpath('//*[contains(@class, "o_rebate_computation")]')
        self.assertEqual(len(cards), len(agreement.computation_ids))
        earned = {
            card.xpath("./div/div/div")[0].text_content().strip():
            card.xpath('.//*[contains(@class, "o_rebate_earned")]')[0].text_content().strip()
            for card in cards
        }
        self.assertTrue(any("300.00" in amount for amount in earned.values()), earned)
        self.assertFalse(tree.xpath('//div[contains(@class, "o_portal_rebates")]//table'))
        text = tree.text_content()
        for chinese in ("应得返利", "返利基数", "返利比例", "已结算"):
            self.assertIn(chinese, text)
        for english in (">Earned<", ">Basis<", ">Settled<"):
            self.assertNotIn(english, page)
