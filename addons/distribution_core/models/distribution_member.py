import re
import unicodedata

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.codes import normalize_code
from ..tools.safe_io import is_sane_number
from .distribution_territory import has_parent_cycle, moves_under_itself

STATES = [
    ("application", "Application"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]




class DistributionMember(models.Model):
    """A partner's place in the channel (渠道商)."""

    _name = "distribution.member"
    _description = "Channel Member"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _parent_store = True
    _parent_name = "parent_id"
    _order = "tier_sequence, name, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Member Company",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    name = fields.Char(related="partner_id.name", store=True, readonly=True)
    code = fields.Char(required=True, tracking=True, copy=False, help="Unique member code, normalised to upper case.")
    tier_id = fields.Many2one("distribution.tier", required=True, ondelete="restrict", tracking=True, index=True)
    tier_sequence = fields.Integer(related="tier_id.sequence", store=True)
    parent_id = fields.Many2one(
        "distribution.member",
        string="Parent Member",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Supplier of this member in the channel. Empty: supplied directly by HQ.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("distribution.member", "parent_id", string="Sub-members")
    territory_id = fields.Many2one("distribution.territory", ondelete="restrict", tracking=True, index=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Channel Manager",
        domain=[("share", "=", False)],
        default=lambda self: self.env.user if not self.env.user.share else False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Channel Pricelist",
        readonly=True,
        index="btree_not_null",
        help="The pricelist this member buys at, from the pricelist rules (or the tier's default).",
    )
    state = fields.Selection(STATES, default="application", required=True, tracking=True, index=True)
    date_applied = fields.Date(default=fields.Date.context_today)
    date_activated = fields.Date(readonly=True)
    date_suspended = fields.Date(readonly=True)
    date_terminated = fields.Date(readonly=True)
    state_reason = fields.Text(string="Reason", tracking=True, help="Why the member was suspended or terminated.")
    vat = fields.Char(related="partner_id.vat")
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    color = fields.Integer(related="tier_id.color")
    image_128 = fields.Image(related="partner_id.image_128")
    depth = fields.Integer(compute="_compute_depth", help="1 for members directly under HQ.")
    path_display = fields.Char(string="Place in Channel", compute="_compute_path_display")
    child_count = fields.Integer(compute="_compute_child_count", string="Direct Sub-members")
    descendant_count = fields.Integer(compute="_compute_child_count", string="Whole Subtree")
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    credit_limit = fields.Monetary(
        string="Own Credit Limit",
        tracking=True,
        help="Maximum exposure (open orders + unpaid invoices, tax included). 0: the tier's default credit limit.",
    )
    credit_limit_effective = fields.Monetary(
        string="Credit Limit in Force", compute="_compute_credit", help="0: no credit limit."
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit",
        help="Confirmed orders not yet invoiced plus unpaid invoices, tax included, in the company currency.",
    )
    credit_available = fields.Monetary(compute="_compute_credit")
    channel_order_count = fields.Integer(compute="_compute_channel_order_count")
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    _code_unique = models.Constraint("UNIQUE(code, company_id)", "This member code is already used.")
    # codes are stored normalised (upper case), whoever writes them: a code differing only in case
    # from another one is the same code
    _code_upper_unique = models.UniqueIndex("(upper(code), company_id)", "This member code is already used.")
    _partner_unique = models.Constraint("UNIQUE(partner_id, company_id)", "This company is already a channel member.")

    def _has_cycle(self, field_name=None):
        if field_name in (None, self._parent_name):
            return has_parent_cycle(self)  # a query per tier, whatever the size of the channel
        return super()._has_cycle(field_name)

    @api.depends("parent_path")
    def _compute_depth(self):
        for member in self:
            member.depth = (member.parent_path or "").count("/")

    @api.depends("name", "parent_id")
    def _compute_path_display(self):
        hq = self.env.company.name
        for member in self:
            names = []
            node = member.sudo()  # the names of the ancestors only, to show a member its place
            while node:
                names.append(node.name or "")
                node = node.parent_id
            member.path_display = " › ".join([hq, *reversed(names)])

    def _compute_child_count(self):
        children = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        subtree_paths = self.search([("id", "child_of", self.ids)]).mapped("parent_path") if self.ids else []
        for member in self:
            member.child_count = children.get(member, 0)
            prefix = member.parent_path or "-"
            member.descendant_count = sum(1 for path in subtree_paths if path.startswith(prefix)) - 1 if member.id else 0

    def _compute_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group([("channel_member_id", "in", self.ids)], ["channel_member_id"], ["__count"])
        )
        for member in self:
            member.sale_order_count = counts.get(member, 0)

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("channel_member_id", "in", self.ids), ("move_type", "in", ("out_invoice", "out_refund"))],
                ["channel_member_id"],
                ["__count"],
            )
        )
        for member in self:
            member.invoice_count = counts.get(member, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for member in self:
            member.display_name = f"[{member.code}] {member.name}" if member.code else (member.name or "")

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "=ilike", "like", "=like") and value:
            return ["|", ("code", operator, value), ("name", operator, value)]
        return super()._search_display_name(operator, value)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = normalize_code(vals["code"])
            today = fields.Date.context_today(self)
            if vals.get("state") in ("active", "suspended", "terminated") and not vals.get("date_activated"):
                vals["date_activated"] = today
            if vals.get("state") == "suspended" and not vals.get("date_suspended"):
                vals["date_suspended"] = today
            if vals.get("state") == "terminated" and not vals.get("date_terminated"):
                vals["date_terminated"] = today
        self.check_access("create")  # before telling anything about other members
        self._check_duplicates(vals_list)
        members = super().create(vals_list)
        members._check_user_placement()
        members._apply_channel_pricelist()
        return members

    def write(self, vals):
        if vals.get("parent_id") and moves_under_itself(self, self.browse(vals["parent_id"])):
            raise ValidationError(
                self.env._("A member cannot be placed under itself or under one of its own sub-members.")
            )
        if vals.get("code"):
            vals["code"] = normalize_code(vals["code"])
            self._check_duplicates([dict(vals, partner_id=m.partner_id.id) for m in self], exclude=self)
        self._check_user_scope()
        res = super().write(vals)
        if {"parent_id", "territory_id"} & set(vals):
            self._check_user_placement()
        if {"tier_id", "territory_id", "company_id"} & set(vals):
            self._apply_channel_pricelist()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_scope(self):
        self._check_user_scope()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        for member in self:
            if member.state != "application" or member.child_ids:
                raise UserError(
                    self.env._(
                        "Member %(name)s has been active in the channel: terminate it instead of deleting it.",
                        name=member.display_name,
                    )
                )

    def _apply_channel_pricelist(self):
        """Give each member's company the pricelist its channel rules (or its
        tier) assign; quotations, the portal and the POS then follow Odoo's
        own partner pricelist."""
        pricelists = self.env["distribution.pricelist.rule"].sudo()._pricelists_for_members(self)
        Pricelist = self.env["product.pricelist"]
        # one write per pricelist, not per member: a write makes the ORM look for what depends on
        # the field (e.g. the channel orders of the members), once per write
        members_to_set = {}
        partners_to_set = {}
        for member in self:
            pricelist = pricelists.get(member.id) or Pricelist
            if member.pricelist_id != pricelist:
                members_to_set.setdefault(pricelist, []).append(member.id)
            partner = member.partner_id.with_company(member.company_id).sudo()
            if pricelist and partner.specific_property_product_pricelist != pricelist:
                # the partner's own pricelist property: quotations, portal and POS read it
                partners_to_set.setdefault((member.company_id, pricelist), []).append(partner.id)
        for pricelist, member_ids in members_to_set.items():
            self.browse(member_ids).sudo().write({"pricelist_id": pricelist.id})
        for (company, pricelist), partner_ids in partners_to_set.items():
            self.env["res.partner"].browse(partner_ids).with_company(company).sudo().write(
                {"specific_property_product_pricelist": pricelist.id}
            )

    @api.model
    def _check_duplicates(self, vals_list, exclude=None):
        """Refuse a code or a VAT already used by another member, naming it."""
        codes = {normalize_code(v["code"]) for v in vals_list if v.get("code")}
        if codes:
            # case-insensitive, as the unique index: a code stored in another case by an earlier
            # version or by SQL is still the same code
            self.flush_model(["code"])
            self.env.cr.execute(
                SQL("SELECT id FROM distribution_member WHERE upper(code) = ANY(%s) ORDER BY id", list(codes))
            )
            existing = self.sudo().browse(id_ for (id_,) in self.env.cr.fetchall())
            existing -= exclude or self.browse()
            if existing:
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by member %(member)s.",
                        code=existing[0].code,
                        member=existing[0].name,
                    )
                )
        partner_ids = [v["partner_id"] for v in vals_list if v.get("partner_id")]
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        vats = {p.vat.replace(" ", "").upper() for p in partners if p.vat}
        if vats:
            self._check_vat_unused(vats, exclude_partners=partners)

    @api.model
    def _check_vat_unused(self, vats, exclude_partners=None):
        vats = {v.replace(" ", "").upper() for v in vats if v}
        if not vats:
            return
        # the partners by their indexed tax ID first, then their members: one join of both tables
        # would be planned with their statistics, stale while members are created in bulk
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search([("vat", "in", list(vats))])
        clashes = self.sudo().search([("partner_id", "in", partners.ids)]) if partners else self.browse()
        if exclude_partners:
            clashes = clashes.filtered(lambda m: m.partner_id not in exclude_partners)
        if clashes:
            raise ValidationError(
                self.env._(
                    "The tax ID %(vat)s is already registered for member %(member)s.",
                    vat=clashes[0].vat,
                    member=clashes[0].display_name,
                )
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("parent_id", "tier_id")
    def _check_parent_and_tier(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A member cannot be placed under itself or under one of its own sub-members.")
            )
        for member in self:
            if member.parent_id and member.parent_id.tier_id.sequence >= member.tier_id.sequence:
                raise ValidationError(
                    self.env._(
                        "%(member)s (%(tier)s) cannot sit under %(parent)s (%(parent_tier)s): "
                        "a member must sit under a higher tier.",
                        member=member.name,
                        tier=member.tier_id.name,
                        parent=member.parent_id.name,
                        parent_tier=member.parent_id.tier_id.name,
                    )
                )
            bad_children = member.child_ids.filtered(lambda c, m=member: c.tier_id.sequence <= m.tier_id.sequence)
            if bad_children:
                raise ValidationError(
                    self.env._(
                        "%(member)s cannot move to tier %(tier)s: its sub-member %(child)s is of tier %(child_tier)s.",
                        member=member.name,
                        tier=member.tier_id.name,
                        child=bad_children[0].name,
                        child_tier=bad_children[0].tier_id.name,
                    )
                )

    @api.constrains("territory_id", "tier_id", "state")
    def _check_territory_exclusive(self):
        to_check = self.filtered(
            lambda m: m.territory_id and m.tier_id.exclusive_territory and m.state in ("active", "suspended")
        )
        if not to_check:
            return
        overlapping = to_check.territory_id._related_ids()
        candidates = self.sudo().search(
            [
                ("territory_id", "in", list(overlapping)),
                ("tier_id", "in", to_check.tier_id.ids),
                ("state", "in", ("active", "suspended")),
            ]
        )
        for member in to_check:
            mine = member.territory_id._related_ids()
            for other in candidates:
                if other.id != member.id and other.tier_id == member.tier_id and other.territory_id.id in mine:
                    raise ValidationError(
                        self.env._(
                            "Territory %(territory)s is exclusive for tier %(tier)s and overlaps %(other_territory)s, "
                            "which belongs to %(other)s.",
                            territory=member.territory_id.complete_name,
                            tier=member.tier_id.name,
                            other_territory=other.territory_id.complete_name,
                            other=other.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------
    def action_activate(self):
        for member in self:
            if member.state not in ("application", "suspended"):
                raise UserError(
                    self.env._("Only an application or a suspended member can be activated (%(member)s).",
                               member=member.display_name)
                )
        self.write({"state": "active", "date_activated": fields.Date.context_today(self), "state_reason": False})
        return True

    def _action_suspend(self, reason):
        for member in self:
            if member.state != "active":
                raise UserError(self.env._("Only an active member can be suspended (%(member)s).",
                                           member=member.display_name))
        self.write({"state": "suspended", "date_suspended": fields.Date.context_today(self), "state_reason": reason})

    def _action_terminate(self, reason):
        for member in self:
            if member.state == "terminated":
                raise UserError(self.env._("%(member)s is already terminated.", member=member.display_name))
            live_children = member.child_ids.filtered(lambda c: c.state != "terminated")
            if live_children:
                raise UserError(
                    self.env._(
                        "%(member)s still supplies %(count)s sub-member(s) (e.g. %(child)s): "
                        "move them to another parent first.",
                        member=member.display_name,
                        count=len(live_children),
                        child=live_children[0].display_name,
                    )
                )
        self.write({"state": "terminated", "date_terminated": fields.Date.context_today(self), "state_reason": reason})

    def action_suspend(self):
        return self._open_reason_wizard("suspend")

    def action_terminate(self):
        return self._open_reason_wizard("terminate")

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids, "default_action": action},
        }

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_core.distribution_member_action")
        action["domain"] = [("id", "child_of", self.id), ("id", "!=", self.id)]
        action["context"] = {"default_parent_id": self.id}
        action["display_name"] = self.env._("Subtree of %(name)s", name=self.name)
        return action

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("channel_member_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("channel_member_id", "=", self.id), ("move_type", "in", ("out_invoice", "out_refund"))]
        action["context"] = {"default_move_type": "out_invoice", "default_partner_id": self.partner_id.id}
        return action

    def action_open_invitation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "distribution.invitation",
            "view_mode": "form",
            "target": "current",
            "context": {"default_inviter_member_id": self.id},
        }

    # ------------------------------------------------------------------
    # Credit
    # ------------------------------------------------------------------
    def _credit_exposure_map(self):
        """Exposure per member id in the company currency, set-based (two grouped queries)."""
        exposure = dict.fromkeys(self.ids, 0.0)
        if not self.ids:
            return exposure
        # confirmed orders: the part not invoiced by a posted invoice yet, tax included (a draft invoice
        # moves nothing: the amount stays in "open orders" until the invoice is posted, then it is in
        # "unpaid invoices"; Odoo's qty_invoiced would count the drafts)
        self.env["sale.order.line"].flush_model(
            ["price_total", "product_uom_qty", "product_uom_id", "order_id", "invoice_lines"]
        )
        self.env["sale.order"].flush_model(["channel_member_id", "state", "currency_id", "company_id"])
        self.env["account.move.line"].flush_model(["quantity", "product_uom_id", "move_id"])
        self.env["account.move"].flush_model(["state", "move_type"])
        self.env.cr.execute(
            """
            SELECT o.channel_member_id, o.currency_id, o.company_id,
                   SUM(l.price_total * GREATEST(l.product_uom_qty - COALESCE(posted.qty, 0), 0)
                       / NULLIF(l.product_uom_qty, 0))
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              LEFT JOIN LATERAL (
                    SELECT SUM(CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                               * CASE WHEN aml.product_uom_id IS NULL OR aml.product_uom_id = l.product_uom_id
                                           OR lu.factor IS NULL OR lu.factor = 0
                                      THEN aml.quantity ELSE aml.quantity * au.factor / lu.factor END) AS qty
                      FROM sale_order_line_invoice_rel rel
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                      JOIN account_move m ON m.id = aml.move_id AND m.state = 'posted'
                 LEFT JOIN uom_uom au ON au.id = aml.product_uom_id
                 LEFT JOIN uom_uom lu ON lu.id = l.product_uom_id
                     WHERE rel.order_line_id = l.id
              ) posted ON TRUE
             WHERE o.channel_member_id = ANY(%s) AND o.state = 'sale' AND l.product_uom_qty > 0
          GROUP BY o.channel_member_id, o.currency_id, o.company_id
            """,
            [self.ids],
        )
        rows = self.env.cr.fetchall()  # before any other query on the cursor
        today = fields.Date.context_today(self)
        for member_id, currency_id, company_id, amount in rows:
            company = self.env["res.company"].browse(company_id)
            currency = self.env["res.currency"].browse(currency_id)
            # SUM over numeric columns comes back as Decimal
            exposure[member_id] += currency._convert(float(amount or 0.0), company.currency_id, company, today)
        # posted customer invoices and credit notes not paid yet
        for member, residual in self.env["account.move"].sudo()._read_group(
            [
                ("channel_member_id", "in", self.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("payment_state", "not in", ("paid", "in_payment", "reversed")),
            ],
            ["channel_member_id"],
            ["amount_residual_signed:sum"],
        ):
            exposure[member.id] += residual
        return exposure

    @api.depends("credit_limit", "tier_id.default_credit_limit")
    def _compute_credit(self):
        exposure = self._credit_exposure_map() if self.ids else {}
        for member in self:
            member.credit_limit_effective = member.credit_limit or member.tier_id.default_credit_limit
            member.credit_exposure = member.currency_id.round(exposure.get(member.id, 0.0))
            member.credit_available = (
                member.credit_limit_effective - member.credit_exposure if member.credit_limit_effective else 0.0
            )

    def _compute_channel_order_count(self):
        counts = dict(
            self.env["distribution.channel.order"]._read_group(
                [("buyer_member_id", "in", self.ids)], ["buyer_member_id"], ["__count"]
            )
        )
        for member in self:
            member.channel_order_count = counts.get(member, 0)

    def _check_can_order(self):
        for member in self:
            if member.state != "active":
                raise UserError(
                    self.env._(
                        "%(member)s is %(state)s: it cannot submit orders.",
                        member=member.display_name,
                        state=dict(STATES)[member.state],
                    )
                )

    # ------------------------------------------------------------------
    # Ordering (portal)
    # ------------------------------------------------------------------
    def _supplier_label(self):
        self.ensure_one()
        # sudo: a member reads its own subtree only, not its supplier above it
        return self.sudo().parent_id.name if self.parent_id else self.sudo().company_id.name

    def _orderable_products(self, codes=None):
        """Products a member can order (the company's channel catalogue), optionally only those matching
        codes (internal reference or barcode, case and full-width insensitive)."""
        self.ensure_one()
        domain = Domain(self.company_id.sudo()._channel_product_domain())
        if codes is not None:
            variants = set(codes) | {code.lower() for code in codes}
            domain &= Domain("default_code", "in", list(variants)) | Domain("barcode", "in", list(codes))
        return self.env["product.product"].sudo().search(domain, order="default_code, id")

    def _orderable_products_by_code(self, codes):
        """{normalised code: product} of the products the member may order whose internal reference or
        barcode is one of `codes` (normalised); a product's reference wins over another's barcode."""
        self.ensure_one()
        by_code = {}
        for product in self._orderable_products(list(codes)) if codes else []:
            for code in (product.default_code, product.barcode):
                if code:
                    by_code.setdefault(normalize_code(code), product)
        return by_code

    def _parse_order_text(self, text):
        """Parse pasted or scanned lines ``code,qty`` (also ``code qty``, ``code<TAB>qty``
        or a bare code, meaning 1). Returns ([(product, qty)], [error messages])."""
        self.ensure_one()
        wanted, errors = [], []
        for number, raw in enumerate((text or "").splitlines(), start=1):
            line = unicodedata.normalize("NFKC", raw).strip()
            if not line:
                continue
            parts = [p for p in re.split(r"[,;\t ]+", line) if p]
            code = normalize_code(parts[0])
            qty = 1.0
            if len(parts) > 1:
                try:
                    qty = float(parts[1])
                except ValueError:
                    qty = None
                if qty is None or not is_sane_number(qty):  # nan, inf, 1e308: not a quantity either
                    errors.append(self.env._("Line %(n)s: '%(qty)s' is not a quantity.", n=number, qty=parts[1][:40]))
                    continue
            if qty <= 0:
                errors.append(self.env._("Line %(n)s: the quantity must be positive.", n=number))
                continue
            wanted.append((number, code, qty))
        by_code = self._orderable_products_by_code({code for _n, code, _q in wanted})
        result = {}
        for number, code, qty in wanted:
            product = by_code.get(code)
            if not product:
                errors.append(self.env._("Line %(n)s: no product with code %(code)s.", n=number, code=code))
                continue
            result[product] = result.get(product, 0.0) + qty
        return list(result.items()), errors

    def _portal_submit_order(self, product_qtys, note=None):
        """Create and submit an order to the member's supplier in the channel, as the
        current (portal) user: a sale order to HQ for members directly under HQ,
        otherwise a channel order to the parent member. Returns the order."""
        self.ensure_one()
        self._check_can_order()
        if not product_qtys:
            raise UserError(self.env._("Your order has no product."))
        user = self.env.user
        engine = self.sudo()  # superuser rights, still acting as the user (uid kept)
        if self.parent_id:
            order = engine.env["distribution.channel.order"].create(
                {
                    "buyer_member_id": self.id,
                    "note": note,
                    "line_ids": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in product_qtys
                    ],
                }
            )
            order.action_submit()
            return order.with_env(self.env)
        order = engine.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "pricelist_id": self.pricelist_id.id or False,
                "company_id": self.company_id.id,
                "user_id": self.manager_id.id,
                "channel_portal_order": True,
                "note": note,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in product_qtys
                ],
            }
        )
        order.message_subscribe(partner_ids=user.partner_id.ids)
        # within the rules, HQ accepts portal orders at channel price at once; otherwise approvals decide
        order.action_confirm()
        return order.with_env(self.env)

    def action_view_channel_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_core.action_distribution_channel_order")
        action["domain"] = ["|", ("buyer_member_id", "=", self.id), ("supplier_member_id", "=", self.id)]
        action["context"] = {"default_buyer_member_id": self.id}
        return action

    # ------------------------------------------------------------------
    # The part of the channel an internal user acts on
    # ------------------------------------------------------------------
    @api.model
    def _is_scope_restricted(self):
        """Whether the current user acts only inside his own part of the channel: every internal user
        but a channel manager (and the superuser). Portal users are held by their record rules."""
        user = self.env.user
        return not self.env.su and not user.share and not user.has_group("distribution_core.group_channel_manager")

    @api.model
    def _user_scope_domain(self):
        """The members the current user acts on: those he is the channel manager of, with their
        sub-members, and those of the territories he manages, and below them."""
        managed = self.sudo().with_context(active_test=False).search([("manager_id", "=", self.env.uid)])
        territories = self.env["distribution.territory"].sudo().with_context(active_test=False).search(
            [("manager_id", "=", self.env.uid)]
        )
        return Domain.OR([[("id", "child_of", managed.ids)], [("territory_id", "child_of", territories.ids)]])

    def _check_user_scope(self):
        """AccessError unless every member is in the current user's part of the channel (a channel
        manager decides elsewhere)."""
        if not self or not self._is_scope_restricted():
            return
        members = self.sudo().with_context(active_test=False)
        inside = members.search(Domain.AND([[("id", "in", members.ids)], self._user_scope_domain()]))
        outside = members - inside
        if outside:
            raise AccessError(
                self.env._(
                    "%(member)s is outside the members and territories you manage: ask a channel manager.",
                    member=outside[0].display_name,
                )
            )

    def _check_user_placement(self):
        """AccessError unless each member sits under a member, and in a territory, of the current
        user's part of the channel: a channel user never places a member under another region."""
        if not self or not self._is_scope_restricted():
            return
        for member in self.sudo():
            self._check_user_place(member.parent_id, member.territory_id, member.display_name)

    @api.model
    def _check_user_place(self, parent, territory, name):
        """AccessError unless the current user may place something (a member, an invitation) under
        ``parent`` (a member, or none: directly under HQ) in ``territory``: the parent in his part of
        the channel, the territory one he manages or the parent's, or below them."""
        if not self._is_scope_restricted():
            return
        allowed = self.env["distribution.territory"].sudo().search([("manager_id", "=", self.env.uid)])
        if parent:
            parent.with_env(self.env)._check_user_scope()
            allowed |= parent.sudo().territory_id
        elif not territory:
            raise AccessError(
                self.env._("Only a channel manager places a member directly under HQ (%(member)s).", member=name)
            )
        territory = territory.sudo()
        if territory and not any(territory.parent_path.startswith(t.parent_path) for t in allowed):
            raise AccessError(
                self.env._(
                    "%(territory)s is outside the territories you manage: ask a channel manager.",
                    territory=territory.complete_name,
                )
            )

    # ------------------------------------------------------------------
    # Helpers for other modules
    # ------------------------------------------------------------------
    @api.model
    def _for_user(self, user=None):
        """The channel member the (portal) user belongs to, or an empty recordset."""
        user = user or self.env.user
        return self.browse(user.sudo().commercial_partner_id.channel_member_id.id)
