from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistributionCommissionRule(models.Model):
    _name = "distribution.commission.rule"
    _description = "Commission Rate"
    _order = "level, product_id, categ_id, date_from desc, id"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    level = fields.Selection([("1", "Level 1: the promoter"), ("2", "Level 2: who recruited him")], default="1",
                             required=True)
    categ_id = fields.Many2one("product.category", string="Product Category", help="Empty: every category.")
    product_id = fields.Many2one("product.product", help="Overrides the category's rate.")
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 2))
    date_from = fields.Date(string="Valid from")
    date_to = fields.Date(string="Valid until")

    @api.constrains("rate", "date_from", "date_to")
    def _check_rate(self):
        for rule in self:
            if not 0 < rule.rate <= 50:
                raise ValidationError(self.env._("A commission rate is between 0 and 50%."))
            if rule.date_from and rule.date_to and rule.date_to < rule.date_from:
                raise ValidationError(self.env._("The rate must end after it starts."))

    @api.depends("level", "categ_id", "product_id", "rate")
    def _compute_display_name(self):
        for rule in self:
            target = rule.product_id.display_name or rule.categ_id.display_name or self.env._("All products")
            rule.display_name = f"L{rule.level} {target}: {rule.rate}%"

    @api.model
    def _rates(self, company, day):
        """{(level, "product" | "categ" | "all", id): rate} valid on `day`, read once per run."""
        rules = self.search(
            [
                ("company_id", "=", company.id),
                "|", ("date_from", "=", False), ("date_from", "<=", day),
                "|", ("date_to", "=", False), ("date_to", ">=", day),
            ]
        )
        rates = {}
        for rule in rules:
            if rule.product_id:
                rates[rule.level, "product", rule.product_id.id] = rule.rate
            elif rule.categ_id:
                rates[rule.level, "categ", rule.categ_id.id] = rule.rate
            else:
                rates[rule.level, "all", 0] = rule.rate
        return rates

    @api.model
    def _rate(self, rates, level, product):
        """The product's rate, else its category's (the nearest parent), else the general one."""
        if (level, "product", product.id) in rates:
            return rates[level, "product", product.id]
        for categ_id in reversed([int(i) for i in (product.categ_id.parent_path or "").split("/") if i]):
            if (level, "categ", categ_id) in rates:
                return rates[level, "categ", categ_id]
        return rates.get((level, "all", 0), 0.0)
