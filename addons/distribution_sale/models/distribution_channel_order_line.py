from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distribution_core.tools.safe_io import MAX_NUMBER, is_sane_number


class DistributionChannelOrderLine(models.Model):
    _name = "distribution.channel.order.line"
    _inherit = ["distribution.approval.line.mixin"]
    _dms_approval_parent = "order_id"
    _dms_approval_line_fields = ("product_id", "product_uom_qty", "price_unit")
    _description = "Channel Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("distribution.channel.order", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("sale_ok", "=", True)], ondelete="restrict", index=True
    )
    default_code = fields.Char(related="product_id.default_code", string="Code")
    product_uom_qty = fields.Float(string="Quantity", digits="Product Unit", default=1.0, required=True)
    price_unit = fields.Float(
        string="Channel Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal", store=True, string="Subtotal")
    state = fields.Selection(related="order_id.state", store=True)
    buyer_member_id = fields.Many2one(related="order_id.buyer_member_id", store=True, index=True)
    supplier_member_id = fields.Many2one(related="order_id.supplier_member_id", store=True, index=True)
    date_submitted = fields.Datetime(related="order_id.date_submitted", store=True)

    @api.depends("product_id", "product_uom_qty", "order_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                line.price_unit = 0.0
                continue
            pricelist = line.order_id.pricelist_id
            if pricelist:
                line.price_unit = pricelist._get_product_price(line.product_id, line.product_uom_qty or 1.0)
            else:
                line.price_unit = line.product_id.lst_price

    @api.model_create_multi
    def create(self, vals_list):
        self._check_quantity_range(vals_list)
        lines = super().create(vals_list)
        lines.order_id._check_user_scope()
        return lines

    def write(self, vals):
        self._check_quantity_range([vals])
        self.order_id._check_user_scope()
        res = super().write(vals)
        if "order_id" in vals:
            self.order_id._check_user_scope()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_out_of_scope(self):
        self.order_id._check_user_scope()

    @api.model
    def _check_quantity_range(self, vals_list):
        """Refuse, before it reaches the database, a quantity no order has (1e308, inf, nan)."""
        for vals in vals_list:
            if "product_uom_qty" in vals and not is_sane_number(vals["product_uom_qty"]):
                raise UserError(
                    self.env._("%(qty)s is not a quantity: type a number up to %(max)s.",
                               qty=str(vals["product_uom_qty"])[:40], max=f"{MAX_NUMBER:,.0f}")
                )

    @api.depends("product_uom_qty", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(line.product_uom_qty * line.price_unit)

    def _check_quantities(self):
        for line in self:
            if line.product_uom_qty <= 0:
                raise UserError(
                    self.env._("Quantity of %(product)s must be positive.", product=line.product_id.display_name)
                )
