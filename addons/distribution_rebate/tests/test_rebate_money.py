"""Rebates right to the cent in the cases accountants meet (issue #27): our own documents are
never basis, a decrease after settlement is billed back, what is paid is what is frozen, accruals
at a date, definitions checked on save, explanations."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RebateCommon

Q1, Q2 = date(2025, 1, 1), date(2025, 4, 1)


@tagged("post_install", "-at_install")
class TestRebateOnRebate(RebateCommon):
    def test_own_credit_notes_are_never_basis_returns_are(self):
        """A settled rebate's credit note (and its cancellation) is no return of goods: the next
        quarter's amount and quantity bases, line count and lines behind ignore it; a genuine
        return in the same quarter still lowers them."""
        by_amount = self._agreement(rate=3.0)
        by_qty = self._agreement(basis="qty", rate=2.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        q1 = self._result(by_amount, Q1)
        with freeze_time("2025-04-10"):
            settlement = q1._settle()
            settlement.action_approve()
            q1_qty = self._result(by_qty, Q1)
            qty_settlement = q1_qty._settle()
            qty_settlement.action_approve()
        credit_note = settlement.move_id
        self.assertEqual((credit_note.move_type, credit_note.invoice_date, credit_note.amount_total),
                         ("out_refund", date(2025, 4, 10), 300.0))
        self.assertEqual(credit_note.channel_member_id, self.members["dl_hz"], "a document of the member")
        self.assertEqual(credit_note.dms_origin, "rebate_settlement")
        invoice = self._invoice("dl_hz", "2025-05-05", [(self.product_a, 5, 1000.0)])
        q2, q2_qty = self._result(by_amount, Q2), self._result(by_qty, Q2)
        self.assertEqual((q2.basis, q2.line_count, q2.amount), (5000.0, 1, 150.0))
        self.assertEqual((q2_qty.basis, q2_qty.line_count, q2_qty.amount), (5.0, 1, 10.0))
        lines = self.env["account.move.line"].search(q2.action_view_lines()["domain"])
        self.assertEqual(lines, invoice.invoice_line_ids)
        # cancelling the settlement reverses the credit note by an invoice: no sale either
        with freeze_time("2025-05-20"):
            settlement.action_cancel()
        self.assertEqual(settlement.reversal_move_id.move_type, "out_invoice")
        self.assertEqual(settlement.reversal_move_id.dms_origin, "rebate_settlement")
        self.assertEqual(self._result(by_amount, Q2).basis, 5000.0)
        # a genuine return still counts
        refund = self._invoice("dl_hz", "2025-06-01", [(self.product_a, 1, 1000.0)], refund=True)
        q2, q2_qty = self._result(by_amount, Q2), self._result(by_qty, Q2)
        self.assertEqual((q2.basis, q2.line_count, q2.amount), (4000.0, 2, 120.0))
        self.assertEqual((q2_qty.basis, q2_qty.amount), (4.0, 8.0))
        lines = self.env["account.move.line"].search(q2.action_view_lines()["domain"])
        self.assertEqual(lines, invoice.invoice_line_ids | refund.invoice_line_ids)
        # settled: the frozen lines are the invoices, not the credit note
        with freeze_time("2025-07-02"):
            q2._settle().action_approve()
        self.assertEqual(q2.frozen_line_ids, invoice.invoice_line_ids | refund.invoice_line_ids)

    def test_only_the_engines_mark_their_documents(self):
        """An accountant cannot pass a genuine return off as one of our documents (which would
        take it out of the basis and raise the rebate)."""
        refund = self._invoice("dl_hz", "2025-02-01", [(self.product_a, 1, 1000.0)], refund=True, post=False)
        accountant = new_test_user(self.env, login="money_accountant", groups="account.group_account_manager")
        with self.assertRaises(AccessError):
            refund.with_user(accountant).write({"dms_origin": "rebate_settlement"})
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(accountant).create(
                {"move_type": "out_refund", "partner_id": self.members["dl_hz"].partner_id.id,
                 "dms_origin": "rebate_settlement"}
            )


@tagged("post_install", "-at_install")
class TestRebateNetting(RebateCommon):
    def _year_agreement(self):
        return self._agreement(rebate_type="stepped_retro", period_type="year",
                               tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)])

    def test_a_decrease_after_settlement_is_billed_back(self):
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        year._settle().action_approve()  # 600.00
        self._invoice("dl_hz", "2025-10-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        year._settle().action_approve()  # 1,800.00 earned, 1,200.00 more
        # 5 units come back late: 55,000 still reaches 3%, 1,650.00; 150.00 was overpaid
        self._invoice("dl_hz", "2025-12-20", [(self.product_a, 5, 1000.0)], refund=True)
        year = self._result(agreement, date(2025, 1, 1))
        self.assertEqual((year.amount, year.amount_settled, year.amount_to_settle), (1650.0, 1800.0, -150.0))
        action = year.action_settle()
        self.assertEqual(action.get("res_model"), "distribution.rebate.settlement", action)
        debit = self.env["distribution.rebate.settlement"].browse(action["res_id"])
        self.assertEqual((debit.sequence, debit.earned_to_date, debit.previously_settled, debit.amount),
                         (3, 1650.0, 1800.0, -150.0))
        debit.action_approve()
        self.assertEqual(debit.state, "posted")
        move = debit.move_id
        self.assertEqual((move.move_type, move.amount_total, move.partner_id, move.dms_origin),
                         ("out_invoice", 150.0, self.members["dl_hz"].partner_id, "rebate_settlement"))
        self.assertEqual((year.amount_settled, year.amount_to_settle), (1650.0, 0.0))
        # the debit is no sale: the basis stays 55,000 and nothing more is due either way
        year = self._result(agreement, date(2025, 1, 1))
        self.assertEqual((year.basis, year.amount_to_settle), (55000.0, 0.0))
        self.assertFalse(year._settle())
        expense = self.env["account.move.line"].search(
            [("account_id", "=", self.expense_account.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(expense.mapped("balance")), 1650.0, "the expense is what was earned")
        # back up to 1,800.00 (an amount settled before): the 150.00 is paid again
        self._invoice("dl_hz", "2025-12-21", [(self.product_a, 5, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        again = year._settle()
        self.assertEqual((again.sequence, again.amount), (4, 150.0))

    def test_a_decrease_on_a_vendor_bill_agreement_is_a_vendor_credit_note(self):
        """Settled by vendor bills: the rebate is a bill from the member, the overpaid part a vendor
        credit note of exactly the decrease, and the expense ends at what was earned."""
        agreement = self._agreement(rebate_type="stepped_retro", period_type="year", settlement_mode="vendor_bill",
                                    tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)])
        self._invoice("dl_hz", "2025-10-10", [(self.product_a, 60, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        bill = year._settle()
        bill.action_approve()
        self.assertEqual((bill.move_id.move_type, bill.move_id.amount_total, bill.move_id.dms_origin),
                         ("in_invoice", 1800.0, "rebate_settlement"))
        self._invoice("dl_hz", "2025-12-20", [(self.product_a, 5, 1000.0)], refund=True)
        year = self._result(agreement, date(2025, 1, 1))
        self.assertEqual((year.amount, year.amount_to_settle), (1650.0, -150.0))
        back = year._settle()
        self.assertEqual((back.earned_to_date, back.previously_settled, back.amount), (1650.0, 1800.0, -150.0))
        back.action_approve()
        move = back.move_id
        self.assertEqual((move.move_type, move.amount_total, move.partner_id, move.state, move.dms_origin),
                         ("in_refund", 150.0, self.members["dl_hz"].partner_id, "posted", "rebate_settlement"))
        self.assertEqual((year.amount_settled, year.amount_to_settle), (1650.0, 0.0))
        expense = self.env["account.move.line"].search(
            [("account_id", "=", self.expense_account.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(expense.mapped("balance")), 1650.0, "the expense is what was earned")

    def test_settled_amount_and_frozen_lines_are_one_computation(self):
        """The stored result is stale (an invoice posted since): settling pays on the lines it
        freezes, both read now."""
        agreement = self._agreement(rate=3.0)
        first = self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        q1 = self._result(agreement, Q1)
        self.assertEqual(q1.amount, 300.0)
        late = self._invoice("dl_hz", "2025-03-31", [(self.product_a, 5, 1000.0), (self.product_c, 1, 100.0)])
        settlement = q1._settle()
        self.assertEqual((settlement.basis, settlement.amount), (15100.0, 453.0))
        self.assertEqual(q1.frozen_line_ids, first.invoice_line_ids | late.invoice_line_ids)
        self.assertEqual(-sum(q1.frozen_line_ids.mapped("balance")), settlement.basis)
        self.assertEqual((q1.basis, q1.amount), (15100.0, 453.0))


@tagged("post_install", "-at_install")
class TestRebateAccrualAtDate(RebateCommon):
    def test_month_end_accrual_counts_only_what_is_dated_by_then(self):
        """The cron runs on the 1st for the month that ended: an invoice dated that morning, or
        back-dated into the next weeks, is not accrued at the month end."""
        agreement = self._agreement(rate=3.0)  # quarterly
        self._invoice("dl_hz", "2025-01-31", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_hz", "2025-02-01", [(self.product_a, 5, 1000.0)])
        self._invoice("dl_hz", "2025-02-20", [(self.product_a, 1, 1000.0)], refund=True)
        with freeze_time("2025-02-01"):
            accrual = self.env["distribution.rebate.accrual"]._cron_month_end()
        accrual = self.env["distribution.rebate.accrual"].search([("agreement_id", "=", agreement.id)])
        self.assertEqual((accrual.date, accrual.amount), (date(2025, 1, 31), 300.0))
        accrued = accrual.move_id.line_ids.filtered(lambda line: line.account_id == self.accrual_account)
        self.assertEqual(accrued.credit, 300.0)
        self.assertEqual(accrual.move_id.dms_origin, "rebate_accrual")
        # a month later: everything dated in February, less a settlement paid by then
        february = self.env["distribution.rebate.accrual"]._run(date(2025, 2, 28), agreement)
        self.assertEqual(february.amount, 420.0)  # 14,000 x 3%
        q1 = agreement.computation_ids.filtered(lambda c: c.date_from == Q1)
        with freeze_time("2025-03-05"):
            q1._settle().action_approve()  # 420.00
        self._invoice("dl_hz", "2025-03-20", [(self.product_a, 2, 1000.0)])
        march = self.env["distribution.rebate.accrual"]._run(date(2025, 3, 31), agreement)
        self.assertEqual(march.amount, 60.0)  # 16,000 x 3% - 420.00

    def test_settlement_after_the_accrual_date_is_not_deducted(self):
        agreement = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        q1 = self._result(agreement, Q1)
        with freeze_time("2025-04-03"):
            q1._settle().action_approve()
        accrual = self.env["distribution.rebate.accrual"]._run(date(2025, 3, 31), agreement)
        self.assertEqual(accrual.amount, 300.0, "at March 31 nothing was settled yet")


@tagged("post_install", "-at_install")
class TestRebateDefinitions(RebateCommon):
    def test_bad_definitions_are_refused_on_save(self):
        for vals, message in (
            ({"product_domain": "[('no_such_field', '=', 1)]"}, "product filter"),
            ({"product_domain": "[('name', '=',"}, "product filter"),
            ({"product_domain": "'PC-003'"}, "product filter"),
            ({"product_domain": "[('partner_id', '=', 1)]"}, "product filter"),
            ({"rate": -1.0}, "cannot be negative"),
            ({"min_basis": -10.0}, "Minimum Basis cannot be negative"),
            ({"cap_amount": -5.0}, "Cap per Period cannot be negative"),
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                self._agreement(start=False, **vals)
        agreement = self._agreement(product_domain="[('default_code', '=like', 'PC-%')]")
        with self.assertRaisesRegex(ValidationError, "product filter"):
            agreement.product_domain = "[('categ_id.no_such_field', '=', 1)]"
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0), (self.product_c, 3, 100.0)])
        self.assertEqual(self._result(agreement, Q1).basis, 300.0)

    def test_one_broken_agreement_never_stops_the_others(self):
        good = self._agreement(rate=3.0)
        broken = self._agreement(rate=2.0, member_id=self.members["dl_nj"].id)
        # a filter broken after it was saved (a field removed by an upgrade): written behind the ORM
        self.env.cr.execute(
            "UPDATE distribution_rebate_agreement SET product_domain = %s WHERE id = %s",
            ["[('x_removed_field', '=', 1)]", broken.id],
        )
        broken.invalidate_recordset()
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_nj", "2025-01-15", [(self.product_a, 10, 1000.0)])
        with freeze_time("2025-02-01"):
            self.env["distribution.rebate.agreement"]._cron_compute()
            self.env["distribution.rebate.accrual"]._cron_month_end()
        self.assertEqual(good.computation_ids.filtered(lambda c: c.date_from == Q1).amount, 300.0)
        self.assertEqual(self.env["distribution.rebate.accrual"].search([("agreement_id", "=", good.id)]).amount, 300.0)
        self.assertFalse(broken.computation_ids)
        self.assertFalse(self.env["distribution.rebate.accrual"].search([("agreement_id", "=", broken.id)]))
        self.assertIn("product filter", broken.computation_problem)
        self.assertFalse(good.computation_problem)
        activity = broken.activity_ids
        self.assertEqual(len(activity), 1, "told once, not at every run")
        self.assertEqual(activity.user_id, broken.user_id)
        # repaired: computed, and the note is gone
        broken.product_domain = "[('default_code', '=like', 'PA%')]"
        self.env["distribution.rebate.agreement"]._cron_compute()
        self.assertFalse(broken.computation_problem)

    def test_an_accrual_that_fails_is_reported_the_others_accrued(self):
        good = self._agreement(rate=3.0)
        no_accounts = self._agreement(rate=2.0, member_id=self.members["dl_nj"].id)
        no_accounts.write({"journal_id": False})
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_nj", "2025-01-15", [(self.product_a, 10, 1000.0)])
        accruals = self.env["distribution.rebate.accrual"]._run(date(2025, 1, 31), good | no_accounts)
        self.assertEqual(accruals.agreement_id, good)
        self.assertIn("accrual journal", no_accounts.computation_problem)
        self.assertTrue(no_accounts.activity_ids)


@tagged("post_install", "-at_install")
class TestRebateExplanations(RebateCommon):
    def test_explanations_say_what_happened(self):
        plain = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 1, 1000.0)], refund=True)
        q1 = self._result(plain, Q1)
        self.assertEqual((q1.basis, q1.amount), (-1000.0, 0.0))
        self.assertIn("Negative basis", q1.explanation)
        self.assertNotIn("minimum", q1.explanation)
        self._invoice("dl_hz", "2025-01-20", [(self.product_a, 1, 1000.0)])
        q1 = self._result(plain, Q1)
        self.assertIn("No net sales in the period", q1.explanation)
        self.assertNotIn("minimum", q1.explanation)
        minimum = self._agreement(rate=3.0, min_basis=5000.0)
        self._invoice("dl_hz", "2025-02-01", [(self.product_a, 2, 1000.0)])
        self.assertIn("under the minimum of", self._result(minimum, Q1).explanation)
        self.assertNotIn("minimum", self._result(plain, Q1).explanation)

    def test_growth_explanations(self):
        agreement = self._agreement(rebate_type="growth", rate=5.0)
        self._invoice("dl_hz", "2024-02-01", [(self.product_a, 2, 1000.0)])
        self._invoice("dl_hz", "2024-03-01", [(self.product_a, 3, 1000.0)], refund=True)  # net -1,000 in Q1 2024
        self._invoice("dl_hz", "2025-02-01", [(self.product_a, 4, 1000.0)])
        self._invoice("dl_hz", "2025-05-01", [(self.product_a, 4, 1000.0)])
        q1 = self._result(agreement, Q1)
        # no growth of 5,000 over a negative year: no sales to grow from
        self.assertEqual((q1.basis, q1.has_reference, q1.amount), (4000.0, False, 0.0))
        self.assertIn("No net sales in the same period last year", q1.explanation)
        q2 = self._result(agreement, Q2)
        self.assertIn("No sales in the same period last year", q2.explanation)
        target = self._agreement(rebate_type="growth", rate=5.0, growth_reference="target", growth_target=8000.0)
        self.assertIn("No growth over the reference basis of 8,000.00", self._result(target, Q2).explanation)
