"""Two reviewers deciding the same review at the same moment, on two real database connections
(committed data, removed afterwards): the engine locks the document's reviews first, so the second
decision waits for the first, then fails cleanly and, retried, sees the first one. The order ends
approved or rejected, never both, and is never confirmed twice."""

import psycopg2.errors

from odoo import Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestReviewLock(TransactionCase):
    def _setup(self, env):
        inactive = env["tier.definition"].search([("model", "=", "sale.order")])
        inactive.active = False
        groups = "sales_team.group_sale_salesman_all_leads"
        first = new_test_user(env, login="review_lock_first", name="First Reviewer", groups=groups)
        second = new_test_user(env, login="review_lock_second", name="Second Reviewer", groups=groups)
        group = env["res.groups"].create({"name": "Review lock reviewers", "user_ids": [Command.set((first | second).ids)]})
        partner = env["res.partner"].create({"name": "Review lock dealer", "is_company": True})
        product = env["product.product"].create(
            {"name": "Review lock product", "list_price": 3000.0, "taxes_id": [Command.clear()], "type": "consu"}
        )
        definition = env["tier.definition"].create(
            {"name": "Review lock: either reviewer", "model_id": env.ref("sale.model_sale_order").id,
             "review_type": "group", "reviewer_group_id": group.id, "definition_domain": "[]",
             "dms_channel_rule": True}
        )
        orders = env["sale.order"].create(
            [{"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
             for _i in range(2)]
        )
        orders.action_confirm()
        assert orders.mapped("state") == ["draft", "draft"], "both wait for their approval"
        assert [o.review_ids.reviewer_ids for o in orders] == [first | second] * 2, "one review, either reviewer"
        return {"inactive": inactive.ids, "first": first.id, "second": second.id, "group": group.id,
                "partner": partner.id, "product": product.id, "definition": definition.id, "orders": orders.ids}

    def _cleanup(self, env, ids):
        orders = env["sale.order"].browse(ids["orders"]).exists()
        orders._action_cancel()
        orders.unlink()
        env["tier.definition"].browse(ids["definition"]).unlink()
        env["tier.definition"].browse(ids["inactive"]).active = True
        env["res.groups"].browse(ids["group"]).unlink()
        users = env["res.users"].browse([ids["first"], ids["second"]])
        partners = users.partner_id
        users.unlink()
        # the cancelled orders' stock moves keep the product and the partners: archived, out of the way
        env["product.product"].browse(ids["product"]).active = False
        (env["res.partner"].browse(ids["partner"]) | partners).active = False

    def _decide_at_once(self, ids, order_id, first_decides, second_decides):
        """The first reviewer decides (not committed yet) while the second, whose transaction has
        already read the order as pending, decides too: he waits for the lock (here with a lock
        timeout, so that the test does not wait forever), his transaction started before the first
        one committed fails to serialise, and once retried his decision is refused."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, ids["first"], {"tracking_disable": True})
            env2 = api.Environment(cr2, ids["second"], {"tracking_disable": True})
            order1, order2 = env1["sale.order"].browse(order_id), env2["sale.order"].browse(order_id)
            self.assertEqual(order2.review_ids.status, "pending")  # the second transaction is under way
            first_decides(order1)
            # while the first decision is not committed, the second waits on the review's lock
            cr2.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable), mute_logger("odoo.sql_db"):
                second_decides(order2)
            cr2.rollback()
            env2.invalidate_all()
            self.assertEqual(order2.review_ids.status, "pending")  # a new transaction, before the commit
            cr1.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
                second_decides(order2)
            cr2.rollback()
            env2.invalidate_all()
            # retried (as Odoo retries a request that failed to serialise), it sees the first decision
            with self.assertRaises(UserError):  # AccessError or UserError: not his to decide any more
                second_decides(order2)
            cr2.rollback()

    def test_two_reviewers_decide_the_same_review_at_once(self):
        admin = self.env.ref("base.user_admin").id
        with self.registry.cursor() as setup_cr:
            ids = self._setup(api.Environment(setup_cr, admin, {"tracking_disable": True}))
            setup_cr.commit()
        try:
            approved_id, rejected_id = ids["orders"]
            # approved by the first while the second rejects
            self._decide_at_once(
                ids, approved_id, lambda o: o.validate_tier(), lambda o: o._dms_reject("Too much stock already")
            )
            # rejected by the first while the second approves
            self._decide_at_once(
                ids, rejected_id, lambda o: o._dms_reject("Too much stock already"), lambda o: o.validate_tier()
            )
            with self.registry.cursor() as cr:
                env = api.Environment(cr, admin, {})
                approved, rejected = env["sale.order"].browse(ids["orders"])
                self.assertEqual(
                    (approved.state, approved.validation_status, approved.review_ids.mapped("status")),
                    ("sale", "validated", ["approved"]),
                )
                self.assertEqual(approved.review_ids.done_by.id, ids["first"])
                self.assertEqual(len(approved.picking_ids), 1, "confirmed once: one delivery")
                self.assertEqual(
                    len(approved.message_ids.filtered(lambda m: "the order is confirmed" in (m.body or ""))), 1
                )
                self.assertEqual(
                    (rejected.state, rejected.validation_status, rejected.review_ids.mapped("status")),
                    ("draft", "rejected", ["rejected"]),
                )
                self.assertEqual(rejected.dms_rejection_reason, "Too much stock already")
                self.assertFalse(rejected.picking_ids, "never confirmed")
        finally:
            with self.registry.cursor() as cleanup_cr:
                self._cleanup(api.Environment(cleanup_cr, admin, {"tracking_disable": True}), ids)
                cleanup_cr.commit()
