from odoo import fields, models
from odoo.exceptions import UserError


class DistributionChannelOrder(models.Model):
    """Codes shipped with a channel order are bound to the buyer when the supplier ships."""

    _name = "distribution.channel.order"
    _inherit = ["distribution.channel.order", "distribution.code.holder"]

    dms_code_ids = fields.Many2many(
        "distribution.code", "distribution_channel_order_code_rel", "order_id", "code_id", string="Unit Codes",
        copy=False, groups="distribution_core.group_channel_user",
    )

    def _dms_code_products(self):
        return self.line_ids.product_id

    def _dms_code_member(self):
        return self.buyer_member_id

    def _dms_code_quantities(self):
        quantities = {}
        for line in self.line_ids:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.product_uom_qty
        return quantities

    def _dms_check_code_editable(self):
        if self.state not in ("draft", "submitted", "approved"):
            raise UserError(self.env._("Codes can be added to %(name)s until it is shipped.", name=self.name))

    def action_ship(self):
        res = super().action_ship()
        for order in self.sudo():  # sudo: the supplier binds what it ships, whatever its rights on codes
            order.dms_code_ids._bind(order.buyer_member_id, channel_order=order)
        return res
