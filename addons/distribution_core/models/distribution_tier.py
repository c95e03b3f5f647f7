from odoo import api, fields, models


class DistributionTier(models.Model):
    """A level of the channel (总代, 区域分销商, 经销商, 门店 ...).

    A lower sequence is a higher level: a member may only sit under a member
    of a tier with a lower sequence.
    """

    _name = "distribution.tier"
    _description = "Channel Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in imports and reports.")
    sequence = fields.Integer(
        default=10,
        help="Level in the channel: the lower the number, the higher the tier. "
        "A member may only sit under a member of a higher tier.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    exclusive_territory = fields.Boolean(
        default=True,
        help="A territory (and the territories it contains) can belong to only one "
        "member of this tier at a time.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", help="The company's currency (the current one if shared)."
    )
    member_ids = fields.One2many("distribution.member", "tier_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count")

    _code_unique = models.Constraint(
        "UNIQUE(code, company_id)",
        "A tier code must be unique per company.",
    )

    @api.depends("member_ids")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    def _compute_member_count(self):
        counts = dict(
            self.env["distribution.member"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_core.distribution_member_action"
        )
        action["domain"] = [("tier_id", "=", self.id)]
        action["context"] = {"default_tier_id": self.id}
        return action
