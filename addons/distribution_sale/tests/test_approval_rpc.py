from odoo import Command
from odoo.tests import JsonRpcException, tagged

from odoo.addons.distribution_core.tests.test_approval_rpc import ApplicationMixin

from .common import DistributionSaleCommon, DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestSaleApprovalRpc(DistributionSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def _call_kw(self, model, method, ids, *args, context=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": [ids, *args], "kwargs": {"context": context or {}}},
        )

    def test_validate_sale_order_over_json_rpc(self):
        self.env["tier.definition"].create(
            {"name": "Every order: channel manager", "model_id": self.env.ref("sale.model_sale_order").id,
             "review_type": "channel_manager", "definition_domain": "[]"}
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]}
        )
        order.action_confirm()
        self.assertEqual(order.validation_status, "pending")
        self.authenticate("dist_manager", "dist_manager")
        self.assertIs(self._call_kw("sale.order", "validate_tier", order.ids), True)
        self.assertEqual(order.state, "sale")

    def test_wrong_user_over_json_rpc(self):
        """Not the reviewer: neither the button nor a write of the state with the OCA's switches
        in the context (what any RPC client may send) confirms the order."""
        self.env["tier.definition"].create(
            {"name": "Every order: channel manager", "model_id": self.env.ref("sale.model_sale_order").id,
             "review_type": "channel_manager", "definition_domain": "[]"}
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]}
        )
        order.action_confirm()
        self.assertEqual(order.validation_status, "pending")
        self.assertNotIn(self.channel_user, order.review_ids.reviewer_ids)
        self.authenticate("dist_user", "dist_user")
        switches = {"skip_validation_check": True, "skip_check_state_condition": True}
        with self.assertRaises(JsonRpcException) as caught:
            self._call_kw("sale.order", "validate_tier", order.ids, context=switches)
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as caught:
            self._call_kw("sale.order", "write", order.ids, {"state": "sale"}, context=switches)
        self.assertIn(caught.exception.args[0], ("odoo.exceptions.AccessError", "odoo.exceptions.ValidationError"))
        with self.assertRaises(JsonRpcException):
            self._call_kw("tier.review", "write", order.review_ids.ids, {"status": "approved"}, context=switches)
        order.invalidate_recordset()
        order.review_ids.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.review_ids.status, "pending")


@tagged("post_install", "-at_install")
class TestPublicationPortalBypass(ApplicationMixin, DistributionSaleCommon):
    """A portal user (of another subtree, or the inviting member itself) tries to decide, forge or
    hand over the approval of a price publication."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def test_price_publication(self):
        publication = self._submitted_publication()
        self._try_everything(publication, self.channel_user)
        self.assertEqual(publication.validation_status, "pending")
        self.assertNotEqual(publication.state, "approved")
