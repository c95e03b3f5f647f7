from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.distribution_approval.tests.bypass import ApprovalBypassMixin

from ..models import distribution_rebate_computation_basis as rebate_computation
from ..models.distribution_rebate_settlement import SETTLEMENT_LOCK
from .common import RebateCommon

Q1, Q2 = date(2025, 1, 1), date(2025, 4, 1)


@tagged("post_install", "-at_install")
class TestRebateTypes(RebateCommon):
    """Every rebate type against amounts computed by hand."""

    def test_flat_percentage_with_refund(self):
        agreement = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_hz", "2025-03-20", [(self.product_c, 25, 100.0)])
        self._invoice("dl_hz", "2025-03-25", [(self.product_a, 1, 1000.0)], refund=True)
        self._invoice("dl_nj", "2025-02-01", [(self.product_a, 50, 1000.0)])  # another member
        self._invoice("dl_hz", "2025-04-02", [(self.product_a, 1, 1000.0)])  # next quarter
        q1 = self._result(agreement, Q1)
        # 10,000 + 2,500 - 1,000 = 11,500 x 3% = 345.00
        self.assertEqual(q1.basis, 11500.0)
        self.assertEqual(q1.line_count, 3)
        self.assertEqual(q1.amount, 345.0)
        self.assertEqual(self._result(agreement, Q2).amount, 30.0)
        self.assertEqual(len(agreement.computation_ids), 4, "one result per quarter")

    def test_flat_per_unit(self):
        agreement = self._agreement(basis="qty", rate=2.5)
        self._invoice("dl_hz", "2025-02-10", [(self.product_a, 100, 1000.0), (self.product_c, 20, 100.0)])
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 10, 1000.0)], refund=True)
        q1 = self._result(agreement, Q1)
        self.assertEqual(q1.basis, 110.0)
        self.assertEqual(q1.amount, 275.0)  # 110 units x 2.50

    def test_stepped_retroactive_and_next_tier(self):
        agreement = self._agreement(rebate_type="stepped_retro", tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)])
        self._invoice("dl_hz", "2025-01-20", [(self.product_a, 30, 1000.0)])
        q1 = self._result(agreement, Q1)
        self.assertEqual((q1.basis, q1.tier_reached, q1.rate, q1.amount), (30000.0, 10000.0, 2.0, 600.0))
        # 20,000 more reach 50,000, where the whole basis earns 3%: 1,500.00
        self.assertEqual((q1.next_threshold, q1.next_missing, q1.next_amount), (50000.0, 20000.0, 1500.0))
        self._invoice("dl_hz", "2025-02-20", [(self.product_a, 30, 1000.0)])
        q1 = self._result(agreement, Q1)
        self.assertEqual((q1.basis, q1.amount, q1.next_threshold), (60000.0, 1800.0, 0.0))

    def test_stepped_progressive(self):
        agreement = self._agreement(rebate_type="stepped_progressive", tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)])
        self._invoice("dl_hz", "2025-01-20", [(self.product_a, 60, 1000.0)])
        q1 = self._result(agreement, Q1)
        # 10,000 x 1% + 40,000 x 2% + 10,000 x 3% = 100 + 800 + 300
        self.assertEqual(q1.amount, 1200.0)

    def test_growth_over_last_year(self):
        agreement = self._agreement(rebate_type="growth", rate=5.0)
        self._invoice("dl_hz", "2024-02-01", [(self.product_a, 20, 1000.0)])
        self._invoice("dl_hz", "2025-02-01", [(self.product_a, 26, 1000.0)])
        self._invoice("dl_hz", "2025-05-01", [(self.product_a, 10, 1000.0)])  # Q2 2024 had nothing
        q1 = self._result(agreement, Q1)
        self.assertEqual((q1.basis, q1.basis_reference, q1.amount), (26000.0, 20000.0, 300.0))
        q2 = self._result(agreement, Q2)
        self.assertEqual(q2.basis, 10000.0)
        self.assertFalse(q2.has_reference)
        self.assertEqual(q2.amount, 0.0)
        self.assertIn("last year", q2.explanation)

    def test_growth_over_target(self):
        agreement = self._agreement(rebate_type="growth", rate=5.0, growth_reference="target", growth_target=8000.0)
        self._invoice("dl_hz", "2025-05-01", [(self.product_a, 10, 1000.0)])
        self.assertEqual(self._result(agreement, Q2).amount, 100.0)  # (10,000 - 8,000) x 5%

    def test_minimum_and_cap(self):
        agreement = self._agreement(rate=10.0, min_basis=5000.0, cap_amount=400.0)
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 4, 1000.0)])
        q1 = self._result(agreement, Q1)
        self.assertEqual(q1.amount, 0.0)
        self.assertEqual((q1.next_threshold, q1.next_amount), (5000.0, 400.0))  # 500 capped at 400
        self._invoice("dl_hz", "2025-02-10", [(self.product_a, 2, 1000.0)])
        self.assertEqual(self._result(agreement, Q1).amount, 400.0)  # 600 capped

    def test_overdue_voids_or_reduces(self):
        void = self._agreement(rate=10.0, overdue_action="void")
        reduce = self._agreement(rate=10.0, overdue_action="reduce", overdue_reduce_percent=25.0)
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 5, 1000.0)], due="2025-02-10")
        self.assertEqual(self._result(void, Q1).amount, 0.0)
        reduced = self._result(reduce, Q1)
        self.assertEqual((reduced.amount_before_conditions, reduced.amount), (500.0, 375.0))
        self.assertEqual(reduced.overdue_amount, 5000.0)
        # paid: no condition any more
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.env["account.move"].search(
                [("invoice_date", "=", "2025-01-10"), ("channel_member_id", "=", self.members["dl_hz"].id)]).ids
        ).create({"payment_date": "2025-03-01"})._create_payments()
        self.assertEqual(self._result(void, Q1).amount, 500.0)

    def test_multi_currency_at_invoice_date(self):
        eur = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0), ("2025-02-15", 4.0)])
        agreement = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-20", [(self.product_a, 1, 1000.0)], currency=eur)  # 500.00
        self._invoice("dl_hz", "2025-03-01", [(self.product_a, 1, 1000.0)], currency=eur)  # 250.00
        q1 = self._result(agreement, Q1)
        self.assertEqual(q1.basis, 750.0)
        self.assertEqual(q1.amount, 22.5)

    def test_product_and_category_filter(self):
        categ = self.env["product.category"].create({"name": "Drinks"})
        self.product_c.categ_id = categ
        agreement = self._agreement(rate=10.0, categ_ids=[(6, 0, categ.ids)])
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 5, 1000.0), (self.product_c, 7, 100.0)])
        q1 = self._result(agreement, Q1)
        self.assertEqual((q1.basis, q1.amount, q1.line_count), (700.0, 70.0, 1))

    def test_one_run_mixes_filters_periods_and_summing_paths(self):
        """Several product filters and a custom (day-bounded) period in one run: the lines are summed
        per day segment and filter bit; with more filters than bits, per product. Both give the
        same figures, to the cent."""
        categ = self.env["product.category"].create({"name": "Drinks"})
        self.product_c.categ_id = categ
        everything = self._agreement(rate=1.0)
        drinks = self._agreement(rate=10.0, categ_ids=[(6, 0, categ.ids)])
        product_a = self._agreement(rate=2.0, product_ids=[(6, 0, self.product_a.ids)])
        fair = self._agreement(rate=5.0, period_type="custom", date_start=date(2025, 3, 10), date_end=date(2025, 3, 20))
        self._invoice("dl_hz", "2025-03-09", [(self.product_a, 1, 1000.0), (self.product_c, 1, 100.0)])
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 2, 1000.0), (self.product_c, 3, 100.0)])
        self._invoice("dl_hz", "2025-03-20", [(self.product_c, 1, 100.0)], refund=True)
        self._invoice("dl_hz", "2025-03-21", [(self.product_a, 4, 1000.0)])
        agreements = everything | drinks | product_a | fair
        expected = {
            everything: (7300.0, 73.0, 6),  # 1,100 + 2,300 - 100 + 4,000
            drinks: (300.0, 30.0, 3),  # 100 + 300 - 100
            product_a: (7000.0, 140.0, 3),
            fair: (2200.0, 110.0, 3),  # 10 to 20 March: 2,300 - 100
        }
        Computation = self.env["distribution.rebate.computation"]
        # bit masks; per product (too many filters; product ids too spread for the mask array)
        for limits in ({"MAX_FILTER_BITS": 16}, {"MAX_FILTER_BITS": 0}, {"MAX_MASK_SPAN": 1}):
            with patch.multiple(rebate_computation, **limits):
                Computation._compute_agreements(agreements, up_to=date(2025, 12, 31))
            for agreement, figures in expected.items():
                first = agreement.computation_ids.sorted("date_from")[0]
                self.assertEqual((first.basis, first.amount, first.line_count), figures, (limits, agreement))

    def test_lines_carry_the_member_and_invoice_type(self):
        """The engine reads the member and the invoice type on the lines: they follow the invoice
        (and its partner while in draft); lines older than the addon get them from their invoice."""
        agreement = self._agreement(rate=10.0)
        draft = self._invoice("dl_hz", "2025-01-10", [(self.product_a, 2, 1000.0)], post=False)
        refund = self._invoice("dl_hz", "2025-01-12", [(self.product_a, 1, 100.0)], refund=True)
        self.assertEqual(draft.invoice_line_ids.channel_member_id, self.members["dl_hz"])
        self.assertEqual((draft.invoice_line_ids.move_type, refund.invoice_line_ids.move_type),
                         ("out_invoice", "out_refund"))
        # invoiced to another member before it is posted: every line follows
        draft.partner_id = self.members["dl_nj"].partner_id
        draft.action_post()
        self.assertEqual(draft.line_ids.channel_member_id, self.members["dl_nj"])
        self.assertEqual(self._result(agreement, Q1).basis, -100.0)
        other = self._agreement(rate=10.0, member_id=self.members["dl_nj"].id)
        self.assertEqual(self._result(other, Q1, member="dl_nj").basis, 2000.0)
        # lines written before the addon was installed: the install fills them from their invoices
        lines = (draft | refund).line_ids
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move_line SET channel_member_id = NULL, move_type = NULL WHERE id IN %s", [tuple(lines.ids)]
        )
        self.env.invalidate_all()
        self.assertFalse(lines.channel_member_id)
        # an update after a reinstall: only the lines without a type
        self.env.cr.execute("UPDATE account_move_line SET move_type = 'entry' WHERE id IN %s", [tuple(refund.line_ids.ids)])
        self.env["account.move.line"]._fill_rebate_columns(only_untyped=True)
        self.env.invalidate_all()
        self.assertEqual(set(refund.line_ids.mapped("move_type")), {"entry"})
        self.assertEqual(draft.line_ids.channel_member_id, self.members["dl_nj"])
        self.env["account.move.line"]._fill_rebate_columns()
        self.env.invalidate_all()
        self.assertEqual(
            {(line.move_id, line.channel_member_id, line.move_type) for line in lines},
            {(draft, self.members["dl_nj"], "out_invoice"), (refund, self.members["dl_hz"], "out_refund")},
        )

    def test_basis_query_is_answered_by_the_rebate_index(self):
        """Everything the basis query reads of the lines is in the lines' rebate index, whose
        predicate its WHERE clause implies: with only index-only scans allowed, PostgreSQL reads that
        index (a new column in the query, or a filter that no longer implies the predicate, would
        make it read the table). Amount and quantity bases, with and without product filters."""
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 2, 1000.0), (self.product_c, 1, 100.0)])
        self._invoice("dl_hz", "2025-01-12", [(self.product_a, 1, 1000.0)], refund=True)
        agreements = self._agreement(rate=1.0) | self._agreement(
            rate=2.0, basis="qty", product_ids=[(6, 0, self.product_a.ids)]
        )
        Computation = self.env["distribution.rebate.computation"]
        requests = [(scope[:3], *scope) for scope in Computation._scopes(agreements, date(2025, 12, 31))]
        # and members by the hundred: PostgreSQL proves a long list of members non-null another way
        agreement_id = agreements[0].id
        requests += [((agreement_id, member_id, Q1), agreement_id, member_id, Q1, date(2025, 3, 31))
                     for member_id in range(10**6, 10**6 + 150)]
        products = agreements._product_ids_by_agreement()
        cr = self.env.cr
        for limits in ({"MAX_FILTER_BITS": 16}, {"MAX_FILTER_BITS": 0}):  # bit masks; per product
            with patch.multiple(rebate_computation, **limits):
                query, layout = Computation._basis_query(requests, products, ("amount", "qty"))
            self.assertEqual(layout["by_product"], not limits["MAX_FILTER_BITS"])
            cr.execute(rebate_computation.BASIS_QUERY_SETTINGS)
            cr.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off")
            cr.execute(SQL("EXPLAIN %s", query))
            plan = "\n".join(row[0] for row in cr.fetchall())
            cr.execute(rebate_computation.BASIS_QUERY_RESET)
            cr.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_bitmapscan TO DEFAULT; "
                       "SET LOCAL enable_indexscan TO DEFAULT")
            self.assertIn("Index Only Scan using account_move_line_rebate_basis_idx", plan, plan)
        results = Computation._compute_agreements(agreements, up_to=date(2025, 12, 31))
        q1 = results.filtered(lambda c: c.date_from == Q1).sorted(lambda c: c.agreement_id.id)
        # amount: 2,000 + 100 - 1,000 (3 lines); quantity of product A: 2 - 1 (2 lines)
        self.assertEqual([(c.basis, c.line_count) for c in q1], [(1100.0, 3), (1.0, 2)])

    def test_figures_changed_on_ignores_the_wording(self):
        """"Figures Changed On" is when the figures last changed: a run whose explanation only reads
        differently (another user's language) rewrites the explanation, not that date; a new
        invoice in the period moves it."""
        agreement = self._agreement(rate=10.0)
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 1, 1000.0)])
        q1 = self._result(agreement, Q1)
        self.env.cr.execute(
            "UPDATE distribution_rebate_computation SET computed_on = '2025-01-01 00:00:00' WHERE id = %s", [q1.id]
        )
        self.env.invalidate_all()
        Computation = type(self.env["distribution.rebate.computation"])
        templates = Computation._explanation_templates

        def other_words(model):
            return templates(model) | {"main": "基数 %(basis)s %(unit)s；比例 %(rate)s；返利 %(earned)s。"}

        with patch.object(Computation, "_explanation_templates", other_words):
            self._compute(agreement)
        self.assertTrue(q1.explanation.startswith("基数 1,000.00"), q1.explanation)
        self.assertEqual((q1.amount, q1.computed_on), (100.0, datetime(2025, 1, 1)))
        self._invoice("dl_hz", "2025-01-11", [(self.product_a, 1, 500.0)])
        self._compute(agreement)
        self.assertEqual(q1.amount, 150.0)
        self.assertGreater(q1.computed_on, datetime(2025, 1, 1))

    def test_day_segments(self):
        segments = rebate_computation.day_segments
        # a year and its second quarter: cut at 1 April and 1 July
        points, days = segments([(date(2025, 1, 1), date(2025, 12, 31)), (Q2, date(2025, 6, 30))])
        self.assertEqual(points, [date(2025, 1, 1), Q2, date(2025, 7, 1), date(2026, 1, 1)])
        self.assertEqual((len(days), days[0], days[89], days[90], days[180], days[181], days[-1]), (365, 1, 1, 2, 2, 3, 3))
        # a custom period inside a quarter; last year's February of a leap year (29 days)
        points, days = segments([(date(2025, 3, 10), date(2025, 3, 20)), (Q1, date(2025, 3, 31)),
                                 (date(2024, 2, 1), date(2024, 2, 29))])
        self.assertEqual(points, [date(2024, 2, 1), date(2024, 3, 1), Q1, date(2025, 3, 10), date(2025, 3, 21),
                                  date(2025, 4, 1)])
        self.assertEqual(days.count(1), 29)
        self.assertEqual(days.count(2), 306)  # 1 March 2024 to 31 December 2024: no period, one segment
        self.assertEqual((days.count(3), days.count(4), days.count(5)), (68, 11, 11))

    def test_tier_scope_covers_each_member(self):
        agreement = self._agreement(scope="tier", member_id=False, tier_id=self.tier_dl.id, rate=1.0)
        self._invoice("dl_hz", "2025-01-10", [(self.product_a, 5, 1000.0)])
        self._invoice("dl_nj", "2025-01-11", [(self.product_a, 7, 1000.0)])
        self._compute(agreement)
        by_member = {c.member_id: c.amount for c in agreement.computation_ids if c.date_from == Q1}
        self.assertEqual(by_member, {self.members["dl_hz"]: 50.0, self.members["dl_nj"]: 70.0})

    def test_definition_checks(self):
        with self.assertRaisesRegex(ValidationError, "needs tiers"):
            self._agreement(start=False, rebate_type="stepped_retro")
        with self.assertRaisesRegex(ValidationError, "choose the"):
            self._agreement(start=False, member_id=False)

    def test_contributing_lines(self):
        agreement = self._agreement(rate=3.0)
        invoice = self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0), (self.product_c, 1, 100.0)])
        q1 = self._result(agreement, Q1)
        action = q1.action_view_lines()
        lines = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(lines, invoice.invoice_line_ids)
        self.assertEqual(-sum(lines.mapped("balance")), q1.basis)


@tagged("post_install", "-at_install")
class TestRebateSettlement(RebateCommon, ApprovalBypassMixin):
    def _year_agreement(self):
        return self._agreement(rebate_type="stepped_retro", period_type="year",
                               tiers=[(0, 1.0), (10000, 2.0), (50000, 3.0)])

    def test_partial_settlements_are_netted(self):
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1), up_to=date(2025, 6, 30))
        self.assertEqual(year.amount, 600.0)
        first = year._settle()
        self.assertEqual(first.amount, 600.0)
        first.action_approve()
        self.assertEqual(first.state, "posted")
        self.assertEqual(first.move_id.move_type, "out_refund")
        self.assertEqual(first.move_id.amount_total, 600.0)
        self.assertEqual(first.move_id.partner_id, self.members["dl_hz"].partner_id)
        # the retroactive 3% tier is reached late in the year: the difference is paid
        self._invoice("dl_hz", "2025-10-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        self.assertEqual((year.amount, year.amount_settled, year.amount_to_settle), (1800.0, 600.0, 1200.0))
        second = year._settle()
        self.assertEqual((second.earned_to_date, second.previously_settled, second.amount), (1800.0, 600.0, 1200.0))
        second.action_approve()
        self.assertEqual(second.move_id.amount_total, 1200.0)
        self.assertEqual(year.amount_to_settle, 0.0)
        # running it again creates nothing
        self.assertFalse(year._settle())
        self.assertEqual(len(year.settlement_ids), 2)
        # the rebate expense booked by the credit notes is what was earned
        expense = self.env["account.move.line"].search(
            [("account_id", "=", self.expense_account.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(expense.mapped("balance")), 1800.0)
        # the basis lines are frozen at settlement
        self.assertEqual(len(year.frozen_line_ids), 2)

    def test_open_settlement_not_doubled_and_duplicate_refused(self):
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        settlement = year._settle()
        self.assertFalse(year._settle(), "a settlement waiting for approval is not doubled")
        # the database refuses a second document for the same amount
        with self.assertRaises(Exception), mute_logger("odoo.sql_db"):  # noqa: B017 -- psycopg2 unique violation
            with self.env.cr.savepoint():
                self.env["distribution.rebate.settlement"].create(
                    {"computation_id": year.id, "earned_to_date": 600.0, "amount": 600.0}
                )
        self.assertEqual(settlement.state, "draft")

    def test_concurrent_settlement_refused(self):
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SETTLEMENT_LOCK, year.id])
            with self.assertRaisesRegex(UserError, "being settled by someone else"):
                year._settle()
            other.rollback()
        self.assertTrue(year._settle())

    def test_cancel_reverses_the_credit_note(self):
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        year = self._result(agreement, date(2025, 1, 1))
        settlement = year._settle()
        settlement.action_approve()
        settlement.action_cancel()
        self.assertEqual(settlement.state, "cancelled")
        self.assertEqual(settlement.reversal_move_id.reversed_entry_id, settlement.move_id)
        self.assertEqual(settlement.move_id.amount_residual, 0.0, "the credit note is reconciled with its reversal")
        self.assertEqual(settlement.reversal_move_id.amount_total, 600.0)
        self.assertEqual(year.amount_settled, 0.0)
        again = year._settle()
        self.assertEqual(again.amount, 600.0, "a cancelled settlement can be made again")

    def test_settlement_goes_through_approval_rules(self):
        self.env["tier.definition"].create(
            {"name": "Finance checks rebates",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_settlement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        settlement = self._result(agreement, date(2025, 1, 1))._settle()
        self.assertEqual(settlement.validation_status, "pending")
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            settlement.action_approve()
        with self.assertRaises(ValidationError):
            settlement.write({"state": "posted"})
        settlement.with_user(self.channel_user).validate_tier()
        self.assertEqual(settlement.state, "posted")
        self.assertTrue(settlement.move_id)

    def test_settlement_rejected_is_cancelled_and_settled_again(self):
        """The reviewer refuses a settlement: it is Cancelled with no credit note, his reason in its
        chatter for whoever asked; the period is free, and the next run settles it again."""
        self.env["tier.definition"].create(
            {"name": "Finance checks rebates",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_settlement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement = self._year_agreement()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        computation = self._result(agreement, date(2025, 1, 1))
        settlement = computation.with_user(self.channel_manager)._settle().with_env(self.env)
        self.assertEqual(settlement.validation_status, "pending")
        amount = settlement.amount
        review = settlement.review_ids
        action = settlement.with_user(self.channel_user).reject_tier()
        self.env["comment.wizard"].with_user(self.channel_user).with_context(**action["context"]).create(
            {"comment": "Invoices of March are disputed"}
        ).add_comment()
        self.assertEqual(
            (settlement.state, settlement.validation_status, settlement.amount, review.done_by),
            ("cancelled", "rejected", amount, self.channel_user),
        )
        self.assertEqual(settlement.review_ids, review, "the review stays: who refused, and why")
        self.assertFalse(settlement.move_id, "nothing credited")
        self.assertEqual(computation.amount_settled, 0.0)
        note = settlement.message_ids.filtered(lambda m: "Invoices of March are disputed" in (m.body or ""))
        self.assertIn(self.channel_manager.partner_id, note.partner_ids, "whoever asked is told")
        with self.assertRaises(UserError):
            settlement.with_user(self.channel_user).validate_tier()
        again = computation._settle()
        self.assertEqual((again.amount, again.state, again.validation_status), (amount, "draft", "pending"))
        self.assertNotEqual(again, settlement)

    def test_accrual_balances_reverses_and_runs_once(self):
        agreement = self._agreement(rate=3.0)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_nj", "2025-01-15", [(self.product_a, 10, 1000.0)])  # not in the agreement
        accrual = self.env["distribution.rebate.accrual"]._run(date(2025, 1, 31), agreement)
        self.assertEqual(accrual.amount, 300.0)
        move = accrual.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        accrued = move.line_ids.filtered(lambda line: line.account_id == self.accrual_account)
        self.assertEqual((accrued.credit, accrued.partner_id), (300.0, self.members["dl_hz"].partner_id))
        self.assertEqual(accrual.reversal_move_id.date, date(2025, 2, 1))
        self.assertFalse(self.env["distribution.rebate.accrual"]._run(date(2025, 1, 31), agreement))
        # after settlement, nothing is left to accrue for the quarter
        q1 = agreement.computation_ids.filtered(lambda c: c.date_from == Q1)
        with freeze_time("2025-02-10"):  # settled before the next accrual date
            q1._settle().action_approve()
        february = self.env["distribution.rebate.accrual"]._run(date(2025, 2, 28), agreement)
        self.assertEqual(february.amount, 0.0)
        self.assertFalse(february.move_id)
        # accrued liability nets to zero once reversed
        liability = self.env["account.move.line"].search(
            [("account_id", "=", self.accrual_account.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(liability.mapped("balance")), 0.0)

    def test_agreement_approval_rule(self):
        self.env["tier.definition"].create(
            {"name": "Channel user checks agreements",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_agreement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement = self._agreement(start=False)
        agreement.action_approve()
        self.assertEqual(agreement.state, "draft")
        agreement.with_user(self.channel_user).validate_tier()
        self.assertEqual(agreement.state, "approved")

    def test_agreement_rejected_stays_draft_to_be_changed(self):
        """The reviewer refuses an agreement: it stays a Draft (nothing starts or accrues), his reason
        in its chatter for the requester; changed and sent again, the rules apply anew."""
        self.env["tier.definition"].create(
            {"name": "Channel user checks agreements",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_agreement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement = self._agreement(start=False, rate=5.0)
        agreement.with_user(self.channel_manager).action_approve()
        review = agreement.review_ids
        agreement.with_user(self.channel_user)._dms_reject("5% is more than the budget")
        self.assertEqual((agreement.state, agreement.validation_status, review.status, review.done_by),
                         ("draft", "rejected", "rejected", self.channel_user))
        note = agreement.message_ids.filtered(lambda m: "5% is more than the budget" in (m.body or ""))
        self.assertIn(self.channel_manager.partner_id, note.partner_ids, "the requester is told")
        with self.assertRaisesRegex(UserError, "rejected"):
            agreement.with_user(self.channel_manager).action_approve()
        with self.assertRaises(UserError):
            agreement.with_user(self.channel_manager).action_start()
        self.assertEqual(agreement.state, "draft")
        # refused, its terms stay as they were until the validation is restarted (OCA)
        with self.assertRaises(ValidationError):
            agreement.with_user(self.channel_manager).write({"rate": 3.0})
        agreement.with_user(self.channel_manager).restart_validation()
        agreement.with_user(self.channel_manager).write({"rate": 3.0})
        agreement.with_user(self.channel_manager).action_approve()
        self.assertEqual((agreement.state, agreement.validation_status), ("draft", "pending"))
        agreement.with_user(self.channel_user).validate_tier()
        self.assertEqual((agreement.state, agreement.rate), ("approved", 3.0))

    def test_agreement_and_settlement_cannot_be_got_around(self):
        """Issue #25: the ways around an approval, on agreements and settlements."""
        Rule = self.env["tier.definition"]
        Rule.create(
            {"name": "Channel user checks agreements",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_agreement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement = self._agreement(start=False, tiers=[(0, 1.0), (10000, 2.0)])
        agreement.action_approve()
        review = agreement.review_ids
        self.assertEqual(review.status, "pending")
        for user in (self.channel_manager, self.users["dl_hz"]):
            with self.assertRaises(AccessError):
                review.with_user(user).write({"reviewer_ids": [Command.set(user.ids)]})
            with self.assertRaises(AccessError):
                review.with_user(user).unlink()
        # the terms cannot change while waiting, even with OCA's switch in the context
        with self.assertRaises(ValidationError):
            agreement.with_user(self.channel_manager).with_context(skip_validation_check=True).write({"rate": 9.0})
        with self.assertRaisesRegex(ValidationError, "waiting for approval"):
            agreement.tier_line_ids[:1].with_user(self.channel_manager).write({"rate": 9.0})
        agreement.with_user(self.channel_user).validate_tier()
        self.assertEqual(agreement.state, "approved")
        # approved terms are frozen (a lower rate is not "within" for rebate terms either)
        with self.assertRaisesRegex(ValidationError, "Channel user checks agreements"):
            agreement.with_user(self.channel_manager).write({"rate": 9.0})
        with self.assertRaisesRegex(ValidationError, "Channel user checks agreements"):
            agreement.tier_line_ids[:1].with_user(self.channel_manager).write({"rate": 0.5})
        self.assertEqual((agreement.rate, agreement.tier_line_ids.mapped("rate")), (3.0, [1.0, 2.0]))

        Rule.create(
            {"name": "Finance checks rebates",
             "model_id": self.env.ref("distribution_rebate.model_distribution_rebate_settlement").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        agreement.action_start()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        settlement = self._result(agreement, date(2025, 1, 1))._settle()
        self.assertEqual(settlement.validation_status, "pending")
        amount = settlement.amount
        with self.assertRaises(AccessError):
            settlement.review_ids.with_user(self.channel_manager).unlink()
        with self.assertRaises(ValidationError):
            settlement.with_user(self.channel_manager).with_context(skip_validation_check=True).write(
                {"amount": amount * 10}
            )
        with self.assertRaises(ValidationError):
            settlement.with_user(self.channel_manager).with_context(skip_validation_check=True).write(
                {"state": "posted"}
            )
        self.assertEqual((settlement.amount, settlement.state), (amount, "draft"))
        # portal users: the settled member itself and one outside its subtree
        review = settlement.review_ids
        now = fields.Datetime.now()
        for key in ("dl_hz", "dl_nj"):
            portal = self.users[key]
            attempts = {
                "validate": lambda p=portal: settlement.with_user(p).validate_tier(),
                "approve (portal path)": lambda p=portal: settlement.with_user(p)._dms_approve(),
                "add himself as reviewer": lambda p=portal: review.with_user(p).write(
                    {"reviewer_ids": [Command.link(p.id)]}),
                "approve the review": lambda p=portal: review.with_user(p).write({"status": "approved"}),
                "delete the review": lambda p=portal: review.with_user(p).unlink(),
                "forge a review": lambda p=portal: self.env["tier.review"].with_user(p).create(
                    {"model": settlement._name, "res_id": settlement.id, "definition_id": review.definition_id.id,
                     "status": "approved"}),
                "delegate the reviewer's approvals to himself": lambda p=portal: self.env[
                    "distribution.approval.delegation"].with_user(p).create(
                    {"user_id": self.channel_user.id, "delegate_id": p.id, "date_from": now,
                     "date_to": fields.Datetime.add(now, days=2)}),
                "raise the amount": lambda p=portal: settlement.with_user(p).with_context(
                    skip_validation_check=True).write({"amount": amount * 10}),
            }
            for name, attempt in attempts.items():
                with self.assertRaises(AccessError, msg=f"{key}: {name}"):
                    attempt()
        self.assertEqual((review.status, review.reviewer_ids), ("pending", self.channel_user))
        settlement.with_user(self.channel_user).validate_tier()
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.move_id.amount_total, amount)

    def test_no_way_around_pending_agreement_and_settlement(self):
        """The catalogue of ways around a pending review (distribution_approval/tests/bypass.py) on a
        rebate agreement and on its settlement: as the channel manager who asked (one of the
        reviewers' group, never his own reviewer), as a salesman and as the member's portal user."""
        group = self.env["res.groups"].create(
            {"name": "Rebate reviewers", "user_ids": [Command.set((self.channel_manager | self.channel_user).ids)]}
        )
        for model in ("distribution_rebate.model_distribution_rebate_agreement",
                      "distribution_rebate.model_distribution_rebate_settlement"):
            self.env["tier.definition"].create(
                {"name": "Second person checks rebates", "model_id": self.env.ref(model).id,
                 "review_type": "group", "reviewer_group_id": group.id, "definition_domain": "[]"}
            )
        salesman = new_test_user(self.env, login="reb_salesman", groups="sales_team.group_sale_salesman")
        attackers = self.channel_manager | salesman | self.users["dl_hz"]
        agreement = self._agreement(start=False, tiers=[(0, 1.0), (10000, 2.0)], rebate_type="stepped_retro")
        agreement.with_user(self.channel_manager).action_approve()
        self.assertEqual(agreement.review_ids.reviewer_ids, self.channel_user, "not the requester himself")
        self._assert_no_bypass(
            agreement, self.channel_user, attackers,
            figures={"rate": 9.0, "date_end": date(2026, 12, 31), "member_id": self.members["dl_nj"].id},
            lines=agreement.tier_line_ids, line_figures={"rate": 9.0},
        )
        agreement.with_user(self.channel_user).validate_tier()
        self.assertEqual(agreement.state, "approved")
        agreement.action_start()
        self._invoice("dl_hz", "2025-03-10", [(self.product_a, 30, 1000.0)])
        settlement = self._result(agreement, date(2025, 1, 1)).with_user(self.channel_manager)._settle()
        settlement = settlement.with_env(self.env)
        amount = settlement.amount
        self.assertEqual(settlement.review_ids.reviewer_ids, self.channel_user)
        self._assert_no_bypass(
            settlement, self.channel_user, attackers,
            figures={"amount": amount * 10, "previously_settled": -amount},
        )
        settlement.with_user(self.channel_user).validate_tier()
        self.assertEqual((settlement.state, settlement.move_id.amount_total), ("posted", amount))


@tagged("post_install", "-at_install")
class TestRebatePortal(RebateCommon):
    def test_portal_isolation(self):
        agreement = self._agreement(rate=3.0)
        other = self._agreement(rate=2.0, member_id=self.members["dl_nj"].id)
        self._invoice("dl_hz", "2025-01-15", [(self.product_a, 10, 1000.0)])
        self._invoice("dl_nj", "2025-01-15", [(self.product_a, 10, 1000.0)])
        mine = self._result(agreement, Q1)
        theirs = self._result(other, Q1, member="dl_nj")
        settlement = mine._settle()
        settlement.action_approve()
        hz, nj = self.users["dl_hz"], self.users["dl_nj"]
        self.assertEqual(mine.with_user(hz).amount, 300.0)
        self.assertEqual(agreement.with_user(hz).name, "Test rebate")
        self.assertEqual(settlement.with_user(hz).move_id, settlement.move_id)
        for record in (theirs, other):
            with self.assertRaises(AccessError):
                record.with_user(hz).read(["name" if record._name.endswith("agreement") else "amount"])
        for record in (mine, agreement, settlement):
            with self.assertRaises(AccessError):
                record.with_user(nj).read(["display_name"])
        # the parent distributor does not see its dealer's rebates either
        with self.assertRaises(AccessError):
            mine.with_user(self.users["rd_zj"]).read(["amount"])
        self.assertEqual(
            self.env["distribution.rebate.computation"].with_user(hz).search([]), agreement.computation_ids
        )
