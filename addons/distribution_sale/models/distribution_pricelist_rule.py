from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class DistributionPricelistRule(models.Model):
    """Which Odoo pricelist a channel member buys at: (tier, territory, member)
    → pricelist, with a priority and validity dates. Odoo's pricelists stay the
    price engine; the rule only decides the member's pricelist."""

    _name = "distribution.pricelist.rule"
    _description = "Channel Pricelist Assignment Rule"
    _order = "priority desc, sequence, id"

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    priority = fields.Integer(
        default=10,
        required=True,
        help="When several rules match a member, the highest priority wins; at equal priority the "
        "most specific one (member, then deepest territory, then tier).",
    )
    active = fields.Boolean(default=True)
    tier_id = fields.Many2one("distribution.tier", ondelete="cascade", index=True)
    territory_id = fields.Many2one(
        "distribution.territory", ondelete="cascade", index=True, help="Applies to members in this territory or below it."
    )
    member_id = fields.Many2one("distribution.member", ondelete="cascade", index=True)
    pricelist_id = fields.Many2one("product.pricelist", required=True, ondelete="cascade")
    date_start = fields.Date(string="Valid From")
    date_end = fields.Date(string="Valid Until")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.depends("tier_id", "territory_id", "member_id", "pricelist_id")
    def _compute_name(self):
        for rule in self:
            scope = [r.display_name for r in (rule.member_id, rule.tier_id, rule.territory_id) if r]
            rule.name = f"{' / '.join(scope) or self.env._('All members')} → {rule.pricelist_id.name or ''}"

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for rule in self:
            if rule.date_start and rule.date_end and rule.date_start > rule.date_end:
                raise ValidationError(
                    self.env._("Rule %(rule)s ends before it starts.", rule=rule.name)
                )

    @api.constrains("tier_id", "territory_id", "member_id", "priority", "date_start", "date_end", "active")
    def _check_overlap(self):
        for rule in self.filtered("active"):
            others = self.search(
                [
                    ("id", "!=", rule.id),
                    ("company_id", "=", rule.company_id.id),
                    ("tier_id", "=", rule.tier_id.id),
                    ("territory_id", "=", rule.territory_id.id),
                    ("member_id", "=", rule.member_id.id),
                    ("priority", "=", rule.priority),
                ]
            )
            for other in others:
                if (not rule.date_end or not other.date_start or other.date_start <= rule.date_end) and (
                    not other.date_end or not rule.date_start or rule.date_start <= other.date_end
                ):
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s overlaps rule %(other)s: same members, same priority and overlapping "
                            "dates. Give one a different priority or dates.",
                            rule=rule.name,
                            other=other.name,
                        )
                    )

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------
    @api.model
    def _pricelists_for_members(self, members, date=None):
        """{member id: pricelist} for the given members at date, from the rules,
        falling back on the tier's default pricelist. One search for all."""
        date = date or fields.Date.context_today(self)
        rules = self.search(
            [
                ("company_id", "in", members.company_id.ids),
                "|", ("date_start", "=", False), ("date_start", "<=", date),
                "|", ("date_end", "=", False), ("date_end", ">=", date),
                "|", ("member_id", "=", False), ("member_id", "in", members.ids),
                "|", ("tier_id", "=", False), ("tier_id", "in", members.tier_id.ids),
            ]
        )
        result = {}
        for member in members:
            territory_chain = {int(i) for i in (member.territory_id.parent_path or "").split("/") if i}
            best, best_key = None, None
            for rule in rules:
                if rule.company_id != member.company_id:
                    continue
                if rule.member_id and rule.member_id != member:
                    continue
                if rule.tier_id and rule.tier_id != member.tier_id:
                    continue
                if rule.territory_id and rule.territory_id.id not in territory_chain:
                    continue
                territory_depth = (rule.territory_id.parent_path or "").count("/")
                key = (rule.priority, bool(rule.member_id), territory_depth, bool(rule.tier_id), -rule.sequence, -rule.id)
                if best_key is None or key > best_key:
                    best, best_key = rule, key
            result[member.id] = best.pricelist_id if best else member.tier_id.pricelist_id
        return result

    def _members_in_scope(self):
        """Members that any of these rules may concern."""
        domain = [("state", "in", ("application", "active", "suspended"))]
        scopes = []
        for rule in self:
            scope = [("company_id", "=", rule.company_id.id)]
            if rule.member_id:
                scope.append(("id", "=", rule.member_id.id))
            if rule.tier_id:
                scope.append(("tier_id", "=", rule.tier_id.id))
            if rule.territory_id:
                scope.append(("territory_id", "child_of", rule.territory_id.id))
            scopes.append(scope)
        if not scopes:
            return self.env["distribution.member"]
        return self.env["distribution.member"].search(Domain.AND([domain, Domain.OR(scopes)]))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._members_in_scope()._apply_channel_pricelist()
        return rules

    def write(self, vals):
        before = self._members_in_scope()
        res = super().write(vals)
        (before | self._members_in_scope())._apply_channel_pricelist()
        return res

    def unlink(self):
        members = self._members_in_scope()
        res = super().unlink()
        members._apply_channel_pricelist()
        return res

    @api.model
    def _cron_apply_rules(self):
        """Daily: rules that start or end today change members' pricelists."""
        self.env["distribution.member"].search(
            [("state", "in", ("application", "active", "suspended"))]
        )._apply_channel_pricelist()
