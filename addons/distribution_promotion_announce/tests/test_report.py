from freezegun import freeze_time

from odoo.tests import tagged

from .common import AnnounceCommon


@tagged("post_install", "-at_install")
class TestAnnounceReport(AnnounceCommon):
    """Promotion Execution gains the store's path (announced → read →
    acknowledged → first applied) and the deviation, over time too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_hz = cls.env["pos.config"].create({"name": "Hangzhou till", "channel_member_id": cls.members["st_hz"].id})
        cls.pos_hz2 = cls.env["pos.config"].create(
            {"name": "Hangzhou West till", "channel_member_id": cls.members["st_hz2"].id}
        )
        cls.reward = cls.promo.reward_ids

    def test_funnel_and_deviation_per_store(self):
        # before the announcement: Hangzhou misses 3 of 4 eligible orders
        self._make_order(self.pos_hz, [(self.tea, 1)], date_order="2026-11-02 02:00:00")
        self._make_order(self.pos_hz, [(self.tea, 1)], date_order="2026-11-02 03:00:00")
        self._make_order(self.pos_hz, [(self.tea, 2)], date_order="2026-11-03 03:00:00")
        self._make_order(self.pos_hz, [(self.tea, 1)], self.reward, date_order="2026-11-03 04:00:00")
        with freeze_time("2026-11-04 01:00:00"):
            self._announce()
        hz = self._announcement("st_hz")
        with freeze_time("2026-11-04 02:00:00"):
            hz._register_read(self.store_user)
        with freeze_time("2026-11-05 01:00:00"):
            hz.with_user(self.store_user)._acknowledge("portal")
        # acknowledged: 3 of 3 applied, the first on Nov 5
        for hour in (2, 3, 4):
            self._make_order(self.pos_hz, [(self.tea, 1)], self.reward, date_order=f"2026-11-05 0{hour}:00:00")
        # the West store never reads it: 2 missed orders
        self._make_order(self.pos_hz2, [(self.tea, 1)], date_order="2026-11-05 02:00:00")
        self._make_order(self.pos_hz2, [(self.tea, 1)], date_order="2026-11-06 02:00:00")
        self.env.flush_all()

        Report = self.env["distribution.promotion.execution"].with_user(self.channel_user)
        row = Report.search([("program_id", "=", self.promo.id), ("config_id", "=", self.pos_hz.id)])
        self.assertEqual((row.eligible_order_count, row.applied_order_count, row.missed_order_count), (7, 4, 3))
        self.assertAlmostEqual(row.deviation, 42.9)
        self.assertEqual(str(row.date_announced), "2026-11-04 01:00:00")
        self.assertEqual(str(row.date_read), "2026-11-04 02:00:00")
        self.assertEqual(str(row.date_acknowledged), "2026-11-05 01:00:00")
        self.assertEqual(str(row.date_first_applied), "2026-11-03 04:00:00", "applied once before the announcement")
        self.assertEqual(row.announcement_stage, "applied")
        west = Report.search([("program_id", "=", self.promo.id), ("config_id", "=", self.pos_hz2.id)])
        self.assertEqual((west.missed_order_count, west.deviation, west.announcement_stage), (2, 100.0, "announced"))
        self.assertFalse(west.date_read)
        # the channel's deviation is the missed share of the summed orders: 5 of 9, not (42.9 + 100) / 2
        [(deviation,)] = Report._read_group([("program_id", "=", self.promo.id)], [], ["deviation:avg"])
        self.assertAlmostEqual(deviation, 55.6)

        Deviation = self.env["distribution.promotion.deviation"].with_user(self.channel_user)
        by_phase = {
            phase: (eligible, missed, deviation)
            for phase, eligible, missed, deviation in Deviation._read_group(
                [("program_id", "=", self.promo.id), ("member_id", "=", self.members["st_hz"].id)],
                ["phase"], ["eligible_order_count:sum", "missed_order_count:sum", "deviation:avg"],
            )
        }
        self.assertEqual(by_phase, {"before": (4, 3, 75.0), "acknowledged": (3, 0, 0.0)})
        by_day = {
            str(day): deviation
            for day, deviation in Deviation._read_group(
                [("program_id", "=", self.promo.id)], ["date:day"], ["deviation:avg"])
        }
        self.assertEqual(by_day, {"2026-11-02": 100.0, "2026-11-03": 50.0, "2026-11-05": 25.0, "2026-11-06": 100.0})
