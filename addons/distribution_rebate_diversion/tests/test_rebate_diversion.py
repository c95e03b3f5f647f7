from datetime import date, datetime

from odoo.tests import tagged

from odoo.addons.distribution_diversion.tests.test_diversion import DiversionCommon
from odoo.addons.distribution_rebate.tests.common import RebateCommon

Q1, Q2, Q3 = date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1)


@tagged("post_install", "-at_install")
class TestRebateDiversion(DiversionCommon, RebateCommon):
    """The agreement condition on confirmed diversion incidents, against amounts computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Hangzhou dealer: Q1 10,000 and Q2 3,000 invoiced (10% → 1,000.00 and 300.00), Q3 8,000 (800.00)
        cls._invoice("dl_hz", "2025-02-10", [(cls.product_a, 10, 1000.0)])
        cls._invoice("dl_hz", "2025-05-10", [(cls.product_a, 3, 1000.0)])
        cls._invoice("dl_hz", "2025-08-10", [(cls.product_a, 8, 1000.0)])
        Incident = cls.env["distribution.diversion.incident"]

        def incident(member, when, state, penalty=0.0):
            code = cls._code(member)
            return {"code_id": code.id, "expected_member_id": code.member_id.id,
                    "expected_territory_id": code.territory_id.id, "seen_territory_id": cls.terr_js.id,
                    "date": when, "state": state, "penalty_amount": penalty}

        Incident.create([
            # Q1: two confirmed (300.00 + 250.50), one dismissed, one still investigated
            incident("dl_hz", datetime(2025, 1, 5, 8), "confirmed", 300.0),
            incident("dl_hz", datetime(2025, 3, 31, 23, 59), "confirmed", 250.5),
            incident("dl_hz", datetime(2025, 2, 1), "dismissed"),
            incident("dl_hz", datetime(2025, 2, 2), "investigating"),
            # Q2: one confirmed, larger than the rebate
            incident("dl_hz", datetime(2025, 4, 1, 0, 0, 1), "confirmed", 2000.0),
            # another member's, in Q3
            incident("dl_nj", datetime(2025, 8, 1), "confirmed", 999.0),
        ])

    def test_deduct_penalties(self):
        agreement = self._agreement(rate=10.0, diversion_action="deduct")
        q1 = self._result(agreement, Q1)
        # 1,000.00 - (300.00 + 250.50) = 449.50
        self.assertEqual((q1.amount_before_conditions, q1.diversion_penalty, q1.amount), (1000.0, 550.5, 449.5))
        self.assertIn("Diversion penalties of", q1.explanation)
        self.assertIn("2 incident(s)", q1.explanation)
        q2 = self._result(agreement, Q2)
        # 300.00 - 2,000.00: not below zero
        self.assertEqual((q2.amount_before_conditions, q2.diversion_penalty, q2.amount), (300.0, 2000.0, 0.0))
        q3 = self._result(agreement, Q3)
        # the Nanjing dealer's incident is not the Hangzhou dealer's
        self.assertEqual((q3.diversion_penalty, q3.amount), (0.0, 800.0))
        self.assertNotIn("Diversion", q3.explanation)

    def test_void_rebate(self):
        agreement = self._agreement(rate=10.0, diversion_action="void")
        self.assertEqual(self._result(agreement, Q1).amount, 0.0)
        self.assertIn("Voided: 2 diversion incident(s)", self._result(agreement, Q1).explanation)
        self.assertEqual(self._result(agreement, Q2).amount, 0.0)
        self.assertEqual(self._result(agreement, Q3).amount, 800.0)

    def test_no_condition_and_decisions_after_the_fact(self):
        plain = self._agreement(rate=10.0)
        q1 = self._result(plain, Q1)
        self.assertEqual((q1.amount, q1.diversion_penalty), (1000.0, 0.0))
        deduct = self._agreement(rate=10.0, diversion_action="deduct")
        self.assertEqual(self._result(deduct, Q3).amount, 800.0)
        # an incident seen in Q3 and confirmed later lowers Q3 at the next computation
        incident = self.env["distribution.diversion.incident"].create({
            "code_id": self._code("dl_hz").id, "expected_member_id": self.members["dl_hz"].id,
            "seen_territory_id": self.terr_nj.id, "date": datetime(2025, 9, 30, 12),
        })
        self.assertEqual(self._result(deduct, Q3).amount, 800.0)  # under investigation: no effect
        incident._confirm(120.25)
        self.assertEqual(self._result(deduct, Q3).amount, 679.75)
