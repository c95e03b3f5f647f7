from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.distribution_commission_withdrawal import WITHDRAWAL_LOCK
from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestCommissions(CommissionCommon):
    def test_attribution_first_touch_and_window(self):
        self.assertEqual(self.customer._attach_referrer(self.mid), self.customer)
        self.assertEqual(self.customer.channel_referrer_id, self.mid)
        # the first promoter wins
        self.assertFalse(self.customer._attach_referrer(self.top))
        self.assertEqual(self.customer.channel_referrer_id, self.mid)
        # a click older than the attribution window does not attach
        late = self.env["res.partner"].create({"name": "Han Meimei"})
        self.assertFalse(late._attach_referrer(self.mid, fields.Datetime.now() - timedelta(days=31)))
        self.assertFalse(late.channel_referrer_id)
        self.assertTrue(late._attach_referrer(self.mid, fields.Datetime.now() - timedelta(days=29)))
        # a promoter is not his own customer, a suspended one attaches nobody
        self.assertFalse(self.mid.partner_id._attach_referrer(self.mid))
        self.top.state = "suspended"
        other = self.env["res.partner"].create({"name": "Wei Hua"})
        self.assertFalse(other._attach_referrer(self.top))
        # the order of a referred customer names the promoter
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.channel_promoter_id, self.mid)

    def test_two_levels_only_goods_frozen_then_released(self):
        self.customer._attach_referrer(self.low)
        today = fields.Date.today()
        order, invoice = self._sell(
            self.customer, [(self.product_a, 2, 1000.0), (self.special, 1, 500.0), (self.service, 1, 300.0)]
        )
        commissions = self.env["distribution.commission"].search([("order_id", "=", order.id)])
        by_key = {(c.promoter_id, c.product_id): c.amount for c in commissions}
        self.assertEqual(
            by_key,
            {
                (self.low, self.product_a): 200.0,  # 10% of 2,000
                (self.low, self.special): 100.0,  # the product's 20%
                (self.mid, self.product_a): 60.0,  # level 2: 3%
                (self.mid, self.special): 15.0,
            },
            "no commission for the third level, nor on the service",
        )
        self.assertEqual(set(commissions.mapped("state")), {"frozen"})
        self.assertEqual(set(commissions.mapped("release_date")), {today + timedelta(days=7)})
        self.assertEqual((self.low.amount_frozen, self.low.amount_available), (300.0, 0.0))
        # paying again (or the hook firing twice) creates nothing more
        self.env["distribution.commission"]._create_for_invoices(invoice)
        self.assertEqual(self.env["distribution.commission"].search_count([("order_id", "=", order.id)]), 4)
        with freeze_time(today + timedelta(days=6)):
            self.env["distribution.commission"]._cron_release()
        self.assertEqual(set(commissions.mapped("state")), {"frozen"})
        with freeze_time(today + timedelta(days=7)):
            self.env["distribution.commission"]._cron_release()
        self.assertEqual(set(commissions.mapped("state")), {"available"})
        self.low.invalidate_recordset()
        self.assertEqual((self.low.amount_frozen, self.low.amount_available), (0.0, 300.0))

    def test_not_delivered_stays_frozen(self):
        self.customer._attach_referrer(self.mid)
        order, _invoice = self._sell(self.customer, [(self.product_a, 1, 1000.0)], deliver=False)
        commission = self.env["distribution.commission"].search([("order_id", "=", order.id), ("level", "=", "1")])
        self.assertEqual((commission.state, commission.release_date), ("frozen", False))
        with freeze_time(fields.Date.today() + timedelta(days=30)):
            self.env["distribution.commission"]._cron_release()
            self.assertEqual(commission.state, "frozen", "not delivered: never released")
            self._deliver(order)
            self.assertEqual(commission.release_date, fields.Date.today() + timedelta(days=7))

    def test_only_paid_invoices_earn(self):
        self.customer._attach_referrer(self.mid)
        order, invoice = self._sell(self.customer, [(self.product_a, 1, 1000.0)], pay=False)
        self.assertFalse(self.env["distribution.commission"].search([("order_id", "=", order.id)]))
        self._pay(invoice)
        self.assertTrue(self.env["distribution.commission"].search([("order_id", "=", order.id)]))

    def test_refund_before_and_after_release(self):
        self.customer._attach_referrer(self.mid)
        order, invoice = self._sell(self.customer, [(self.product_a, 4, 1000.0)])
        commission = self.env["distribution.commission"].search([("order_id", "=", order.id), ("level", "=", "1")])
        self.assertEqual(commission.amount, 400.0)
        # one unit back within the window: that part is reversed, never available
        self._refund(invoice, 1)
        self.assertEqual((commission.amount, commission.state), (300.0, "frozen"))
        reversal = self.env["distribution.commission"].search([("origin_id", "=", commission.id)])
        self.assertEqual((reversal.kind, reversal.state, reversal.amount), ("reversal", "reversed", 100.0))
        with freeze_time(fields.Date.today() + timedelta(days=8)):
            self.env["distribution.commission"]._cron_release()
        self.assertEqual(commission.state, "available")
        # one more unit back after the release: clawed back from the available balance
        self._refund(invoice, 1)
        clawback = self.env["distribution.commission"].search(
            [("origin_id", "=", commission.id), ("kind", "=", "clawback")]
        )
        self.assertEqual((clawback.state, clawback.amount), ("available", -100.0))  # the unit's 10%
        self.mid.invalidate_recordset()
        self.assertEqual(self.mid.amount_available, 200.0)
        self.assertEqual(self.mid.amount_reversed, 200.0)
        # the other two units back: never more than was earned on them
        self._refund(invoice, 5)
        self.mid.invalidate_recordset()
        self.assertEqual((self.mid.amount_available, self.mid.amount_reversed), (0.0, 400.0))

    def test_levels_setting_and_depth(self):
        self.env.company.dms_commission_levels = "1"
        self.customer._attach_referrer(self.low)
        order, _invoice = self._sell(self.customer, [(self.product_a, 1, 1000.0)])
        commissions = self.env["distribution.commission"].search([("order_id", "=", order.id)])
        self.assertEqual(commissions.promoter_id, self.low)
        with self.assertRaises(ValidationError):
            self.top.parent_id = self.low  # no loop in the tree
        with self.assertRaises(ValidationError):
            self.env["distribution.commission.rule"].create({"level": "1", "rate": 80.0})

    def _available(self, promoter, amount):
        """An available commission for promoter (as if released)."""
        return self.env["distribution.commission"].sudo().create(
            {"promoter_id": promoter.id, "company_id": self.env.company.id, "level": "1", "amount": amount,
             "state": "available", "release_date": fields.Date.today()}
        )

    def test_withdrawal_creates_the_vendor_bill(self):
        first = self._available(self.mid, 80.0)
        second = self._available(self.mid, 50.0)
        Withdrawal = self.env["distribution.commission.withdrawal"]
        withdrawal = Withdrawal.with_user(self.mid_user)._request(self.mid.with_user(self.mid_user), 100.0)
        self.assertEqual((withdrawal.state, withdrawal.payout_account), ("submitted", "ICBC 6222 0000 0002"))
        self.mid.invalidate_recordset()
        self.assertEqual((self.mid.amount_requested, self.mid.amount_withdrawable), (100.0, 30.0))
        # a portal user cannot approve his own request
        with self.assertRaises(AccessError):
            withdrawal.with_user(self.mid_user).action_approve()
        accountant = self.channel_manager
        accountant.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        withdrawal.with_user(accountant).action_approve()
        self.assertEqual(withdrawal.state, "paid")
        bill = withdrawal.move_id
        self.assertEqual((bill.move_type, bill.state, bill.partner_id), ("in_invoice", "posted", self.mid.partner_id))
        self.assertEqual(bill.amount_total, 90.0)  # 100 less 10% withholding
        self.assertEqual(sum(bill.line_ids.filtered(lambda line: line.account_id == self.expense).mapped("balance")), 100.0)
        self.assertEqual(sum(bill.line_ids.filtered(lambda line: line.account_id == self.withholding).mapped("balance")), -10.0)
        self.mid.invalidate_recordset()
        self.assertEqual((self.mid.amount_available, self.mid.amount_withdrawn), (30.0, 100.0))
        # the oldest first; the second one is split: 20 paid, 30 still available
        self.assertEqual((first.state, first.amount, second.state, second.amount), ("withdrawn", 80.0, "withdrawn", 20.0))
        rest = self.env["distribution.commission"].search([("promoter_id", "=", self.mid.id), ("state", "=", "available")])
        self.assertEqual(rest.mapped("amount"), [30.0])

    def test_withdrawal_goes_through_approval_rules(self):
        self.env["tier.definition"].create(
            {"name": "Finance checks withdrawals",
             "model_id": self.env.ref("distribution_commission.model_distribution_commission_withdrawal").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        self._available(self.mid, 80.0)
        withdrawal = self.env["distribution.commission.withdrawal"]._request(self.mid, 50.0)
        self.assertEqual((withdrawal.state, withdrawal.validation_status), ("submitted", "pending"))
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            withdrawal.action_approve()
        with self.assertRaises(ValidationError):
            withdrawal.write({"state": "paid"})  # no skipping the review through RPC
        withdrawal.with_user(self.channel_user).validate_tier()
        self.assertEqual(withdrawal.state, "paid")
        self.assertEqual(withdrawal.move_id.amount_total, 45.0)

    def test_withdrawal_cannot_be_got_around(self):
        """Issue #25: the ways around an approval, on withdrawals."""
        self.env["tier.definition"].create(
            {"name": "Finance checks withdrawals",
             "model_id": self.env.ref("distribution_commission.model_distribution_commission_withdrawal").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        self._available(self.mid, 80.0)
        withdrawal = self.env["distribution.commission.withdrawal"]._request(self.mid, 50.0)
        review = withdrawal.review_ids
        self.assertEqual(review.status, "pending")
        for user in (self.channel_manager, self.mid_user):
            with self.assertRaises(AccessError):
                review.with_user(user).write({"reviewer_ids": [Command.set(user.ids)]})
            with self.assertRaises(AccessError):
                review.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["distribution.approval.delegation"].with_user(self.channel_manager).create(
                {"user_id": self.channel_user.id, "delegate_id": self.channel_manager.id,
                 "date_to": "2099-01-01 00:00:00"}
            )
        with self.assertRaises(ValidationError):
            withdrawal.with_user(self.channel_manager).with_context(skip_validation_check=True).write({"amount": 80.0})
        with self.assertRaises(ValidationError):
            withdrawal.with_user(self.channel_manager).with_context(skip_validation_check=True).write({"state": "paid"})
        self.assertEqual((withdrawal.amount, withdrawal.state), (50.0, "submitted"))
        withdrawal.with_user(self.channel_user).validate_tier()
        self.assertEqual(withdrawal.state, "paid")
        with self.assertRaisesRegex(ValidationError, "Finance checks withdrawals"):
            withdrawal.with_user(self.channel_manager).write({"amount": 80.0})
        self.assertEqual(withdrawal.move_id.amount_total, 45.0)

    def test_withdrawal_cannot_overdraw(self):
        self._available(self.mid, 120.0)
        Withdrawal = self.env["distribution.commission.withdrawal"]
        with self.assertRaisesRegex(UserError, "at most"):
            Withdrawal._request(self.mid, 120.01)
        with self.assertRaisesRegex(UserError, "minimum"):
            Withdrawal._request(self.mid, 5.0)
        Withdrawal._request(self.mid, 100.0)
        with self.assertRaisesRegex(UserError, "at most"):
            Withdrawal._request(self.mid, 30.0)  # 100 of the 120 are already requested
        Withdrawal._request(self.mid, 20.0)
        with self.assertRaisesRegex(UserError, "account the money goes to"):
            self._available(self.low, 50.0)
            Withdrawal._request(self.low, 50.0)

    def test_concurrent_withdrawals_are_served_one_at_a_time(self):
        self._available(self.mid, 120.0)
        Withdrawal = self.env["distribution.commission.withdrawal"]
        with self.registry.cursor() as other:
            # another transaction is making a request for the same promoter right now
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [WITHDRAWAL_LOCK, self.mid.id])
            with self.assertRaisesRegex(UserError, "being made right now"):
                Withdrawal._request(self.mid, 100.0)
            other.rollback()
        self.assertTrue(Withdrawal._request(self.mid, 100.0))

    def test_portal_isolation(self):
        mine = self._available(self.mid, 50.0)
        theirs = self._available(self.low, 60.0)
        withdrawal = self.env["distribution.commission.withdrawal"]._request(self.mid, 20.0)
        Commission = self.env["distribution.commission"].with_user(self.low_user)
        self.assertEqual(Commission.search([]), theirs)
        for record in (mine, withdrawal, self.mid):
            with self.assertRaises(AccessError):
                record.with_user(self.low_user).read(["display_name"])
        self.assertEqual(self.env["distribution.promoter"].with_user(self.low_user)._for_user(), self.low)
