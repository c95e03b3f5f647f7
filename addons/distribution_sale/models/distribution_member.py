import re
import unicodedata

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.distribution_core.models.distribution_member import STATES
from odoo.addons.distribution_core.tools.codes import normalize_code
from odoo.addons.distribution_core.tools.safe_io import is_sane_number


class DistributionMember(models.Model):
    """What a member buys: its channel pricelist, its credit, its orders to its supplier."""

    _inherit = "distribution.member"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Channel Pricelist",
        readonly=True,
        index="btree_not_null",
        help="The pricelist this member buys at, from the pricelist rules (or the tier's default).",
    )

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

    # ------------------------------------------------------------------
    # CRUD: the channel pricelist follows the tier and the territory
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members._apply_channel_pricelist()
        return members

    def write(self, vals):
        res = super().write(vals)
        if {"tier_id", "territory_id", "company_id"} & set(vals):
            self._apply_channel_pricelist()
        return res

    def _compute_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group([("channel_member_id", "in", self.ids)], ["channel_member_id"], ["__count"])
        )
        for member in self:
            member.sale_order_count = counts.get(member, 0)


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


    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("channel_member_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action


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
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_sale.action_distribution_channel_order")
        action["domain"] = ["|", ("buyer_member_id", "=", self.id), ("supplier_member_id", "=", self.id)]
        action["context"] = {"default_buyer_member_id": self.id}
        return action
