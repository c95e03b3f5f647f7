"""Every way around an approval an audit found (issue #25), tried as the wrong user through
RPC-like calls: each test fails if one gets through."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_approval.tests.bypass import ApprovalBypassMixin

from .common import DistributionSaleCommon

# our message ("... is waiting for approval (rule): ... cannot change now") or, for a write
# of the document itself, the OCA's that comes first ("not allowed to write those fields
# under validation")
UNDER_REVIEW = "waiting for approval|under validation"


@tagged("post_install", "-at_install")
class TestApprovalBypass(DistributionSaleCommon, ApprovalBypassMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        salesman_group = "sales_team.group_sale_salesman_all_leads"
        cls.salesman = new_test_user(
            cls.env, login="byp_salesman", groups=salesman_group, company_id=company.id,
            company_ids=[Command.set(company.ids)], name="Sly Salesman",
        )
        cls.finance = new_test_user(
            cls.env, login="byp_finance", groups=salesman_group, company_id=company.id,
            company_ids=[Command.set(company.ids)], name="Finance Fay",
        )
        cls.channel_manager.sudo().group_ids = [Command.link(cls.env.ref(salesman_group).id)]
        cls.env["tier.definition"].search([]).active = False
        cls.big_rule = cls.env["tier.definition"].create(
            {"name": "Large order: manager", "model_id": cls.env.ref("sale.model_sale_order").id,
             "review_type": "individual", "reviewer_id": cls.channel_manager.id,
             "definition_domain": "[('amount_total', '>', 5000)]", "approve_sequence": True,
             "dms_channel_rule": True}
        )

    def _order(self, qty):
        return self.env["sale.order"].with_user(self.salesman).create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": qty})]}
        )

    def _pending_order(self, qty=6):
        order = self._order(qty)
        order.action_confirm()
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.state, "draft")
        return order

    def _approved_order(self, qty=6):
        order = self._pending_order(qty)
        order.with_user(self.channel_manager).validate_tier()
        self.assertEqual(order.state, "sale")
        return order

    # ------------------------------------------------------------------ reviews
    def test_reviewer_cannot_be_added_by_rpc(self):
        order = self._pending_order()
        review = order.review_ids.with_user(self.salesman)
        with self.assertRaises(AccessError):
            review.write({"reviewer_ids": [Command.link(self.salesman.id)]})
        with self.assertRaises(AccessError):
            review.with_context(dms_tier_engine=True).write({"reviewer_ids": [Command.set(self.salesman.ids)]})
        self.assertEqual(order.review_ids.reviewer_ids, self.channel_manager)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).validate_tier()
        self.assertEqual(order.state, "draft")

    def test_review_fields_cannot_be_written(self):
        order = self._pending_order()
        review = order.review_ids.with_user(self.salesman)
        for vals in ({"status": "approved"}, {"sequence": 99}, {"comment": "ok"}, {"done_by": self.salesman.id},
                     {"definition_id": False}, {"res_id": 0}, {"requested_by": self.channel_manager.id}):
            with self.assertRaises(AccessError, msg=f"write {vals}"):
                review.write(vals)
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.salesman).create(
                {"model": "sale.order", "res_id": order.id, "definition_id": self.big_rule.id, "status": "approved"}
            )
        self.assertEqual(order.review_ids.status, "pending")

    def test_review_cannot_be_deleted(self):
        order = self._pending_order()
        with self.assertRaises(AccessError):
            order.review_ids.with_user(self.salesman).unlink()
        with self.assertRaises(AccessError):
            order.review_ids.with_user(self.channel_manager).unlink()
        self.assertEqual(len(order.review_ids), 1)
        with self.assertRaises(ValidationError):
            order.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_reviews_cannot_be_changed_through_the_document(self):
        order = self._pending_order()
        review = order.review_ids
        as_salesman = order.with_user(self.salesman)
        for command in (Command.delete(review.id), Command.unlink(review.id),
                        Command.update(review.id, {"status": "approved"}),
                        Command.create({"model": "sale.order", "definition_id": self.big_rule.id, "status": "approved"})):
            with self.assertRaises(ValidationError, msg=f"review_ids {command}"):  # the OCA refuses first
                as_salesman.write({"review_ids": [command]})
        self.assertEqual(order.review_ids, review)
        self.assertEqual(review.status, "pending")
        # after confirmation too (the OCA no longer guards the document then)
        order.with_user(self.channel_manager).validate_tier()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(AccessError):
            as_salesman.write({"review_ids": [Command.delete(review.id)]})
        self.assertEqual(review.status, "approved")

    def test_comment_wizard_cannot_approve_someone_elses_review(self):
        order = self._pending_order()
        wizard = self.env["comment.wizard"].with_user(self.salesman).create(
            {"res_model": "sale.order", "res_id": order.id, "review_ids": [Command.set(order.review_ids.ids)],
             "validate_reject": "validate", "comment": "fine by me"}
        )
        with self.assertRaises(AccessError):
            wizard.add_comment()
        self.assertEqual(order.review_ids.status, "pending")
        self.assertFalse(order.review_ids.comment)
        self.assertEqual(order.state, "draft")

    def test_comment_wizard_of_another_document_cannot_reach_a_review(self):
        """A wizard pointed at an order no rule is about, carrying the reviews of an order under
        approval: neither the comment nor the status of those reviews may change."""
        order = self._pending_order()
        small = self._order(1)
        self.assertFalse(small.review_ids)
        for user, verdict in ((self.salesman, "validate"), (self.channel_manager, "validate"),
                              (self.channel_manager, "reject")):
            wizard = self.env["comment.wizard"].with_user(user).create(
                {"res_model": "sale.order", "res_id": small.id, "review_ids": [Command.set(order.review_ids.ids)],
                 "validate_reject": verdict, "comment": "forged"}
            )
            with self.assertRaises(AccessError, msg=f"{user.login} {verdict}"):
                wizard.add_comment()
            self.assertEqual(order.review_ids.status, "pending")
            self.assertFalse(order.review_ids.comment)
        self.assertEqual(order.state, "draft")

    def test_portal_user_cannot_touch_reviews(self):
        member = self.members["ga"].with_user(self.users["ga"])
        order = member._portal_submit_order([(self.product_a, 6)]).sudo()
        self.assertEqual(order.validation_status, "pending")
        review = order.review_ids.with_user(self.users["ga"])
        for action in (lambda: review.write({"status": "approved"}), review.unlink,
                       lambda: review.write({"reviewer_ids": [Command.set(self.users["ga"].ids)]})):
            with self.assertRaises(AccessError):
                action()
        self.assertEqual(order.review_ids.status, "pending")
        self.assertEqual(order.state, "draft")

    # ------------------------------------------------------------------ delegation
    def test_delegation_to_oneself_refused(self):
        order = self._pending_order()
        Delegation = self.env["distribution.approval.delegation"]
        vals = {"user_id": self.channel_manager.id, "delegate_id": self.salesman.id, "date_to": "2099-01-01 00:00:00"}
        with self.assertRaises(AccessError):
            Delegation.with_user(self.salesman).create(vals)
        # nor on behalf of someone else towards a third person
        with self.assertRaises(AccessError):
            Delegation.with_user(self.salesman).create(dict(vals, delegate_id=self.finance.id))
        # a channel manager may not take someone's approvals for himself either
        with self.assertRaises(AccessError):
            Delegation.with_user(self.channel_manager).create(
                {"user_id": self.finance.id, "delegate_id": self.channel_manager.id, "date_to": "2099-01-01 00:00:00"}
            )
        self.assertEqual(order.review_ids.reviewer_ids, self.channel_manager)
        # the absent reviewer delegates; the delegate cannot then turn it towards someone else
        delegation = Delegation.with_user(self.channel_manager).create(dict(vals, delegate_id=self.finance.id))
        self.assertEqual(order.review_ids.reviewer_ids, self.finance)
        with self.assertRaises(AccessError):
            delegation.with_user(self.finance).write({"delegate_id": self.salesman.id})
        self.assertEqual(order.review_ids.reviewer_ids, self.finance)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).validate_tier()

    # ------------------------------------------------------------------ frozen figures
    def test_lines_frozen_under_validation(self):
        order = self._pending_order()
        line = order.order_line.with_user(self.salesman)
        attempts = [
            lambda: order.with_user(self.salesman).write(
                {"order_line": [Command.update(line.id, {"product_uom_qty": 60})]}),
            lambda: order.with_user(self.salesman).with_context(skip_validation_check=True).write(
                {"order_line": [Command.update(line.id, {"product_uom_qty": 60})]}),
            lambda: line.write({"product_uom_qty": 60}),
            lambda: line.with_context(skip_validation_check=True).write({"price_unit": 9000.0}),
            lambda: line.write({"discount": 50.0}),
            lambda: self.env["sale.order.line"].with_user(self.salesman).create(
                {"order_id": order.id, "product_id": self.product_b.id, "product_uom_qty": 100}),
            lambda: order.with_user(self.salesman).with_context(skip_validation_check=True).write(
                {"partner_id": self.members["rd_zj"].partner_id.id}),
            lambda: line.unlink(),
        ]
        for attempt in attempts:
            with self.assertRaisesRegex(ValidationError, UNDER_REVIEW):
                attempt()
        # the lines' own refusal names the rule waiting
        with self.assertRaisesRegex(ValidationError, "Large order: manager"):
            line.write({"product_uom_qty": 60})
        self.assertEqual(order.amount_total, 6900.0)
        self.assertEqual(order.review_ids.status, "pending")

    def test_raise_after_approval_refused(self):
        order = self._approved_order(qty=6)  # 6,900 approved
        line = order.order_line.with_user(self.salesman)
        with self.assertRaisesRegex(ValidationError, "Large order: manager"):
            line.write({"product_uom_qty": 60})
        with self.assertRaisesRegex(ValidationError, "beyond what was approved"):
            self.env["sale.order.line"].with_user(self.salesman).create(
                {"order_id": order.id, "product_id": self.product_b.id, "product_uom_qty": 3})
        with self.assertRaises(ValidationError):
            order.with_user(self.salesman).with_context(skip_validation_check=True).write(
                {"order_line": [Command.update(line.id, {"price_unit": 5000.0})]})
        self.assertEqual(order.amount_total, 6900.0)
        self.assertEqual(order.state, "sale")
        # going down stays within the approval, and the chatter says who changed what
        line.write({"product_uom_qty": 5})
        self.assertEqual(order.amount_total, 5750.0)
        note = order.message_ids.filtered(lambda m: "under approval" in (m.body or ""))[:1]
        self.assertIn("Sly Salesman", note.body)

    def test_small_confirmed_order_cannot_grow_past_a_rule(self):
        order = self._order(qty=1)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.review_ids)
        with self.assertRaisesRegex(ValidationError, "Large order: manager"):
            order.order_line.with_user(self.salesman).write({"product_uom_qty": 400})
        self.assertEqual(order.amount_total, 1150.0)
        # below every rule it is an ordinary change
        order.order_line.with_user(self.salesman).write({"product_uom_qty": 2})
        self.assertEqual(order.amount_total, 2300.0)

    def test_approved_order_cannot_reach_a_higher_rule(self):
        top = self.env["tier.definition"].create(
            {"name": "Very large order: finance", "model_id": self.env.ref("sale.model_sale_order").id,
             "review_type": "individual", "reviewer_id": self.finance.id,
             "definition_domain": "[('amount_total', '>', 100000)]", "dms_channel_rule": True}
        )
        order = self._approved_order(qty=50)  # 57,500: the manager's rule only
        self.assertNotIn(top, order.review_ids.definition_id)
        with self.assertRaisesRegex(ValidationError, "Very large order: finance"):
            order.order_line.with_user(self.salesman).write({"product_uom_qty": 400})
        self.assertEqual(order.amount_total, 57500.0)

    def test_context_keys_cannot_switch_checks_off(self):
        order = self._pending_order()
        as_salesman = order.with_user(self.salesman).with_context(
            skip_validation_check=True, skip_check_state_condition=True, tier_validation_defer_compute_can_review=True
        )
        with self.assertRaises(ValidationError):
            as_salesman.write({"state": "sale"})
        with self.assertRaises(AccessError):
            as_salesman.validate_tier()
        self.assertEqual(order.state, "draft")

    def test_catalogue_of_ways_around(self):
        """The catalogue of distribution_approval/tests/bypass.py on a pending order, as the salesman
        who asked, another salesman and the member's portal user."""
        order = self._pending_order()
        self._assert_no_bypass(
            order, self.channel_manager, self.salesman | self.finance | self.users["ga"],
            figures={"partner_id": self.members["rd_zj"].partner_id.id},
            lines=order.order_line, line_figures={"product_uom_qty": 60.0, "price_unit": 1.0, "discount": 50.0},
        )
        order.with_user(self.channel_manager).validate_tier()
        self.assertEqual((order.state, order.amount_total), ("sale", 6900.0))

    # ------------------------------------------------------------------ self-approval
    def test_requester_does_not_approve_own_by_default(self):
        group = self.env["res.groups"].create(
            {"name": "Approvers", "user_ids": [Command.set((self.salesman | self.finance).ids)]}
        )
        rule = self.env["tier.definition"].create(
            {"name": "Approvers", "model_id": self.env.ref("sale.model_sale_order").id, "review_type": "group",
             "reviewer_group_id": group.id, "definition_domain": "[]", "dms_channel_rule": True}
        )
        self.assertTrue(rule.exclude_requester, "four eyes unless the rule says otherwise")
        self.big_rule.active = False
        order = self._order(qty=1)
        order.action_confirm()
        self.assertEqual(order.review_ids.reviewer_ids, self.finance)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).validate_tier()
        self.assertEqual(order.state, "draft")
        # the demo rules say the same
        demo_rules = self.env["tier.definition"].with_context(active_test=False).search(
            [("model", "in", ("sale.order", "distribution.channel.order")), ("id", "not in", (rule | self.big_rule).ids)]
        )
        self.assertTrue(all(demo_rules.mapped("exclude_requester")))


@tagged("post_install", "-at_install")
class TestChannelDocumentBypass(DistributionSaleCommon, ApprovalBypassMixin):
    """The same ways, on channel orders and price publications."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.product_a.default_code = "PA-001"

    def _channel_order(self, member="dl_hz", qty=2):
        member = self.members[member].with_user(self.users[member])
        return member._portal_submit_order([(self.product_a, qty)])

    def test_channel_order(self):
        self.env["tier.definition"].create(
            {"name": "Distributor approves", "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "parent_portal", "definition_domain": "[('amount_total', '>', 1000)]"}
        )
        order = self._channel_order(qty=3)
        amount = order.amount_total
        self.assertEqual(order.validation_status, "pending")
        buyer = self.users["dl_hz"]
        review = order.review_ids
        for user in (buyer, self.channel_user):
            for action in (lambda u=user: review.with_user(u).write({"reviewer_ids": [Command.set(u.ids)]}),
                           lambda u=user: review.with_user(u).unlink()):
                with self.assertRaises(AccessError):
                    action()
        # the buyer raises the quantity of the order waiting for approval (even through sudo code)
        with self.assertRaisesRegex(ValidationError, UNDER_REVIEW):
            order.with_user(buyer).sudo().line_ids.write({"product_uom_qty": 30})
        with self.assertRaisesRegex(UserError, "Only draft channel orders"):  # the order's own lock
            order.with_user(buyer).sudo().with_context(skip_validation_check=True).write(
                {"line_ids": [Command.create({"product_id": self.product_b.id, "product_uom_qty": 50})]}
            )
        self.assertEqual(order.amount_total, amount)
        order.with_user(self.users["rd_zj"]).sudo().action_approve()
        self.assertEqual(order.state, "approved")
        # approved: no raise either
        with self.assertRaises(ValidationError):
            order.with_user(buyer).sudo().line_ids.write({"product_uom_qty": 30})
        self.assertEqual(order.amount_total, amount)

    def test_price_publication(self):
        publication = self._submitted_publication()
        with self.assertRaises(AccessError):
            publication.review_ids.with_user(self.channel_manager).unlink()
        with self.assertRaisesRegex(ValidationError, UNDER_REVIEW):
            publication.line_ids.with_user(self.channel_manager).write({"new_price": 1.0})
        publication.with_user(self.channel_user).action_approve()
        self.assertEqual(publication.state, "approved")
        # an approved price list is frozen: lower is not "within" for prices
        with self.assertRaisesRegex(ValidationError, "Channel user checks prices"):
            publication.line_ids.with_user(self.channel_manager).write({"new_price": 1.0})
        self.assertEqual(publication.line_ids.new_price, 900.0)

    def test_no_way_around_a_pending_publication(self):
        """The catalogue of ways around a pending review (distribution_approval/tests/bypass.py) on a
        price publication: as the channel manager who submitted it (one of the reviewers' group,
        never his own reviewer), as a salesman and as a dealer's portal user."""
        group = self.env["res.groups"].create(
            {"name": "Price reviewers", "user_ids": [Command.set((self.channel_manager | self.channel_user).ids)]}
        )
        self.env["tier.definition"].create(
            {"name": "Prices checked by a second person",
             "model_id": self.env.ref("distribution_sale.model_distribution_price_publication").id,
             "review_type": "group", "reviewer_group_id": group.id, "definition_domain": "[]"}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Dealers (bypass test)"})
        publication = self.env["distribution.price.publication"].create(
            {"name": "Prices up", "effective_date": "2099-01-01",
             "line_ids": [Command.create({"pricelist_id": pricelist.id, "product_id": self.product_a.id,
                                          "new_price": 900.0})]}
        )
        publication.with_user(self.channel_manager).action_submit()
        self.assertEqual(publication.review_ids.reviewer_ids, self.channel_user, "not the submitter himself")
        salesman = new_test_user(self.env, login="pub_salesman", groups="sales_team.group_sale_salesman")
        self._assert_no_bypass(
            publication, self.channel_user, self.channel_manager | salesman | self.users["dl_hz"],
            figures={"effective_date": "2098-01-01"},
            lines=publication.line_ids, line_figures={"new_price": 1.0},
        )
        publication.with_user(self.channel_user).action_approve()
        self.assertEqual((publication.state, publication.line_ids.new_price), ("approved", 900.0))
