from odoo import fields, models


class DistributionCodeBinding(models.Model):
    """A code delivered to a member: one row per level of the channel it went through."""

    _name = "distribution.code.binding"
    _description = "Code Binding"
    _order = "code_id, level"
    _rec_name = "code_id"

    code_id = fields.Many2one("distribution.code", required=True, readonly=True, ondelete="cascade", index=True)
    member_id = fields.Many2one("distribution.member", required=True, readonly=True, ondelete="restrict", index=True)
    territory_id = fields.Many2one("distribution.territory", readonly=True, ondelete="restrict")
    level = fields.Integer(readonly=True, required=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True, ondelete="set null",
                                 index="btree_not_null")
    channel_order_id = fields.Many2one("distribution.channel.order", readonly=True, ondelete="set null",
                                       index="btree_not_null")
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)

    _code_level_unique = models.Constraint("UNIQUE(code_id, level)", "A code can be bound once per level.")
