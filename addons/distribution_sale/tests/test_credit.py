"""Credit control: the exposure at the moment an order is confirmed, and what moves it."""

import psycopg2.errors

from odoo import Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import DistributionSaleCommon


@tagged("post_install", "-at_install")
class TestCreditControl(DistributionSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.finance = new_test_user(
            cls.env, login="credit_finance", groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id, company_ids=[Command.set(company.ids)], name="Finance Fay",
        )
        cls.channel_manager.sudo().group_ids = [Command.link(cls.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        cls.env["tier.definition"].search([]).active = False
        sale_model = cls.env.ref("sale.model_sale_order")
        common = {"model_id": sale_model.id, "review_type": "individual", "approve_sequence": True,
                  "dms_channel_rule": True}
        cls.env["tier.definition"].create(
            [
                dict(common, name="Every order: channel manager", reviewer_id=cls.channel_manager.id,
                     definition_domain="[]", sequence=20),
                dict(common, name="Credit exceeded: finance", reviewer_id=cls.finance.id,
                     definition_domain="[('channel_credit_exceeded', '=', True)]", sequence=10),
            ]
        )
        cls.member = cls.members["ga"]
        # the set-up's confirmed order (2 x 1,000 + 15% = 2,300) and unpaid invoice (100): 2,400
        cls.tier_ga.default_credit_limit = 5000.0

    def _order(self, qty):
        return self.env["sale.order"].create(
            {
                "partner_id": self.member.partner_id.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": qty})],
            }
        )

    def _exposure(self):
        self.member.invalidate_recordset()
        return self.member.credit_exposure

    def test_last_approval_checks_the_exposure_of_that_moment(self):
        self.assertEqual(self._exposure(), 2400.0)
        first, second = self._order(2), self._order(2)  # 2,300 each: 4,700 on its own, within 5,000
        for order in (first, second):
            self.assertFalse(order.channel_credit_exceeded)
            order.action_confirm()
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.review_ids.definition_id.mapped("name"), ["Every order: channel manager"])
        first.with_user(self.channel_manager).validate_tier()
        self.assertEqual(first.state, "sale")
        self.assertEqual(self._exposure(), 4700.0)
        with self.assertRaisesRegex(
            UserError,
            rf"{second.name} cannot be confirmed: .*credit limit is \D*5,000\.00.* exposure is already \D*4,700\.00.*"
            r"order of \D*2,300\.00 it would be \D*7,000\.00",
        ):
            second.with_user(self.channel_manager).validate_tier()
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.review_ids.status, "pending", "the approval that would have confirmed it is undone")
        self.assertEqual(self._exposure(), 4700.0)
        # once the member pays, the same approval confirms it
        self.member.credit_limit = 8000.0
        second.with_user(self.channel_manager).validate_tier()
        self.assertEqual(second.state, "sale")
        self.assertEqual(self._exposure(), 7000.0)

    def test_approved_under_a_credit_rule_may_exceed(self):
        order = self._order(3)  # 3,450: 5,850 > 5,000
        self.assertTrue(order.channel_credit_exceeded)
        order.action_confirm()
        self.assertEqual(len(order.review_ids), 2)
        order.with_user(self.channel_manager).validate_tier()
        self.assertEqual(order.state, "draft")
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.state, "sale", "the finance reviewer approved going over the limit")
        self.assertEqual(self._exposure(), 5850.0)

    def test_draft_invoice_does_not_lower_the_exposure(self):
        order = self.orders["ga"]
        self.assertEqual(self._exposure(), 2400.0)
        invoice = order._create_invoices()
        self.assertEqual((invoice.state, invoice.amount_total), ("draft", 2300.0))
        self.assertEqual(order.order_line.qty_invoiced, 2.0, "Odoo counts the draft as invoiced")
        self.assertEqual(self._exposure(), 2400.0, "a draft invoice moves nothing")
        invoice.action_post()
        self.assertEqual(self._exposure(), 2400.0, "posted: from open orders to unpaid invoices")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 300.0})._create_payments()
        self.assertEqual(self._exposure(), 2100.0)
        # a posted invoice for part of the order: the rest stays an open order
        self.member.credit_limit = 20000.0
        second = self._order(4)  # 4,600
        second.action_confirm()
        second.with_user(self.channel_manager).validate_tier()
        self.assertEqual(second.state, "sale")
        self.assertEqual(self._exposure(), 6700.0)
        partial = second._create_invoices()
        partial.invoice_line_ids.quantity = 1  # 1,150 invoiced, 3,450 still to invoice
        self.assertEqual(self._exposure(), 6700.0)
        partial.action_post()
        self.assertEqual(self._exposure(), 6700.0)
        partial.button_draft()
        partial.button_cancel()
        self.assertEqual(self._exposure(), 6700.0)


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two approvals confirming two orders of one member at the same moment, on two real database
    connections (committed data, removed afterwards): the second one cannot pass on a stale exposure."""

    def _setup(self, env):
        env["tier.definition"].search([("model", "=", "sale.order")]).active = False
        tier = env["distribution.tier"].create({"name": "Concurrency tier", "code": "TCC", "sequence": 990,
                                                "default_credit_limit": 5000.0})
        partner = env["res.partner"].create({"name": "Concurrency dealer", "is_company": True})
        member = env["distribution.member"].create(
            {"partner_id": partner.id, "code": "TCC001", "tier_id": tier.id, "state": "active"}
        )
        product = env["product.product"].create(
            {"name": "Concurrency product", "list_price": 3000.0, "taxes_id": [Command.clear()], "type": "consu"}
        )
        definition = env["tier.definition"].create(
            {"name": "Concurrency: admin approves", "model_id": env.ref("sale.model_sale_order").id,
             "review_type": "individual", "reviewer_id": env.uid, "definition_domain": "[]",
             "exclude_requester": False, "dms_channel_rule": True}  # the administrator requests and approves: not what this test is about
        )
        orders = env["sale.order"].create(
            [{"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
             for _i in range(2)]
        )
        orders.action_confirm()
        assert orders.mapped("state") == ["draft", "draft"] and all(o.review_ids for o in orders)
        return {"tier": tier.id, "partner": partner.id, "member": member.id, "product": product.id,
                "definition": definition.id, "orders": orders.ids}

    def _cleanup(self, env, ids, inactive):
        orders = env["sale.order"].browse(ids["orders"])
        orders._action_cancel()
        orders.unlink()
        env["tier.definition"].browse(ids["definition"]).unlink()
        env["tier.definition"].browse(inactive).active = True
        # a member that was active cannot be deleted through the ORM (it is terminated instead)
        env.cr.execute("DELETE FROM distribution_member WHERE id = %s", [ids["member"]])
        env.invalidate_all()
        env["distribution.tier"].browse(ids["tier"]).unlink()
        # the cancelled orders' stock moves keep the product and the partner: archived, out of the way
        env["product.product"].browse(ids["product"]).active = False
        env["res.partner"].browse(ids["partner"]).active = False

    def test_two_confirmations_at_once_do_not_both_pass(self):
        admin = self.env.ref("base.user_admin").id
        with self.registry.cursor() as setup_cr:
            env = api.Environment(setup_cr, admin, {"tracking_disable": True})
            inactive = env["tier.definition"].search([("model", "=", "sale.order")]).ids
            ids = self._setup(env)
            setup_cr.commit()
        try:
            with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
                env1 = api.Environment(cr1, admin, {"tracking_disable": True})
                env2 = api.Environment(cr2, admin, {"tracking_disable": True})
                first, second = env1["sale.order"].browse(ids["orders"][0]), env2["sale.order"].browse(ids["orders"][1])
                # both transactions are under way: the second has read the member's state of affairs
                self.assertEqual(env2["distribution.member"].browse(ids["member"]).credit_exposure, 0.0)
                self.assertEqual(second.state, "draft")
                first.validate_tier()
                self.assertEqual(first.state, "sale")
                cr1.commit()
                # each order alone (3,000) is within the 5,000 limit, not both; the exposure the second
                # transaction saw is stale: it must not confirm on it
                with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
                    second.validate_tier()
                cr2.rollback()
                env2.invalidate_all()
                # retried (as Odoo retries a request that failed to serialise), it sees the first order
                with self.assertRaisesRegex(UserError, r"credit limit is \D*5,000\.00 .* exposure is already \D*3,000\.00"):
                    second.validate_tier()
                cr2.rollback()
                env2.invalidate_all()
                self.assertEqual(second.state, "draft")
        finally:
            with self.registry.cursor() as cleanup_cr:
                self._cleanup(api.Environment(cleanup_cr, admin, {"tracking_disable": True}), ids, inactive)
                cleanup_cr.commit()


@tagged("post_install", "-at_install")
class TestCreditExceededFilter(DistributionSaleCommon):
    """The "Credit Limit Exceeded" filter finds exactly the orders whose field says so."""

    def _order(self, member, qty):
        return self.env["sale.order"].create(
            {
                "partner_id": member.partner_id.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": qty})],
            }
        )

    def test_filter_agrees_with_the_field(self):
        self.env["tier.definition"].search([]).active = False
        ga = self.members["ga"]
        # the set-up's confirmed order and unpaid invoice of GA: 2,400 exposure
        self.tier_ga.default_credit_limit = 5000.0
        within, tipping = self._order(ga, 2), self._order(ga, 3)  # 4,700 and 5,850 with the exposure
        others = self.env["sale.order"].search([("channel_member_id", "!=", False), ("id", "not in", (within | tipping).ids)])
        orders = self.env["sale.order"].search([("channel_member_id", "!=", False)])
        expected = orders.filtered("channel_credit_exceeded")
        self.assertEqual(expected & (within | tipping), tipping)
        found = self.env["sale.order"].search([("channel_credit_exceeded", "=", True)])
        self.assertEqual(found, expected)
        self.assertEqual(
            self.env["sale.order"].search([("channel_credit_exceeded", "=", False), ("channel_member_id", "!=", False)]),
            orders - expected,
        )
        # a member already above his limit: each of his orders is over it, confirmed ones too
        ga.credit_limit = 1000.0
        self.env.invalidate_all()
        expected = orders.filtered("channel_credit_exceeded")
        self.assertLessEqual(self.orders["ga"] | within | tipping, expected)
        self.assertEqual(self.env["sale.order"].search([("channel_credit_exceeded", "=", True)]), expected)
        self.assertTrue(others, "orders of other members are part of the comparison")
