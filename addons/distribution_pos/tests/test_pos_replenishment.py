from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.distribution_approval.tests.bypass import ApprovalBypassMixin

from .test_pos_sellout import StorePosCommon


@tagged("post_install", "-at_install")
class TestPosReplenishmentSettings(StorePosCommon):
    """Settings → Point of Sale: the replenishment settings of the selected point of sale,
    shown only for a point of sale of a channel store."""

    def _settings(self, config):
        settings = Form(self.env["res.config.settings"])
        settings.pos_config_id = config
        return settings

    def test_defaults_and_saved_on_the_point_of_sale(self):
        settings = self._settings(self.pos_config_usd)
        self.assertEqual(
            (settings.pos_dms_replenish_window_days, settings.pos_dms_replenish_lead_days,
             settings.pos_dms_replenish_safety_days, settings.pos_dms_replenish_slow_days),
            (28, 3, 2, 30),
        )
        settings.pos_dms_replenish_window_days = 14
        settings.pos_dms_replenish_lead_days = 5
        settings.pos_dms_replenish_safety_days = 0
        settings.pos_dms_replenish_slow_days = 60
        settings.save().execute()
        self.assertEqual(
            (self.pos_config_usd.dms_replenish_window_days, self.pos_config_usd.dms_replenish_lead_days,
             self.pos_config_usd.dms_replenish_safety_days, self.pos_config_usd.dms_replenish_slow_days),
            (14, 5, 0, 60),
        )
        self.assertEqual(self.config_b.dms_replenish_window_days, 28, "only the selected point of sale changes")

    def test_invalid_values_refused(self):
        settings = self._settings(self.pos_config_usd)
        settings.pos_dms_replenish_window_days = 0
        with self.assertRaises(ValidationError) as catcher:  # rolled back to a savepoint
            settings.save().execute()
        self.assertIn("must be at least one day", str(catcher.exception))
        settings = self._settings(self.pos_config_usd)
        settings.pos_dms_replenish_lead_days = -1
        with self.assertRaises(ValidationError) as catcher:
            settings.save().execute()
        self.assertIn("cannot be negative", str(catcher.exception))
        self.assertEqual((self.pos_config_usd.dms_replenish_window_days, self.pos_config_usd.dms_replenish_lead_days),
                         (28, 3))

    def test_hidden_for_a_point_of_sale_without_store(self):
        plain = self.pos_config_usd.copy(
            {"name": "HQ counter", "channel_member_id": False,
             "payment_method_ids": [Command.set(self.bank_payment_method.ids)]}
        )
        settings = self._settings(plain)
        with self.assertRaisesRegex(AssertionError, "invisible"):
            settings.pos_dms_replenish_window_days = 7


@tagged("post_install", "-at_install")
class TestPosReplenishmentOrderedBy(StorePosCommon, ApprovalBypassMixin):
    """The order sent from the till is the cashier's: the approver sees who asked for it."""

    def test_cashier_is_the_requester(self):
        self.env["tier.definition"].create(
            {"name": "Dealer approves store orders (till)",
             "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "individual", "reviewer_id": self.env.user.id, "definition_domain": "[]"}
        )
        contact = self.env["res.partner"].create({"name": "Till cashier", "parent_id": self.store_a.partner_id.id})
        store_cashier = new_test_user(
            self.env, login="till_cashier", groups="distribution_pos.group_store_staff", partner_id=contact.id
        )
        # HQ staff working the store's counter: a POS user, neither in the channel nor of the store
        hq_cashier = new_test_user(self.env, login="hq_cashier", groups="point_of_sale.group_pos_user")
        for cashier in store_cashier | hq_cashier:
            self.assertFalse(cashier.has_group("distribution_core.group_channel_user"), "no channel rights")
            result = self.pos_config_usd.with_user(cashier).dms_submit_replenishment(
                [{"product_id": self.goods.id, "qty": 4}]
            )
            order = self.env["distribution.channel.order"].browse(result["id"])
            self.assertEqual((order.buyer_member_id, order.supplier_member_id), (self.store_a, self.dealer))
            self.assertEqual((order.state, order.validation_status), ("submitted", "pending"))
            self.assertEqual((order.requested_by_id, order.create_uid), (cashier, cashier))
            self.assertEqual(order.review_ids.requested_by, cashier, "the approver sees who asked")
            self.assertEqual(order.message_ids.author_id, cashier.partner_id, "not OdooBot")

    def test_buyer_check_kept_outside_the_till(self):
        """The till's exception to 'only the buyer submits' cannot be used from elsewhere."""
        hq_cashier = new_test_user(self.env, login="hq_cashier2", groups="point_of_sale.group_pos_user")
        order = self.env["distribution.channel.order"].create(
            {"buyer_member_id": self.store_a.id,
             "line_ids": [Command.create({"product_id": self.goods.id, "product_uom_qty": 1})]}
        )
        with self.assertRaises(AccessError):
            order.with_user(hq_cashier).sudo().with_context(dms_till_order=True).action_submit()
        self.assertEqual(order.state, "draft")

    def test_rejected_replenishment_is_no_longer_on_order(self):
        """The dealer's reviewer refuses what the till ordered: the channel order is Rejected with his
        reason, the cashier who asked is told, and the Replenish screen no longer counts it on order
        (the store would otherwise never be offered those units again)."""
        approver = new_test_user(self.env, login="till_approver", groups="distribution_core.group_channel_user")
        self.env["tier.definition"].create(
            {"name": "Dealer approves store orders (till)",
             "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "individual", "reviewer_id": approver.id, "definition_domain": "[]"}
        )
        contact = self.env["res.partner"].create({"name": "Till cashier", "parent_id": self.store_a.partner_id.id})
        cashier = new_test_user(
            self.env, login="till_cashier_r", groups="distribution_pos.group_store_staff", partner_id=contact.id
        )
        config = self.pos_config_usd.with_user(cashier)
        self.goods.is_storable = True  # the Replenish screen lists stocked products

        def on_order():
            return {line["product_id"]: line["on_order"] for line in config.dms_replenishment_lines()}.get(self.goods.id, 0.0)

        before = on_order()
        result = config.dms_submit_replenishment([{"product_id": self.goods.id, "qty": 4}])
        order = self.env["distribution.channel.order"].browse(result["id"])
        self.assertEqual((order.state, order.validation_status), ("submitted", "pending"))
        self.assertEqual(on_order(), before + 4)
        # the cashier cannot decide his own order
        with self.assertRaises(AccessError):
            order.with_user(cashier).validate_tier()
        order.with_user(approver)._dms_reject("Order by the case of 12")
        self.assertEqual(
            (order.state, order.validation_status, order.reject_reason, order.review_ids.done_by),
            ("rejected", "rejected", "Order by the case of 12", approver),
        )
        self.assertEqual(on_order(), before, "a refused order is not on its way")
        note = order.message_ids.filtered(lambda m: "Order by the case of 12" in (m.body or ""))
        self.assertIn(cashier.partner_id, note.notified_partner_ids | note.partner_ids, "the cashier is told")

    def test_no_way_around_a_pending_replenishment(self):
        """The catalogue of ways around a pending review (distribution_approval/tests/bypass.py) on
        what a till ordered: as the cashier who ordered (one of the reviewers' group, never his own
        reviewer), as an HQ cashier and as the store's portal user."""
        approver = new_test_user(self.env, login="till_approver2", groups="distribution_core.group_channel_manager")
        contact = self.env["res.partner"].create({"name": "Till cashier", "parent_id": self.store_a.partner_id.id})
        cashier = new_test_user(
            self.env, login="till_cashier_b", groups="distribution_pos.group_store_staff", partner_id=contact.id
        )
        group = self.env["res.groups"].create(
            {"name": "Store order reviewers", "user_ids": [Command.set((approver | cashier).ids)]}
        )
        self.env["tier.definition"].create(
            {"name": "Store orders checked (till)",
             "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "group", "reviewer_group_id": group.id, "definition_domain": "[]"}
        )
        result = self.pos_config_usd.with_user(cashier).dms_submit_replenishment(
            [{"product_id": self.goods.id, "qty": 4}]
        )
        order = self.env["distribution.channel.order"].browse(result["id"])
        self.assertEqual(order.review_ids.reviewer_ids, approver, "not the cashier himself")
        hq_cashier = new_test_user(self.env, login="hq_cashier3", groups="point_of_sale.group_pos_user")
        store_contact = self.env["res.partner"].create({"name": "Store owner", "parent_id": self.store_a.partner_id.id})
        store_portal = new_test_user(self.env, login="store_portal_b", groups="base.group_portal",
                                     partner_id=store_contact.id)
        self._assert_no_bypass(
            order, approver, cashier | hq_cashier | store_portal,
            figures={"supplier_member_id": self.store_b.id, "buyer_member_id": self.store_b.id},
            lines=order.line_ids, line_figures={"product_uom_qty": 400.0, "price_unit": 0.01},
        )
        order.with_user(approver).validate_tier()
        self.assertEqual((order.state, order.line_ids.product_uom_qty), ("approved", 4.0))
