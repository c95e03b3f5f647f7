import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestCommissionTour(CommissionCommon, DistributionHttpCommon):
    def test_share_order_release_withdraw_approve(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.start_tour("/my/earnings", "distribution_commission_share", login="promoter_mid")
        self.start_tour(f"/r/{self.mid.code}", "distribution_commission_signup", login=None)
        customer = self.env["res.users"].sudo().search([("login", "=", "hanmeimei@example.com")]).partner_id
        self.assertTrue(customer, "signed up")
        self.assertEqual(customer.channel_referrer_id, self.mid)

        # a salesperson sells to the new customer: the order names the promoter; paid and delivered
        order, _invoice = self._sell(customer, [(self.product_a, 2, 1000.0)])
        self.assertEqual(order.channel_promoter_id, self.mid)
        commission = self.env["distribution.commission"].search([("order_id", "=", order.id), ("level", "=", "1")])
        self.assertEqual((commission.amount, commission.state), (200.0, "frozen"))
        self.start_tour("/my/earnings", "distribution_commission_frozen", login="promoter_mid")

        with freeze_time(fields.Date.today() + timedelta(days=8)):
            self.env["distribution.commission"]._cron_release()
        self.assertEqual(commission.state, "available")
        self.start_tour("/my/earnings", "distribution_commission_withdraw", login="promoter_mid")
        withdrawal = self.mid.withdrawal_ids
        self.assertEqual((withdrawal.amount, withdrawal.state), (150.0, "submitted"))

        self.channel_manager.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        self.start_tour("/odoo", "distribution_commission_approve", login="dist_manager")
        self.assertEqual(withdrawal.state, "paid")
        self.assertEqual((withdrawal.move_id.state, withdrawal.move_id.amount_total), ("posted", 135.0))
        self.mid.invalidate_recordset()
        self.assertEqual((self.mid.amount_available, self.mid.amount_withdrawn), (50.0, 150.0))

    def test_promoter_keeps_his_payout_details(self):
        self.authenticate("promoter_low", "promoter_low")
        csrf = self._csrf("/my/earnings")
        response = self.url_open(
            "/my/earnings/payout", data={"payout_method": "alipay", "account": "low@alipay", "csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual((self.low.payout_method, self.low.alipay_account), ("alipay", "low@alipay"))
        self.assertEqual(self.mid.payout_method, "bank", "only his own")

    def test_referral_link_attaches_a_logged_in_customer(self):
        customer = self.users["dl_nj"].partner_id.commercial_partner_id
        self.authenticate("portal_dl_nj", "portal_dl_nj")
        self.assertEqual(self.url_open(f"/r/{self.mid.code}").status_code, 200)
        self.assertEqual(customer.channel_referrer_id, self.mid)
        self.assertEqual(self.url_open("/r/NOSUCHCODE").status_code, 404)
        # another promoter's link does not take the customer over
        self.url_open(f"/r/{self.top.code}")
        self.assertEqual(customer.channel_referrer_id, self.mid)

    def test_referred_signup_lands_in_the_promoters_company(self):
        """The visitor of a promoter's link signs up as a customer of the promoter's
        company (the brand), and the pages he sees name that company, not the
        public user's (main) company."""
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        brand = self.env["res.company"].create({"name": "Brand Tea Co. (test)"})
        main = self.env.ref("base.public_user").sudo().company_id
        self.assertNotEqual(main, brand)
        partner = self.env["res.partner"].create({"name": "Brand promoter", "email": "bp@example.com"})
        promoter = self.env["distribution.promoter"].create({"partner_id": partner.id, "company_id": brand.id})
        self.assertTrue(promoter.code)
        landing = self.url_open(f"/r/{promoter.code}")
        self.assertEqual(landing.status_code, 200)
        self.assertIn("Brand Tea Co. (test)", landing.text)
        self.assertNotIn(main.name, landing.text)
        self.assertIn(f"/logo.png?company={brand.id}", landing.text)
        # the sign-up form it leads to shows the brand's logo
        signup = self.url_open("/web/signup")
        self.assertEqual(signup.status_code, 200)
        self.assertIn(f"/web/binary/company_logo?company={brand.id}", signup.text)
        csrf = self._csrf("/web/signup")
        response = self.url_open(
            "/web/signup",
            data={"login": "referred@example.com", "name": "Referred Rui", "password": "referred-Pass-1",
                  "confirm_password": "referred-Pass-1", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 200)
        user = self.env["res.users"].sudo().search([("login", "=", "referred@example.com")])
        self.assertTrue(user, "signed up")
        self.assertEqual(user.company_id, brand)
        self.assertEqual(user.company_ids, brand)
        self.assertEqual(user.partner_id.company_id, brand)
        self.assertEqual(user.partner_id.channel_referrer_id, promoter)

    def test_rejected_withdrawal_shows_no_amount_paid(self):
        """My Earnings: a rejected request paid nothing, a paid one shows its net amount."""
        self.env["distribution.commission"].sudo().create(
            {"promoter_id": self.mid.id, "company_id": self.env.company.id, "level": "1", "amount": 200.0,
             "state": "available", "release_date": fields.Date.today()}
        )
        Withdrawal = self.env["distribution.commission.withdrawal"]
        rejected = Withdrawal._request(self.mid, 50.0)
        rejected.action_reject()
        paid = Withdrawal._request(self.mid, 100.0)
        self.channel_manager.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        paid.with_user(self.channel_manager).action_approve()
        self.assertEqual((rejected.state, paid.state, paid.net_amount), ("rejected", "paid", 90.0))
        self.authenticate("promoter_mid", "promoter_mid")
        page = self.url_open("/my/earnings").text
        rows = {name: row for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
                for name in (rejected.name, paid.name) if f">{name}<" in row}
        net = {name: re.search(r'o_withdrawal_net">(.*?)</td>', row, re.S).group(1) for name, row in rows.items()}
        self.assertIn("90.00", net[paid.name])
        self.assertNotIn("45.00", net[rejected.name])
        self.assertNotIn("50.00", net[rejected.name])
        self.assertIn("-", net[rejected.name])


@tagged("post_install", "-at_install")
class TestEarningsPhone(CommissionCommon, DistributionHttpCommon):
    """My Earnings on a phone (390 × 844, touch): the amount he may withdraw first and in view, each
    commission and withdrawal as a card with its amount and state, no sideways scroll."""

    browser_size = "390x844"
    touch_enabled = True

    def test_my_earnings_on_a_phone(self):
        Commission = self.env["distribution.commission"].sudo()
        Commission.create(
            [
                {"promoter_id": self.mid.id, "company_id": self.env.company.id, "level": "1", "amount": 150.0,
                 "state": "available", "product_id": self.product_a.id, "release_date": fields.Date.today()},
                {"promoter_id": self.mid.id, "company_id": self.env.company.id, "level": "1", "amount": 100.0,
                 "state": "available", "product_id": self.product_a.id, "release_date": fields.Date.today()},
            ]
        )
        rejected = self.env["distribution.commission.withdrawal"]._request(self.mid, 50.0)
        rejected.action_reject()
        self.mid.invalidate_recordset()
        self.assertEqual(self.mid.amount_available, 250.0)
        self.start_tour("/my/earnings", "distribution_commission_earnings_phone", login="promoter_mid")
