from datetime import date

from lxml import html

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import format_amount

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

    def test_my_rebates_say_why_an_amount_is_cut(self):
        """Q1 2025 of the Hangzhou dealer, 5 × 1,000 invoiced, due in February and unpaid at the quarter end:
        10 % earns 500.00, halved for the 5,000.00 overdue (the card says so and shows −250.00); a growth
        agreement shows its target, its rate on the growth and its cap; a per-unit agreement its amount per
        unit; rates read "10 %", not "10.0000"."""
        reduced = self._agreement(name="Dealer 10% (overdue halves it)", rate=10.0, overdue_action="reduce",
                                  overdue_reduce_percent=50.0)
        growth = self._agreement(name="Growth over 2,000", rebate_type="growth", growth_reference="target",
                                 growth_target=2000.0, rate=5.0, cap_amount=100.0)
        per_unit = self._agreement(name="Per unit", basis="qty", rate=1.5)
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 5, 1000.0)], due="2025-02-10")
        for agreement in (reduced, growth, per_unit):
            self._compute(agreement, up_to=date(2025, 3, 31))
        q1 = reduced.computation_ids.filtered(lambda c: c.date_from == date(2025, 1, 1))
        self.assertEqual((q1.amount_before_conditions, q1.overdue_amount, q1.amount), (500.0, 5000.0, 250.0))
        overdue = format_amount(self.env, 5000.0, self.env.company.currency_id)
        self.assertEqual(q1._adjustments(), [{
            "reason": f"Reduced by 50 %: {overdue} of invoices overdue at the period end.", "amount": 250.0,
        }])
        symbol = self.env.company.currency_id.symbol
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        tree = html.fromstring(self.url_open("/my/rebates").text)

        def card(agreement):
            [node] = tree.xpath(
                f'//h5[contains(., "{agreement.name}")]/following-sibling::div[1]'
                '//*[contains(@class, "o_rebate_computation")]'
            )
            return node

        def texts(node, css):
            return [" ".join(n.text_content().split())
                    for n in node.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {css} ")]')]

        reduced_card = card(reduced)
        self.assertEqual(texts(reduced_card, "o_rebate_rate_applied"), ["10 %"])
        [adjustment] = texts(reduced_card, "o_rebate_adjustment")
        self.assertIn("Reduced by 50 %", adjustment)
        self.assertIn("5,000.00 of invoices overdue", adjustment)
        self.assertIn("−", adjustment)
        self.assertIn("250.00", adjustment)
        self.assertIn("500.00", texts(reduced_card, "o_rebate_adjustments")[0])  # before the condition

        growth_card = card(growth)
        # 5 % of the 3,000 over the target = 150.00, capped at 100.00
        self.assertEqual(growth.computation_ids.filtered(lambda c: c.date_from == date(2025, 1, 1)).amount, 100.0)
        self.assertIn("2,000.00", texts(growth_card, "o_rebate_reference")[0])
        self.assertEqual(texts(growth_card, "o_rebate_rate_applied"), ["5 %"])
        self.assertIn("Capped at", texts(growth_card, "o_rebate_adjustments")[0])
        [rate_line] = tree.xpath(f'//h5[contains(., "{growth.name}")]/following-sibling::p[1]')
        rate_line = " ".join(rate_line.text_content().split())
        self.assertIn("On the growth: 5 %", rate_line)
        self.assertIn("Growth target per period:", rate_line)
        self.assertIn("Cap per period:", rate_line)

        per_unit_card = card(per_unit)
        self.assertEqual(texts(per_unit_card, "o_rebate_rate_applied"), [f"{symbol}1.50/unit"])
        self.assertEqual(texts(per_unit_card, "o_rebate_basis"), ["5 units"])
        self.assertFalse(texts(per_unit_card, "o_rebate_adjustments"))
        self.assertNotIn("0000", tree.text_content())


@tagged("post_install", "-at_install")
class TestRebatePhone(RebateCommon, DistributionHttpCommon):
    """My Rebates on a phone (390 × 844, touch): what this quarter earned and the next tier, no sideways scroll."""

    browser_size = "390x844"
    touch_enabled = True

    def test_my_rebates_on_a_phone(self):
        today = fields.Date.today()
        agreement = self._agreement(
            name="Phone volume rebate", rebate_type="stepped_retro",
            date_start=today.replace(month=1, day=1), date_end=today.replace(month=12, day=31),
            tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)],
        )
        # this quarter: 30,000 + the 100 of the common set-up
        self._invoice("dl_hz", today, [(self.product_a, 30, 1000.0)])
        computation = self._compute(agreement, up_to=today).filtered(lambda c: c.date_from <= today <= c.date_to)
        self.assertEqual((computation.amount, computation.next_threshold), (602.0, 50000.0))
        self.start_tour("/my/rebates", "distribution_rebate_portal_phone", login="portal_dl_hz")
