from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import refund_pos_order
from odoo.addons.point_of_sale.tests.common import CommonPosTest


@tagged("post_install", "-at_install")
class TestPosCommission(CommonPosTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        cls.env["tier.definition"].sudo().search([]).active = False
        cls.env.company.write({"dms_commission_return_days": 7, "dms_commission_levels": "2"})
        cls.goods = cls.ten_dollars_with_15_excl.product_variant_id
        cls.goods.taxes_id = False
        cls.env["distribution.commission.rule"].create(
            [{"level": "1", "rate": 10.0}, {"level": "2", "rate": 2.0}]
        )
        Promoter = cls.env["distribution.promoter"]
        cls.recruiter = Promoter.create({"partner_id": cls.env["res.partner"].create({"name": "Recruiter"}).id})
        cls.promoter = Promoter.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Store promoter"}).id, "parent_id": cls.recruiter.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Walk-in regular"})
        cls.customer._attach_referrer(cls.promoter)

    def _sell(self, qty):
        order, _refund = self.create_backend_pos_order(
            {
                "order_data": {"partner_id": self.customer.id},
                "line_data": [{"product_id": self.goods.id, "qty": qty, "tax_ids": []}],
                "payment_data": [{"payment_method_id": self.cash_payment_method.id}],
            }
        )
        return order

    def _refund(self, order, qty):
        refund = refund_pos_order(order, qty, self.cash_payment_method)
        self.assertEqual(refund.state, "paid")
        return refund

    def test_pos_sale_earns_frozen_then_released(self):
        order = self._sell(5)  # 5 x 10.00
        self.assertEqual((order.state, order.channel_promoter_id), ("paid", self.promoter))
        commissions = self.env["distribution.commission"].search([("pos_order_id", "=", order.id)])
        self.assertEqual(
            {(c.promoter_id, c.amount, c.state) for c in commissions},
            {(self.promoter, 5.0, "frozen"), (self.recruiter, 1.0, "frozen")},
        )
        today = fields.Date.context_today(order)
        self.assertEqual(set(commissions.mapped("release_date")), {today + timedelta(days=7)})
        with freeze_time(today + timedelta(days=7)):
            self.env["distribution.commission"]._cron_release()
        self.assertEqual(set(commissions.mapped("state")), {"available"})

    def test_pos_refund_reverses_or_claws_back(self):
        order = self._sell(5)
        commission = self.env["distribution.commission"].search(
            [("pos_order_id", "=", order.id), ("promoter_id", "=", self.promoter.id)]
        )
        self._refund(order, 1)  # within the window: that unit's 1.00 is reversed
        self.assertEqual((commission.amount, commission.state), (4.0, "frozen"))
        with freeze_time(fields.Date.today() + timedelta(days=8)):
            self.env["distribution.commission"]._cron_release()
        self._refund(order, 2)  # after the release: clawed back
        clawback = self.env["distribution.commission"].search(
            [("origin_id", "=", commission.id), ("kind", "=", "clawback")]
        )
        self.assertEqual(clawback.amount, -2.0)
        self.promoter.invalidate_recordset()
        self.assertEqual((self.promoter.amount_available, self.promoter.amount_reversed), (2.0, 3.0))

    def test_customer_without_promoter_earns_nothing(self):
        self.customer.channel_referrer_id = False
        order = self._sell(3)
        self.assertFalse(order.channel_promoter_id)
        self.assertFalse(self.env["distribution.commission"].search([("pos_order_id", "=", order.id)]))
