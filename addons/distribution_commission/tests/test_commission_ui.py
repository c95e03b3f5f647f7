from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .test_commission import CommissionCommon


@tagged("post_install", "-at_install")
class TestCommissionTour(CommissionCommon, DistributionHttpCommon):
    def test_share_order_release_withdraw_approve(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.start_tour("/my/earnings", "distribution_commission_share", login="promoter_mid")
        self.start_tour(f"/r/{self.mid.code}", "distribution_commission_signup", login=None)
        customer = self.env["res.users"].sudo().search([("login", "=", "hanmeimei@example.com")]).partner_id
        self.assertTrue(customer, "signed up")
        self.assertEqual(customer.referrer_id, self.mid)

        # a salesperson sells to the new customer: the order names the promoter; paid and delivered
        order, _invoice = self._sell(customer, [(self.product_a, 2, 1000.0)])
        self.assertEqual(order.promoter_id, self.mid)
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
        self.assertEqual(customer.referrer_id, self.mid)
        self.assertEqual(self.url_open("/r/NOSUCHCODE").status_code, 404)
        # another promoter's link does not take the customer over
        self.url_open(f"/r/{self.top.code}")
        self.assertEqual(customer.referrer_id, self.mid)
