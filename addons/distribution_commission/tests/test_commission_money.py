"""Commissions right to the cent (issue #27): a refund takes back what the refunded goods earned,
once, whatever withdrawals did meanwhile; two withdrawal requests never overdraw."""

import threading
from datetime import timedelta

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestClawbackOnce(CommissionCommon):
    def _released_sale(self, qty, price):
        self.customer._attach_referrer(self.mid)
        order, invoice = self._sell(self.customer, [(self.product_a, qty, price)])
        with freeze_time(fields.Date.today() + timedelta(days=8)):
            self.env["distribution.commission"]._cron_release()
        commission = self.env["distribution.commission"].search([("order_id", "=", order.id), ("level", "=", "1")])
        self.assertEqual(commission.state, "available")
        return invoice, commission

    def _withdraw(self, amount):
        withdrawal = self.env["distribution.commission.withdrawal"]._request(self.mid, amount)
        accountant = self.channel_manager
        accountant.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        withdrawal.with_user(accountant).action_approve()
        self.assertEqual(withdrawal.state, "paid")
        return withdrawal

    def _balances(self):
        self.mid.invalidate_recordset()
        return self.mid.amount_available, self.mid.amount_withdrawn

    def test_refund_after_a_split_takes_back_once(self):
        invoice, commission = self._released_sale(24, 25.0)  # 600.00 x 10% = 60.00, 2.50 a unit
        self.assertEqual(commission.amount, 60.0)
        self._withdraw(35.0)  # splits the commission: 35.00 withdrawn, 25.00 available
        rest = self.env["distribution.commission"].search([("split_from_id", "=", commission.id)])
        self.assertEqual((commission.amount, commission.state, rest.amount, rest.state),
                         (35.0, "withdrawn", 25.0, "available"))
        self.assertEqual(self._balances(), (25.0, 35.0))
        self._refund(invoice, 1)
        clawbacks = self.env["distribution.commission"].search([("kind", "=", "clawback"),
                                                                ("promoter_id", "=", self.mid.id)])
        self.assertEqual(clawbacks.mapped("amount"), [-2.5], "one unit earned 2.50, taken back once")
        self.assertEqual(self._balances(), (22.5, 35.0))
        # the rest of the order comes back: everything it earned is taken back, once
        self._refund(invoice, 23)
        clawbacks = self.env["distribution.commission"].search([("kind", "=", "clawback"),
                                                                ("promoter_id", "=", self.mid.id)])
        self.assertEqual(sum(clawbacks.mapped("amount")), -60.0)
        available, withdrawn = self._balances()
        self.assertEqual((available, withdrawn), (-35.0, 35.0), "net zero: the 35.00 paid is owed back")
        # and more refunds of the same goods take nothing more
        self._refund(invoice, 5)
        self.assertEqual(self._balances(), (-35.0, 35.0))

    def test_one_credit_note_with_two_lines_of_the_same_goods_takes_back_what_was_earned_only(self):
        invoice, commission = self._released_sale(24, 25.0)  # 60.00 earned, 2.50 a unit
        wizard = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": invoice.journal_id.id, "reason": "return"})
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        line = refund.invoice_line_ids
        line.quantity = 20
        # a second line of the same sale line on the same credit note: 40 units said to come back of 24
        refund.invoice_line_ids = [Command.create({
            "product_id": line.product_id.id, "quantity": 20, "price_unit": line.price_unit, "tax_ids": [],
            "sale_line_ids": [Command.set(line.sale_line_ids.ids)],
        })]
        refund.action_post()
        clawbacks = self.env["distribution.commission"].search([("origin_id", "=", commission.id)])
        self.assertEqual(sorted(clawbacks.mapped("amount")), [-50.0, -10.0], "60.00 earned, 60.00 taken back")
        self.assertEqual(self._balances(), (0.0, 0.0))


@tagged("post_install", "-at_install")
class TestWithdrawalConcurrency(TransactionCase):
    """Two real transactions (their own cursors, committed data) ask for a withdrawal of the same
    promoter: one is paid from the balance, the other refused."""

    def setUp(self):
        super().setUp()
        self.serialization_failures = 0
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent promoter"})
            promoter = env["distribution.promoter"].create(
                {"partner_id": partner.id, "bank_account": "ICBC 6222 0000 0099"}
            )
            env["distribution.commission"].create(
                {"promoter_id": promoter.id, "company_id": promoter.company_id.id, "level": "1", "amount": 150.0,
                 "state": "available", "release_date": fields.Date.today()}
            )
            self.minimum = promoter.company_id.dms_commission_min_withdrawal
            # other transactions must see it
            cr.commit()  # pylint: disable=invalid-commit
            self.promoter_id, self.partner_id = promoter.id, partner.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM distribution_commission_withdrawal WHERE promoter_id = %s", [self.promoter_id])
            cr.execute("DELETE FROM distribution_commission WHERE promoter_id = %s", [self.promoter_id])
            cr.execute("DELETE FROM distribution_promoter WHERE id = %s", [self.promoter_id])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.partner_id])
            # the test's data, removed
            cr.commit()  # pylint: disable=invalid-commit

    def _env(self, cr):
        # the registry is given, not looked up by name: the lookup waits for the registry lock,
        # which the thread running the tests holds
        if cr.transaction is None:
            cr.transaction = Transaction(self.registry)
        return api.Environment(cr, api.SUPERUSER_ID, {})

    def _withdrawable(self, cr):
        env = self._env(cr)
        return env["distribution.promoter"].browse(self.promoter_id).amount_withdrawable

    def _request(self, cr, amount):
        """A request as an RPC call makes it: run again (on a new snapshot) after a serialization
        failure, as odoo.service.model.retrying does (which cannot be used in a thread of the tests:
        it looks the registry up by name)."""
        for _attempt in range(5):
            env = self._env(cr)
            try:
                withdrawal = env["distribution.commission.withdrawal"]._request(
                    env["distribution.promoter"].browse(self.promoter_id), amount
                )
                env.flush_all()
                return withdrawal.id
            except SerializationFailure:
                cr.rollback()  # clears the transaction's caches too
                self.serialization_failures += 1
        raise AssertionError("still failing after 5 attempts")

    def test_a_request_committed_after_the_other_started_is_seen(self):
        """The second transaction read the balance (its snapshot) before the first request was
        committed: it must still see that request when it makes its own."""
        amount = max(100.0, self.minimum)
        self.assertLess(150.0, 2 * amount)
        with self.registry.cursor() as first, self.registry.cursor() as second:
            self.assertEqual(self._withdrawable(second), 150.0)  # its snapshot is taken
            self.assertTrue(self._request(first, amount))
            first.commit()
            with self.assertRaisesRegex(UserError, "at most"):
                self._request(second, amount)
            second.rollback()
        self.assertEqual(self.serialization_failures, 1, "its first attempt read an old balance: refused by the lock")
        with self.registry.cursor() as cr:
            self.assertEqual(self._withdrawable(cr), 150.0 - amount)
            cr.execute("SELECT COUNT(*) FROM distribution_commission_withdrawal WHERE promoter_id = %s",
                       [self.promoter_id])
            self.assertEqual(cr.fetchone()[0], 1)

    def test_two_threads_at_once(self):
        amount = max(100.0, self.minimum)
        barrier = threading.Barrier(2)
        outcomes = []

        def worker():
            with self.registry.cursor() as cr:
                self._withdrawable(cr)  # both snapshots are taken before either request
                barrier.wait(timeout=30)
                try:
                    self._request(cr, amount)
                    # a real request, then visible to the other
                    cr.commit()  # pylint: disable=invalid-commit
                    outcomes.append("paid")
                except (UserError, SerializationFailure) as error:
                    cr.rollback()
                    outcomes.append(type(error).__name__)

        threads = [threading.Thread(target=worker) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sorted(outcomes), ["UserError", "paid"])
        with self.registry.cursor() as cr:
            self.assertEqual(self._withdrawable(cr), 150.0 - amount, "never overdrawn")
