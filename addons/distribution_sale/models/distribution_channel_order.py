from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.distribution_approval.tools import ENGINE

ORDER_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("received", "Received"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# ordered and not received yet: what the buyer still expects to come in (replenishment
# suggestions of the stock analysis and of the POS count them)
OPEN_CHANNEL_ORDER_STATES = ("submitted", "approved", "shipped")


class DistributionChannelOrder(models.Model):
    """An order between two members of the channel (a dealer buying from its
    distributor). HQ sees it as sell-through: it is never HQ's revenue and
    creates no accounting entry in HQ's books."""

    _name = "distribution.channel.order"
    _description = "Channel Order"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"

    _state_from = ["submitted"]
    _state_to = ["approved", "shipped", "received"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = ("buyer_member_id", "supplier_member_id", "pricelist_id", "amount_total", "line_ids")
    _dms_approval_on_change = "reset"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index=True)
    buyer_member_id = fields.Many2one(
        "distribution.member",
        string="Buyer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("parent_id", "!=", False)],
    )
    supplier_member_id = fields.Many2one(
        "distribution.member",
        string="Supplier",
        compute="_compute_supplier_member_id",
        store=True,
        index=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        tracking=True,
    )
    channel_member_id = fields.Many2one(related="buyer_member_id", string="Channel Member")
    channel_tier_id = fields.Many2one(related="buyer_member_id.tier_id", string="Channel Tier", store=True)
    channel_territory_id = fields.Many2one(
        related="buyer_member_id.territory_id", string="Sales Territory", store=True
    )
    company_id = fields.Many2one(related="buyer_member_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Channel Pricelist",
        compute="_compute_pricelist_id",
        store=True,
        precompute=True,
        help="The buyer's channel pricelist at submission.",
    )
    line_ids = fields.One2many("distribution.channel.order.line", "order_id", string="Lines", copy=True)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True, string="Total (excl. tax)")
    state = fields.Selection(ORDER_STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    note = fields.Text()
    reject_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False, tracking=True)
    requested_by_id = fields.Many2one("res.users", string="Ordered By", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    date_shipped = fields.Datetime(string="Shipped On", readonly=True, copy=False)
    date_received = fields.Datetime(string="Received On", readonly=True, copy=False)
    channel_first_order = fields.Boolean(
        string="First Order of the Member",
        compute="_compute_channel_first_order",
        search="_search_channel_first_order",
        help="The buyer has no earlier approved channel order.",
    )

    @api.depends("buyer_member_id")
    def _compute_supplier_member_id(self):
        for order in self:
            order.supplier_member_id = order.buyer_member_id.parent_id

    @api.depends("buyer_member_id.pricelist_id")
    def _compute_pricelist_id(self):
        for order in self:
            if order.state == "draft" or not order.pricelist_id:
                order.pricelist_id = order.buyer_member_id.pricelist_id

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("price_subtotal"))

    def _compute_channel_first_order(self):
        seen = set(
            self.sudo()
            .search(
                [
                    ("buyer_member_id", "in", self.buyer_member_id.ids),
                    ("state", "in", ("approved", "shipped", "received")),
                ]
            )
            .mapped("buyer_member_id")
            .ids
        )
        for order in self:
            order.channel_first_order = order.buyer_member_id.id not in seen

    def _search_channel_first_order(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        query = self.sudo()._search([("state", "in", ("approved", "shipped", "received"))])
        has_order = [("buyer_member_id", "in", query.subselect("buyer_member_id"))]
        positive = (operator == "=") == bool(value)
        return ["!"] + has_order if positive else has_order

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("distribution.channel.order") or "/"
        orders = super().create(vals_list)
        orders._check_user_scope()
        for order in orders:
            if not order.supplier_member_id:
                raise UserError(
                    self.env._(
                        "%(member)s is supplied directly by HQ: order with a sale order instead.",
                        member=order.buyer_member_id.display_name,
                    )
                )
        return orders

    def write(self, vals):
        if "state" in vals and not (self.env.su or self.env.context.get("dms_state_ok") is ENGINE):
            raise AccessError(self.env._("The state of a channel order changes through its buttons only."))
        if any(key in vals for key in ("line_ids", "buyer_member_id", "supplier_member_id", "pricelist_id")):
            if self.filtered(lambda o: o.state != "draft") and self.env.context.get("dms_state_ok") is not ENGINE:
                raise UserError(self.env._("Only draft channel orders can be changed."))
        self._check_user_scope()
        res = super().write(vals)
        if "buyer_member_id" in vals:
            self._check_user_scope()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_scope(self):
        self._check_user_scope()

    def _check_user_scope(self):
        """A back-office user who is not a channel manager acts only on the orders of the members in
        his part of the channel (see distribution.member._check_user_scope); buttons included."""
        self.buyer_member_id._check_user_scope()

    def _set_state(self, state, **vals):
        vals["state"] = state
        return self.with_context(dms_state_ok=ENGINE, skip_validation_check=True, dms_tier_engine=ENGINE).write(vals)

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------
    def _user_member(self):
        return self.env["distribution.member"]._for_user()

    def _is_channel_staff(self):
        user = self.env.user
        return not user.share and (user._is_superuser() or user.has_group("distribution_core.group_channel_user"))

    def _check_buyer(self):
        for order in self:
            if self._is_channel_staff():
                order._check_user_scope()
                continue
            if order.buyer_member_id != self._user_member():
                raise AccessError(self.env._("Only the buyer can do this on %(name)s.", name=order.name))

    def _check_supplier(self):
        for order in self:
            if self._is_channel_staff():
                order._check_user_scope()
                continue
            if order.supplier_member_id != self._user_member():
                raise AccessError(self.env._("Only the supplier can do this on %(name)s.", name=order.name))

    def _member_partners(self, member):
        """The people of a member who follow its orders: its portal users."""
        users = self.env["res.users"].sudo().search(
            [("share", "=", True), ("partner_id.commercial_partner_id", "=", member.partner_id.id)]
        )
        return users.partner_id

    def _notify(self, member, body):
        for order in self:
            partners = order._member_partners(member(order))
            order.sudo().message_post(
                body=body, partner_ids=partners.ids, subtype_xmlid="mail.mt_comment", message_type="comment"
            )

    def _check_state(self, allowed):
        for order in self:
            if order.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: this is not possible any more.",
                        name=order.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[order.state],
                    )
                )

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------
    def action_submit(self):
        self._check_state(["draft"])
        self._check_buyer()
        for order in self:
            order.buyer_member_id._check_can_order()
            if not order.line_ids:
                raise UserError(self.env._("Add at least one product to %(name)s.", name=order.name))
            order.line_ids._check_quantities()
        self._set_state(
            "submitted",
            date_submitted=fields.Datetime.now(),
            requested_by_id=self.env.user.id,
            reject_reason=False,
        )
        self._dms_request_or_pass()
        self._notify(
            lambda o: o.supplier_member_id,
            self.env._("New order from your sub-member, to approve and ship."),
        )
        return True

    def action_approve(self):
        """The supplier confirms the order; if approval rules apply, this is the
        current reviewer's approval instead."""
        self._check_state(["submitted"])
        for order in self._dms_review_or_pass():
            order._check_supplier()
            order._set_state("approved", date_approved=fields.Datetime.now())
            order._notify(lambda o: o.buyer_member_id, self.env._("Your order was approved by your supplier."))
        return True

    def _dms_on_validated(self):
        # the engine's decision, whoever the rule made reviewer (sudo: an approver outside the
        # buyer's part of the channel decides all the same; who decided stays the current user)
        self.sudo()._set_state("approved", date_approved=fields.Datetime.now())
        self._notify(lambda o: o.buyer_member_id, self.env._("All approvals given: the order is approved."))

    def _dms_portal_approval_summary(self):
        """My Approvals: the buyer (the sub-member who orders), its page for whoever may read it."""
        result = super()._dms_portal_approval_summary()
        for order in self.sudo():
            result[order.id]["member"] = order.buyer_member_id.name
        return result

    def _dms_on_rejected(self):
        """A reviewer refused it: Rejected with his reason (the buyer changes it and submits it
        again, or cancels it). The buyer's portal users and whoever asked for the approval (the
        cashier of a till's replenishment) are told."""
        reason = self.dms_rejection_reason or self.env._("Rejected by a reviewer.")
        self.sudo()._set_state("rejected", reject_reason=reason)
        self.sudo().message_subscribe(partner_ids=self.sudo().review_ids.requested_by.partner_id.ids)
        self._notify(lambda o: o.buyer_member_id, self.env._("Order rejected: %(reason)s", reason=reason))

    def action_reject(self, reason=None):
        self._check_state(["submitted"])
        reason = (reason or self.env.context.get("reject_reason") or "").strip()
        if not reason:
            raise UserError(self.env._("Please give the reason for the rejection."))
        for order in self:
            if order.review_ids and order.validation_status in ("waiting", "pending") and order.can_review:
                order._dms_reject(reason)
                continue
            order._check_supplier()
            order._set_state("rejected", reject_reason=reason)
            order._notify(lambda o: o.buyer_member_id, self.env._("Order rejected: %(reason)s", reason=reason))
        return True

    def action_ship(self):
        self._check_state(["approved"])
        self._check_supplier()
        self._set_state("shipped", date_shipped=fields.Datetime.now())
        self._notify(lambda o: o.buyer_member_id, self.env._("Your order was shipped."))
        return True

    def action_receive(self):
        self._check_state(["shipped"])
        self._check_buyer()
        self._set_state("received", date_received=fields.Datetime.now())
        return True

    def action_cancel(self):
        self._check_state(["draft", "submitted", "rejected"])
        self._check_buyer()
        self._set_state("cancelled")
        return True

    def action_draft(self):
        """Back to draft to change and resubmit (after a rejection or a cancellation)."""
        self._check_state(["rejected", "cancelled"])
        self._check_buyer()
        self.review_ids.with_context(dms_tier_engine=ENGINE).unlink()
        self._set_state("draft")
        return True

    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_action": "reject_channel_order",
                "active_model": self._name,
                "active_ids": self.ids,
            },
        }

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/channel/orders/{order.id}"
        return res

    def _get_to_validate_message_name(self):
        return self.env._("Channel Order")
