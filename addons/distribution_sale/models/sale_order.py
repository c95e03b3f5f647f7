from odoo import api, fields, models
from odoo.exceptions import UserError

from ..demo import history as demo_history


class SaleOrder(models.Model):
    _inherit = "sale.order"
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    # sale_tier_validation (and whoever already uses it) makes rules on orders too: a rule
    # made by code is a channel rule only when it says so (dms_channel_rule); in the form,
    # and in our demo and tests, rules on orders are channel rules
    _dms_approval_rules_default = False
    # what an approval of an order is about (besides what the rules read)
    _dms_approval_fields = (
        "partner_id",
        "partner_invoice_id",
        "pricelist_id",
        "currency_id",
        "company_id",
        "user_id",
        "amount_untaxed",
        "amount_total",
        "channel_max_discount",
        "channel_below_floor",
    )
    # an approved order not confirmed yet (e.g. its confirmation failed) whose figures
    # change loses its approval and goes through the rules again
    _dms_approval_on_change = "reset"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Member",
        related="partner_id.commercial_partner_id.channel_member_id",
        store=True,
        index="btree_not_null",
    )
    channel_tier_id = fields.Many2one(related="channel_member_id.tier_id", string="Channel Tier")
    channel_territory_id = fields.Many2one(related="channel_member_id.territory_id", string="Sales Territory")
    channel_below_floor = fields.Boolean(
        string="Below Price Floor",
        compute="_compute_channel_below_floor",
        store=True,
        help="At least one line is priced under the channel's minimum sell-in price.",
    )

    channel_max_discount = fields.Float(
        string="Largest Discount (%)",
        compute="_compute_channel_max_discount",
        store=True,
        help="The largest line discount, for approval rules.",
    )
    channel_first_order = fields.Boolean(
        string="First Order of the Member",
        compute="_compute_channel_first_order",
        search="_search_channel_first_order",
        help="The channel member has no confirmed order yet.",
    )
    channel_credit_exceeded = fields.Boolean(
        string="Credit Limit Exceeded",
        compute="_compute_channel_credit_exceeded",
        search="_search_channel_credit_exceeded",
        help="The member's exposure plus this order is above its credit limit.",
    )
    channel_portal_order = fields.Boolean(
        string="Ordered in the Portal", readonly=True, copy=False, help="Entered by the member in the portal."
    )

    @api.depends("order_line.discount")
    def _compute_channel_max_discount(self):
        for order in self:
            order.channel_max_discount = max(order.order_line.mapped("discount") or [0.0])

    @api.depends("channel_member_id", "state")
    def _compute_channel_first_order(self):
        confirmed = dict(
            self.sudo()._read_group(
                [("channel_member_id", "in", self.channel_member_id.ids), ("state", "=", "sale")],
                ["channel_member_id"],
                ["__count"],
            )
        )
        for order in self:
            others = confirmed.get(order.channel_member_id, 0) - (1 if order.state == "sale" else 0)
            order.channel_first_order = bool(order.channel_member_id) and others <= 0

    def _search_channel_first_order(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        query = self.sudo()._search([("state", "=", "sale"), ("channel_member_id", "!=", False)])
        has_order = [("channel_member_id", "in", query.subselect("channel_member_id"))]
        positive = (operator == "=") == bool(value)
        if positive:
            return [("channel_member_id", "!=", False), "!"] + has_order
        return has_order

    @api.depends("channel_member_id", "amount_total", "state")
    def _compute_channel_credit_exceeded(self):
        members = self.channel_member_id
        exposure = members._credit_exposure_map() if members else {}
        today = fields.Date.context_today(self)
        for order in self:
            member = order.channel_member_id
            limit = member.credit_limit or member.tier_id.default_credit_limit
            if not member or not limit:
                order.channel_credit_exceeded = False
                continue
            amount = exposure.get(member.id, 0.0)
            if order.state in ("draft", "sent"):
                amount += order.currency_id._convert(
                    order.amount_total, order.company_id.currency_id, order.company_id, today
                )
            order.channel_credit_exceeded = order.company_id.currency_id.compare_amounts(amount, limit) > 0

    def _search_channel_credit_exceeded(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        # Only members with a credit limit (their own, or their tier's) can exceed one: their exposure is
        # read once, set-based. Every order of a member already above his limit is over it (the field
        # says so whatever the order's state); a quotation is over it when its amount tips the member over.
        Member = self.env["distribution.member"].sudo()
        members = Member.search(
            ["|", ("credit_limit", ">", 0), ("tier_id.default_credit_limit", ">", 0)]
        )
        exposure = members._credit_exposure_map() if members else {}
        over, under = [], []
        for member in members:
            limit = member.credit_limit or member.tier_id.default_credit_limit
            currency = member.company_id.currency_id or self.env.company.currency_id
            (over if currency.compare_amounts(exposure.get(member.id, 0.0), limit) > 0 else under).append(member.id)
        quotations = self.sudo().search(
            [("state", "in", ("draft", "sent")), ("channel_member_id", "in", under)]
        ) if under else self.browse()
        domain = ["|", ("channel_member_id", "in", over), ("id", "in", quotations.filtered("channel_credit_exceeded").ids)]
        return domain if positive else ["!", *domain]

    # ------------------------------------------------------------------
    # A channel user acts on the orders of his part of the channel only
    # ------------------------------------------------------------------
    def _check_channel_scope(self):
        """AccessError unless the orders of channel members are in the current user's part of the
        channel (the members and territories he manages, see distribution.member._check_user_scope),
        when he is a channel user but not a channel manager: on create, write, unlink and every
        button. Other back-office roles (sales, accounting) follow Odoo's own rules, portal users
        their record rules; the superuser and the engines' sudo calls (portal ordering, approvals)
        pass."""
        if self.env.su or not self.env.user.has_group("distribution_core.group_channel_user"):
            return
        # sudo: the member of each order, whatever the user may read of it (he reads the channel)
        self.sudo().channel_member_id.with_env(self.env)._check_user_scope()

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._check_channel_scope()
        return orders

    def write(self, vals):
        self._check_channel_scope()
        res = super().write(vals)
        if "partner_id" in vals:
            self._check_channel_scope()  # never handed to another region's member
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_channel_scope(self):
        self._check_channel_scope()

    def action_draft(self):
        self._check_channel_scope()
        return super().action_draft()

    def action_quotation_send(self):
        self._check_channel_scope()
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._check_channel_scope()
        super().action_quotation_sent()
        return True  # Odoo's returns None, which an XML-RPC client cannot read

    def action_cancel(self):
        self._check_channel_scope()
        return super().action_cancel()

    def action_lock(self):
        self._check_channel_scope()
        super().action_lock()
        return True  # Odoo's returns None, which an XML-RPC client cannot read

    def action_unlock(self):
        self._check_channel_scope()
        super().action_unlock()
        return True  # Odoo's returns None, which an XML-RPC client cannot read

    def action_update_prices(self):
        self._check_channel_scope()
        super().action_update_prices()
        return True  # Odoo's returns None, which an XML-RPC client cannot read

    def action_update_taxes(self):
        self._check_channel_scope()
        super().action_update_taxes()
        return True  # Odoo's returns None, which an XML-RPC client cannot read

    def request_validation(self):
        self._check_channel_scope()
        return super().request_validation()

    def restart_validation(self):
        self._check_channel_scope()
        return super().restart_validation()

    def _create_invoices(self, grouped=False, final=False, date=None):
        self._check_channel_scope()
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _dms_review_context(self):
        context = super()._dms_review_context()
        if not context["manager"]:
            context["manager"] = self.user_id
        return context

    # ------------------------------------------------------------------
    # Confirmation and approvals
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Orders that need approval are sent for approval instead of failing; they
        confirm by themselves when the last reviewer approves."""
        self._check_channel_scope()
        for order in self:
            if order.channel_member_id.state in ("suspended", "terminated"):
                raise UserError(
                    self.env._(
                        "%(member)s is %(state)s: its orders cannot be confirmed.",
                        member=order.channel_member_id.display_name,
                        state=dict(order.channel_member_id._fields["state"]._description_selection(self.env))[
                            order.channel_member_id.state
                        ],
                    )
                )
        ready = self._dms_request_or_pass()
        waiting = self - ready
        ready._dms_check_credit_on_approval()
        if ready:
            res = super(SaleOrder, ready).action_confirm()
        else:
            res = True
        if waiting and len(self) == 1:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "title": self.env._("Sent for approval"),
                    "message": self.env._(
                        "%(name)s needs approval: %(todo)s. It will be confirmed when approved.",
                        name=self.name,
                        todo=self.review_ids.filtered(lambda r: r.status == "pending")[:1].todo_by or "-",
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                    "sticky": False,
                },
            }
        return res

    def _dms_check_credit_on_approval(self):
        """An order confirmed by its last approval is checked against the credit limit again, at the
        exposure of this moment: other orders of the member may have been confirmed or invoiced since it
        was submitted. Refused when it would take the member over its limit, unless a credit rule's
        reviewer approved exceeding it. One confirmation at a time per member: the member rows are
        updated first, so that of two concurrent confirmations the second one waits for the first and
        then fails to serialise (and is retried against the new exposure) instead of both passing."""
        approved = self.filtered(
            lambda o: o.channel_member_id and o.review_ids and o.validation_status == "validated"
            and (o.channel_member_id.credit_limit or o.channel_member_id.tier_id.default_credit_limit)
            and not any("channel_credit_exceeded" in (review.definition_id.definition_domain or "")
                        for review in o.review_ids)
        )
        if not approved:
            return
        members = approved.channel_member_id
        self.env["distribution.member"].flush_model()
        self.env.cr.execute(
            "UPDATE distribution_member SET write_date = write_date WHERE id = ANY(%s)", [members.ids]
        )
        exposure = members._credit_exposure_map()
        today = fields.Date.context_today(self)
        for order in approved:
            member = order.channel_member_id
            company = order.company_id
            limit = member.credit_limit or member.tier_id.default_credit_limit
            amount = order.currency_id._convert(order.amount_total, company.currency_id, company, today)
            after = exposure[member.id] + amount
            if company.currency_id.compare_amounts(after, limit) > 0:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed: %(member)s's credit limit is %(limit)s and its exposure is "
                        "already %(exposure)s (open orders and unpaid invoices); with this order of %(amount)s it "
                        "would be %(after)s. Wait for a payment, raise the limit, or have the order approved under "
                        "a credit rule.",
                        order=order.name,
                        member=member.display_name,
                        limit=company.currency_id.format(limit),
                        exposure=company.currency_id.format(exposure[member.id]),
                        amount=company.currency_id.format(amount),
                        after=company.currency_id.format(after),
                    )
                )
            exposure[member.id] = after  # several orders confirmed together count each other

    def _dms_on_validated(self):
        # the approval is the decision: confirm as the approver, with the rights to do it
        self.sudo().action_confirm()
        self.message_post(body=self.env._("All approvals given: the order is confirmed."))

    def _dms_portal_approval_summary(self):
        """My Approvals: the channel member who orders (else the customer), the total with taxes."""
        result = super()._dms_portal_approval_summary()
        for order in self.sudo():
            if order.channel_member_id:
                result[order.id]["member"] = order.channel_member_id.name
        return result

    @api.depends("order_line.channel_below_floor")
    def _compute_channel_below_floor(self):
        for order in self:
            order.channel_below_floor = any(order.order_line.mapped("channel_below_floor"))

    def _confirmation_error_message(self):
        """Below-floor orders wait for a channel manager (until an approval rule
        takes over this decision)."""
        error = super()._confirmation_error_message()
        if error or not self.channel_below_floor:
            return error
        if self.review_ids and self.validation_status == "validated":
            return False
        if self.env.user.has_group("distribution_core.group_channel_manager"):
            return False
        lines = self.order_line.filtered("channel_below_floor")
        return self.env._(
            "%(order)s has %(count)s line(s) below the channel price floor (e.g. %(product)s at %(price)s, floor "
            "%(floor)s). Only a Channel Manager can confirm it.",
            order=self.name,
            count=len(lines),
            product=lines[0].product_id.display_name,
            price=self.currency_id.format(lines[0]._channel_net_price()),
            floor=self.currency_id.format(lines[0].channel_floor_price),
        )

    @api.model
    def _demo_build_history(self, part):
        """Demo data only (demo/sale_order_history.xml, demo/sale_order_portal_history.xml): compute
        ``part`` of the sell-in demo's history, dated relative to today (demo/history.py)."""
        return demo_history.build(self.env, part)
