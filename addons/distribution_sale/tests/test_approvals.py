from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.models.sale_order import SaleOrder as SaleOrderBase

from .common import DistributionSaleCommon, DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestApprovals(DistributionSaleCommon):
    """Approval rules on sale orders and channel orders, on top of OCA tier validation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.finance = new_test_user(
            cls.env, login="dist_finance", groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id, company_ids=[Command.set(company.ids)], name="Finance Fay",
        )
        cls.backup = new_test_user(
            cls.env, login="dist_backup", groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id, company_ids=[Command.set(company.ids)], name="Backup Bo",
        )
        cls.salesman = new_test_user(
            cls.env, login="dist_salesman", groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id, company_ids=[Command.set(company.ids)], name="Sales Sam",
        )
        cls.channel_manager.sudo().group_ids = [Command.link(cls.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        cls.sale_model = cls.env.ref("sale.model_sale_order")
        cls.channel_order_model = cls.env.ref("distribution_sale.model_distribution_channel_order")
        # no rule from the demo or another module may interfere
        cls.env["tier.definition"].search([]).active = False
        cls.product_a.default_code = "PA-001"
        cls.product_b.default_code = "PB-002"
        cls.product_c = cls._create_product(name="product_c", lst_price=100.0, default_code="PC-003")

    def _rule(self, model=None, **vals):
        values = {
            "name": "Rule",
            "model_id": (model or self.sale_model).id,
            "review_type": "individual",
            "definition_domain": "[]",
            "approve_sequence": True,
            "dms_channel_rule": True,
        }
        values.update(vals)
        return self.env["tier.definition"].create(values)

    def _order(self, member="ga", qty=1, product=None, user=None):
        env = self.env(user=user) if user else self.env
        return env["sale.order"].create(
            {
                "partner_id": self.members[member].partner_id.id,
                "order_line": [Command.create({"product_id": (product or self.product_a).id, "product_uom_qty": qty})],
            }
        )

    # ------------------------------------------------------------------
    def test_two_step_rule_on_portal_order(self):
        """Channel manager first, then finance above 5,000: a portal order confirms after both."""
        self._rule(name="Channel manager", review_type="channel_manager", sequence=20)
        self._rule(
            name="Finance above 5000", reviewer_id=self.finance.id, sequence=10,
            definition_domain="[('amount_total', '>', 5000)]",
        )
        member = self.members["ga"].with_user(self.users["ga"])
        products, errors = member._parse_order_text("pa-001,5\n")
        self.assertFalse(errors)
        order = member._portal_submit_order(products).sudo()
        self.assertEqual(order._name, "sale.order")
        self.assertEqual(order.state, "draft", "a portal order needing approval is not confirmed")
        self.assertEqual(order.amount_total, 5750.0)  # 5 x 1,000 + 15% tax
        self.assertEqual(order.review_ids.mapped("name"), ["Channel manager", "Finance above 5000"])
        self.assertEqual(order.review_ids[0].reviewer_ids, self.channel_manager)
        self.assertEqual(order.review_ids.mapped("status"), ["pending", "waiting"])
        self.assertEqual(order.review_ids[0].requested_by, self.users["ga"])

        # finance cannot jump the queue
        with self.assertRaises(AccessError):
            order.with_user(self.finance).validate_tier()
        order.with_user(self.channel_manager).validate_tier()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.review_ids.mapped("status"), ["approved", "pending"])
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.state, "sale", "the last approval confirms the order")
        self.assertTrue(order.picking_ids, "and the delivery is created as for any confirmed order")

        # a small portal order only needs the channel manager
        small = member._portal_submit_order([(self.product_b, 1)]).sudo()
        self.assertEqual(small.review_ids.mapped("name"), ["Channel manager"])

    def test_no_rule_portal_order_confirms(self):
        member = self.members["ga"].with_user(self.users["ga"])
        order = member._portal_submit_order([(self.product_a, 1)])
        self.assertEqual(order.sudo().state, "sale")
        self.assertTrue(order.sudo().channel_portal_order)
        # the member reads its own order
        self.assertEqual(order.with_user(self.users["ga"]).name, order.sudo().name)

    def test_parse_order_text(self):
        member = self.members["ga"]
        self.product_b.barcode = "6901234567892"
        lines, errors = member._parse_order_text("PA-001,2\n ｐａ－００１ ， 3 \n6901234567892\nXX-9,1\nPB-002,abc\nPB-002,0\n")
        self.assertEqual(dict(lines), {self.product_a: 5.0, self.product_b: 1.0})
        self.assertEqual(len(errors), 3)
        self.assertTrue(any("XX-9" in error for error in errors), errors)

    # ------------------------------------------------------------------
    def test_escalation_working_hours(self):
        calendar = self.env["resource.calendar"].create({"name": "Office (UTC)", "tz": "UTC"})
        self.env.company.resource_calendar_id = calendar
        rule = self._rule(
            name="Manager", reviewer_id=self.channel_manager.id,
            dms_remind_hours=2, dms_escalate_hours=8, dms_backup_user_id=self.backup.id,
        )
        # Monday 30 Nov 2026, 09:00 UTC
        with freeze_time("2026-11-30 09:00:00"):
            order = self._order()
            order.action_confirm()
            review = order.review_ids
            self.assertEqual(review.status, "pending")
            self.assertEqual(review.dms_pending_since, datetime(2026, 11, 30, 9, 0))
        with freeze_time("2026-11-30 10:30:00"):  # 1.5 working hours
            self.env["tier.review"]._cron_escalate()
            self.assertFalse(review.dms_reminded)
        with freeze_time("2026-11-30 16:00:00"):  # 6 working hours (lunch excluded): reminder
            self.env["tier.review"]._cron_escalate()
            self.assertTrue(review.dms_reminded)
            self.assertFalse(review.dms_escalated_to_id)
            self.assertEqual(order.activity_ids.user_id, self.channel_manager)
        with freeze_time("2026-12-01 08:30:00"):  # 7.5 working hours
            self.env["tier.review"]._cron_escalate()
            self.assertFalse(review.dms_escalated_to_id)
        with freeze_time("2026-12-01 09:00:00"):  # 8 working hours: escalated to the backup
            self.env["tier.review"]._cron_escalate()
            self.assertEqual(review.dms_escalated_to_id, self.backup)
            self.assertEqual(review.reviewer_ids, self.backup)
            self.assertIn("escalated to Backup Bo", order.message_ids[0].body)
        with self.assertRaises(AccessError):
            order.with_user(self.channel_manager).validate_tier()
        order.with_user(self.backup).validate_tier()
        self.assertEqual(order.state, "sale")
        self.assertTrue(rule.active)

    def test_escalation_needs_backup(self):
        with self.assertRaisesRegex(ValidationError, "backup reviewer"):
            self._rule(name="No backup", reviewer_id=self.channel_manager.id, dms_escalate_hours=4)

    # ------------------------------------------------------------------
    def test_delegation(self):
        self._rule(name="Manager", review_type="channel_manager")
        order = self._order()
        order.action_confirm()
        review = order.review_ids
        self.assertEqual(review.reviewer_ids, self.channel_manager)
        delegation = self.env["distribution.approval.delegation"].with_user(self.channel_manager).create(
            {
                "user_id": self.channel_manager.id,
                "delegate_id": self.finance.id,
                "date_from": "2020-01-01 00:00:00",
                "date_to": "2099-01-01 00:00:00",
                "note": "Annual leave",
            }
        )
        self.assertEqual(review.reviewer_ids, self.finance, "open reviews go to the delegate at once")
        self.assertEqual(review.dms_delegated_from_ids, self.channel_manager)
        self.assertIn(order, self.env["sale.order"].with_user(self.finance).search([("reviewer_ids", "in", self.finance.ids)]))
        with self.assertRaises(AccessError):
            order.with_user(self.channel_manager).validate_tier()

        # a new order during the leave goes to the delegate as well; the end of the leave hands it back
        other = self._order(qty=2)
        other.action_confirm()
        self.assertEqual(other.review_ids.reviewer_ids, self.finance)
        delegation.active = False
        self.assertEqual(other.review_ids.reviewer_ids, self.channel_manager)

        delegation.active = True
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.state, "sale")
        self.assertEqual(review.done_by, self.finance)
        self.assertTrue(order.message_ids.filtered(lambda m: "on behalf of" in (m.body or "")))

        with self.assertRaisesRegex(UserError, "themself"):
            self.env["distribution.approval.delegation"].create(
                {"user_id": self.finance.id, "delegate_id": self.finance.id, "date_to": "2099-01-01 00:00:00"}
            )

    # ------------------------------------------------------------------
    def test_parallel_all_of_group(self):
        group = self.env["res.groups"].create({"name": "Credit committee", "user_ids": [Command.set((self.finance | self.backup).ids)]})
        self._rule(name="Committee", review_type="group", reviewer_group_id=group.id, dms_approve_all=True, approve_sequence=False)
        order = self._order()
        order.action_confirm()
        self.assertEqual(len(order.review_ids), 2)
        self.assertEqual(order.review_ids.mapped("reviewer_ids"), self.finance | self.backup)
        self.assertEqual(set(order.review_ids.mapped("status")), {"pending"})
        # the second member of the committee can approve first (parallel)
        order.with_user(self.backup).validate_tier()
        self.assertEqual(order.state, "draft", "one of two is not enough")
        with self.assertRaises(AccessError):
            order.with_user(self.backup).validate_tier()
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.state, "sale")

    def test_any_of_group(self):
        group = self.env["res.groups"].create({"name": "Approvers", "user_ids": [Command.set((self.finance | self.backup).ids)]})
        self._rule(name="Any approver", review_type="group", reviewer_group_id=group.id)
        order = self._order()
        order.action_confirm()
        self.assertEqual(len(order.review_ids), 1)
        order.with_user(self.backup).validate_tier()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    def test_reject_and_resubmit(self):
        self._rule(name="Manager", reviewer_id=self.channel_manager.id, definition_domain="[('amount_total', '>', 2000)]")
        order = self._order(qty=3, user=self.salesman)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.validation_status, "pending")
        # the Reject button asks for a reason
        action = order.with_user(self.channel_manager).reject_tier()
        self.assertEqual(action["res_model"], "comment.wizard")
        wizard = self.env["comment.wizard"].with_user(self.channel_manager).with_context(**action["context"]).create(
            {"comment": "Price too low for 3 units"}
        )
        wizard.add_comment()
        self.assertEqual(order.validation_status, "rejected")
        self.assertEqual(order.with_user(self.salesman).dms_rejection_reason, "Price too low for 3 units")
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "rejected"):
            order.with_user(self.salesman).action_confirm()
        # the requester changes the order and asks again
        order.with_user(self.salesman).restart_validation()
        order.with_user(self.salesman).order_line.product_uom_qty = 1
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "1 unit (1,150) is under the rule's threshold")

    def test_reject_needs_reason(self):
        self._rule(name="Manager", reviewer_id=self.channel_manager.id)
        order = self._order()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.channel_manager)._dms_reject("  ")

    # ------------------------------------------------------------------
    def test_credit_limit_rule(self):
        member = self.members["ga"]
        member.invalidate_recordset()
        # one confirmed order not invoiced: 2 x 1,000 + 15% = 2,300; one unpaid invoice of 100
        self.assertEqual(member.credit_exposure, 2400.0)
        self.tier_ga.default_credit_limit = 3000.0
        member.invalidate_recordset()
        self.assertEqual(member.credit_limit_effective, 3000.0)
        self.assertEqual(member.credit_available, 600.0)
        self._rule(name="Credit", reviewer_id=self.finance.id, definition_domain="[('channel_credit_exceeded', '=', True)]")
        small = self._order(product=self.product_c, qty=1)  # 100 + 15% = 115 -> 2,515
        self.assertFalse(small.channel_credit_exceeded)
        small.action_confirm()
        self.assertEqual(small.state, "sale")
        member.invalidate_recordset()
        self.assertEqual(member.credit_exposure, 2515.0)
        big = self._order(qty=1)  # 1,150 -> 3,665 > 3,000
        self.assertTrue(big.channel_credit_exceeded)
        self.assertIn(big, self.env["sale.order"].search([("channel_credit_exceeded", "=", True)]))
        big.action_confirm()
        self.assertEqual(big.state, "draft")
        self.assertEqual(big.review_ids.reviewer_ids, self.finance)
        # the member's own limit overrides the tier's
        member.credit_limit = 10000.0
        self.assertFalse(self._order(qty=1).channel_credit_exceeded)

    def test_suspended_member_cannot_order(self):
        member = self.members["dl_hz"]
        member._action_suspend("Unpaid invoices")
        with self.assertRaisesRegex(UserError, "cannot submit orders"):
            member.with_user(self.users["dl_hz"])._portal_submit_order([(self.product_a, 1)])
        order = self.env["distribution.channel.order"].create(
            {"buyer_member_id": member.id, "line_ids": [Command.create({"product_id": self.product_a.id})]}
        )
        with self.assertRaisesRegex(UserError, "cannot submit orders"):
            order.action_submit()
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            self._order(member="dl_hz").action_confirm()

    # ------------------------------------------------------------------
    def test_rpc_bypass_refused(self):
        self._rule(name="Manager", reviewer_id=self.channel_manager.id)
        order = self._order(user=self.salesman)
        as_salesman = order.with_user(self.salesman)
        # a direct write of the state
        with self.assertRaises(ValidationError):
            as_salesman.write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        # confirming only asks for approval
        as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.validation_status, "pending")
        with self.assertRaises(ValidationError):
            as_salesman.write({"state": "sale"})
        with self.assertRaises(ValidationError):
            SaleOrderBase.action_confirm(as_salesman)  # sale's own confirm, skipping ours
        # changing the order and its state in one call: the rules see the new amount
        small = self._order(user=self.salesman)
        self.env["tier.definition"].search([("name", "=", "Manager")]).definition_domain = "[('amount_total', '>', 5000)]"
        with self.assertRaises(ValidationError):
            small.with_user(self.salesman).write(
                {"order_line": [Command.update(small.order_line.id, {"product_uom_qty": 50})], "state": "sale"}
            )
        self.assertEqual(small.state, "draft")
        # forging a review
        with self.assertRaises(AccessError):
            as_salesman.review_ids.write({"status": "approved"})
        # the engine's marker cannot be sent as an RPC context (JSON)
        with self.assertRaises(AccessError):
            as_salesman.review_ids.with_context(dms_tier_engine=True).write({"status": "approved"})
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.salesman).create(
                {"model": "sale.order", "res_id": order.id, "definition_id": order.review_ids.definition_id.id,
                 "status": "approved"}
            )
        # validating someone else's review
        with self.assertRaises(AccessError):
            as_salesman.validate_tier()
        self.assertEqual(order.state, "draft")

    def test_requester_cannot_approve_own_when_forbidden(self):
        group = self.env["res.groups"].create(
            {"name": "Sales approvers", "user_ids": [Command.set((self.salesman | self.finance).ids)]}
        )
        self._rule(name="Four eyes", review_type="group", reviewer_group_id=group.id, exclude_requester=True)
        order = self._order(user=self.salesman)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft", "the requester is not one of its reviewers")
        self.assertEqual(order.review_ids.reviewer_ids, self.finance)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).validate_tier()
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.state, "sale")

    def test_queue_query_count_independent_of_backlog(self):
        """The reviewer's queue costs the same number of queries with 3 or 30 pending reviews."""
        self._rule(name="Manager", reviewer_id=self.channel_manager.id)
        domain = [("reviewer_ids", "in", self.channel_manager.ids), ("status", "=", "pending"), ("can_review", "=", True)]
        spec = {
            "create_date": {}, "dms_res_name": {}, "name": {}, "todo_by": {}, "status": {}, "dms_lead_time_hours": {},
            "requested_by": {"fields": {"display_name": {}}}, "dms_delegated_from_ids": {"fields": {"display_name": {}}},
        }
        Review = self.env["tier.review"].with_user(self.channel_manager)

        def open_queue(count):
            orders = self.env["sale.order"].create(
                [{"partner_id": self.members["ga"].partner_id.id,
                  "order_line": [Command.create({"product_id": self.product_c.id})]} for _i in range(count)]
            )
            orders.action_confirm()
            Review.web_search_read(domain, spec, limit=80)  # warm the rules and access caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = Review.web_search_read(domain, spec, limit=80)
            return self.env.cr.sql_log_count - before, result

        queries_small, result = open_queue(3)
        self.assertEqual(result["length"], 3)
        queries_big, result = open_queue(27)
        self.assertEqual(result["length"], 30)
        self.assertTrue(all(record["dms_res_name"] for record in result["records"]))
        self.assertEqual(queries_big, queries_small)
        self.assertLessEqual(queries_big, 20)

    def test_below_floor_approved_by_rule(self):
        """A below-floor order approved through a rule confirms although the approver is no Channel Manager."""
        self.env["distribution.price.floor"].create(
            {"product_id": self.product_a.id, "sell_in_floor": 900.0, "company_id": self.env.company.id}
        )
        self._rule(name="Below floor", reviewer_id=self.finance.id, definition_domain="[('channel_below_floor', '=', True)]")
        order = self._order(user=self.salesman)
        order.order_line.discount = 20.0  # 800 < 900
        self.assertTrue(order.channel_below_floor)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.finance).validate_tier()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestChannelOrders(DistributionSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.product_a.default_code = "PA-001"

    def _channel_order(self, member="dl_hz", qty=2):
        member = self.members[member].with_user(self.users[member])
        return member._portal_submit_order([(self.product_a, qty)])

    def test_flow_without_rule(self):
        order = self._channel_order()
        self.assertEqual(order._name, "distribution.channel.order")
        self.assertEqual(order.supplier_member_id, self.members["rd_zj"])
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.amount_total, 2000.0)
        self.assertTrue(
            order.message_ids.filtered(lambda m: self.users["rd_zj"].partner_id in m.partner_ids),
            "the supplier's portal users are told",
        )
        # the buyer cannot approve its own order; another distributor cannot either
        with self.assertRaises(AccessError):
            order.with_user(self.users["dl_hz"]).sudo().action_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.users["rd_js"]).read(["name"])
        supplier = order.with_user(self.users["rd_zj"]).sudo()
        supplier.action_approve()
        self.assertEqual(order.state, "approved")
        with self.assertRaises(AccessError):
            order.with_user(self.users["dl_hz"]).sudo().action_ship()
        supplier.action_ship()
        order.with_user(self.users["dl_hz"]).sudo().action_receive()
        self.assertEqual(order.state, "received")
        self.assertTrue(order.date_received)
        # sell-through, never HQ's revenue: no invoice, no sale order
        self.assertFalse(self.env["account.move"].search([("invoice_origin", "=", order.name)]))

    def test_state_cannot_be_written(self):
        order = self._channel_order()
        with self.assertRaises(AccessError):
            order.with_user(self.channel_manager).write({"state": "shipped"})
        with self.assertRaises(AccessError):
            order.with_user(self.channel_manager).with_context(dms_state_ok=True).write({"state": "shipped"})

    def test_parent_portal_rule_reject_and_resubmit(self):
        self.env["tier.definition"].create(
            {"name": "Distributor approves", "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "parent_portal", "definition_domain": "[('amount_total', '>', 1000)]"}
        )
        order = self._channel_order(qty=3)
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.review_ids.reviewer_ids, self.users["rd_zj"])
        # the general agent above is not the parent
        with self.assertRaises(AccessError):
            order.with_user(self.users["ga"]).sudo()._dms_approve()
        order.with_user(self.users["rd_zj"]).sudo()._dms_reject("Too many for your stock")
        self.assertEqual(order.state, "rejected")
        self.assertEqual(order.reject_reason, "Too many for your stock")
        buyer = order.with_user(self.users["dl_hz"]).sudo()
        buyer.action_draft()
        self.assertFalse(order.review_ids)
        buyer.line_ids.product_uom_qty = 2
        buyer.action_submit()
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.users["rd_zj"]).sudo().action_approve()
        self.assertEqual(order.state, "approved")
        self.assertEqual(order.review_ids.done_by, self.users["rd_zj"])

    def test_price_from_channel_pricelist(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "Dealer (test)", "item_ids": [Command.create({"applied_on": "0_product_variant",
             "product_id": self.product_a.id, "compute_price": "fixed", "fixed_price": 812.34})]}
        )
        self.members["dl_hz"].sudo().pricelist_id = pricelist
        order = self._channel_order(qty=3)
        self.assertEqual(order.line_ids.price_unit, 812.34)
        self.assertEqual(order.amount_total, 2437.02)


@tagged("post_install", "-at_install")
class TestOtherDocumentApprovals(DistributionSaleCommon):
    """Price publications go through the same engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def test_publication_needs_reviewer(self):
        publication = self._submitted_publication()
        self.assertEqual(publication.validation_status, "pending")
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            publication.with_user(self.channel_manager).action_approve()
        publication.with_user(self.channel_user).action_approve()
        self.assertEqual(publication.state, "approved")
        # back to draft clears the reviews; a new submission asks again
        publication.with_user(self.channel_manager).action_reset()
        self.assertFalse(publication.review_ids)
        publication.with_user(self.channel_manager).action_submit()
        self.assertEqual(publication.validation_status, "pending")

    def test_publication_rejected_goes_back_to_draft(self):
        """The reviewer refuses the prices: the publication is back in Draft to be changed (nothing
        published), the reason in its chatter addressed to whoever submitted it; submitted again,
        the rules apply anew."""
        publication = self._submitted_publication()
        review = publication.review_ids
        publication.with_user(self.channel_user)._dms_reject("900 is above the floor we agreed")
        self.assertEqual(
            (publication.state, publication.validation_status, publication.reviewed_by_id, review.done_by),
            ("draft", "rejected", self.env["res.users"], self.channel_user),
        )
        self.assertFalse(publication.published_date)
        self.assertEqual(publication.with_user(self.channel_manager).dms_rejection_reason,
                         "900 is above the floor we agreed")
        note = publication.message_ids.filtered(lambda m: "900 is above the floor we agreed" in (m.body or ""))
        self.assertEqual(note.author_id, self.channel_user.partner_id)
        self.assertIn(self.channel_manager.partner_id, note.partner_ids, "the submitter is told")
        with self.assertRaises(UserError):
            publication.with_user(self.channel_user).action_approve()
        # in Draft the prices can be changed, then submitted again: a new review, pending
        publication.line_ids.with_user(self.channel_manager).write({"new_price": 850.0})
        publication.with_user(self.channel_manager).action_submit()
        self.assertEqual((publication.state, publication.validation_status), ("to_review", "pending"))
        self.assertNotIn(review, publication.review_ids)
        publication.with_user(self.channel_user).action_approve()
        self.assertEqual((publication.state, publication.line_ids.new_price), ("approved", 850.0))


@tagged("post_install", "-at_install")
class TestRejectionOnThePortal(DistributionSaleHttpCommon):
    """A member whose order is refused sees it where he looks: his order's portal page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    def test_rejected_order_to_hq_is_shown_to_the_member(self):
        """A member's order to HQ refused by the channel manager stays a quotation (nothing
        delivered), the reason in its chatter for the member who ordered and on his order page."""
        self.env["tier.definition"].create(
            {"name": "Manager checks portal orders", "model_id": self.env.ref("sale.model_sale_order").id,
             "review_type": "individual", "reviewer_id": self.channel_manager.id,
             "definition_domain": "[('channel_portal_order', '=', True)]", "dms_channel_rule": True}
        )
        buyer = self.users["ga"]
        order = self.members["ga"].with_user(buyer)._portal_submit_order([(self.product_a, 2)]).sudo()
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.channel_manager)._dms_reject("Wait for the new prices")
        self.assertEqual((order.state, order.validation_status, order.review_ids.done_by),
                         ("draft", "rejected", self.channel_manager))
        self.assertFalse(order.picking_ids)
        note = order.message_ids.filtered(lambda m: "Wait for the new prices" in (m.body or ""))
        self.assertIn(buyer.partner_id, note.partner_ids, "the member who ordered is told")
        self.authenticate(buyer.login, buyer.login)
        page = self.url_open(f"/my/channel/orders/sale/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Wait for the new prices", page.text)

    def test_rejected_channel_order_is_shown_to_the_buyer(self):
        self.env["tier.definition"].create(
            {"name": "Distributor approves", "model_id": self.env.ref("distribution_sale.model_distribution_channel_order").id,
             "review_type": "parent_portal", "definition_domain": "[]"}
        )
        buyer = self.users["dl_hz"]
        order = self.members["dl_hz"].with_user(buyer)._portal_submit_order([(self.product_a, 2)]).sudo()
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.users["rd_zj"])._dms_portal_decide(order.review_ids, "reject", "Out of stock here")
        self.assertEqual((order.state, order.reject_reason, order.review_ids.done_by),
                         ("rejected", "Out of stock here", self.users["rd_zj"]))
        self.authenticate(buyer.login, buyer.login)
        page = self.url_open(f"/my/channel/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Out of stock here", page.text)
