from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Unit codes scanned or imported for a delivery are bound to the receiving channel member
    when the delivery is validated."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "distribution.code.holder"]

    dms_code_ids = fields.Many2many(
        "distribution.code", "distribution_code_stock_picking_rel", "picking_id", "code_id", string="Unit Codes",
        copy=False, groups="distribution_core.group_channel_user",
    )
    channel_member_id = fields.Many2one(
        "distribution.member", compute="_compute_channel_member_id",
        help="The channel member this delivery goes to, if any.",
    )

    @api.depends("partner_id.commercial_partner_id.channel_member_id", "picking_type_code")
    def _compute_channel_member_id(self):
        for picking in self:
            member = picking.partner_id.commercial_partner_id.channel_member_id
            picking.channel_member_id = member if picking.picking_type_code == "outgoing" else False

    def _dms_code_products(self):
        return self.move_ids.product_id

    def _dms_code_member(self):
        return self.sudo().channel_member_id

    def _dms_code_quantities(self):
        quantities = {}
        for move in self.move_ids:
            quantities[move.product_id] = quantities.get(move.product_id, 0) + move.product_uom_qty
        return quantities

    def _dms_check_code_editable(self):
        if self.picking_type_code != "outgoing" or self.state in ("done", "cancel"):
            raise UserError(
                self.env._("Codes can be added to %(name)s while it is an outgoing delivery not yet done.",
                           name=self.name)
            )
        if not self._dms_code_member():
            raise UserError(
                self.env._(
                    "%(partner)s is not a channel member: codes are bound to channel members only.",
                    partner=self.partner_id.commercial_partner_id.display_name or self.env._("The customer"),
                )
            )

    def _action_done(self):
        res = super()._action_done()
        # sudo: whoever validates the delivery binds its codes, even without rights on codes
        for picking in self.sudo().filtered(lambda p: p.state == "done" and p.dms_code_ids):
            member = picking._dms_code_member()
            if not member:
                raise UserError(
                    self.env._(
                        "%(name)s has unit codes but %(partner)s is not a channel member: remove the codes "
                        "or deliver to the member's company.",
                        name=picking.name,
                        partner=picking.partner_id.display_name,
                    )
                )
            picking.dms_code_ids._bind(member, picking=picking)
        return res
