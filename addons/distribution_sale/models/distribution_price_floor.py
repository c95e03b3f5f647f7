from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistributionPriceFloor(models.Model):
    """Minimum prices in the channel (渠道价格管控): a floor for HQ's sell-in and a
    minimum resale price (MAP) for members' own sales, per product or category,
    everywhere or in a territory."""

    _name = "distribution.price.floor"
    _description = "Channel Price Floor"
    _order = "product_id, categ_id, territory_id"

    product_id = fields.Many2one("product.product", ondelete="cascade", index=True)
    categ_id = fields.Many2one("product.category", string="Product Category", ondelete="cascade", index=True)
    territory_id = fields.Many2one(
        "distribution.territory", ondelete="cascade", index=True, help="Empty: everywhere. Applies below this territory too."
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sell_in_floor = fields.Monetary(
        string="Minimum Sell-in Price", help="HQ does not sell below this unit price (untaxed, after discount)."
    )
    resale_floor = fields.Monetary(
        string="Minimum Resale Price", help="Members and stores do not resell below this unit price (MAP)."
    )
    active = fields.Boolean(default=True)

    @api.constrains("product_id", "categ_id", "sell_in_floor", "resale_floor")
    def _check_target_and_sign(self):
        for floor in self:
            if bool(floor.product_id) == bool(floor.categ_id):
                raise ValidationError(self.env._("A price floor is for a product or for a category, not both."))
            if floor.sell_in_floor < 0 or floor.resale_floor < 0:
                raise ValidationError(
                    self.env._("The price floor of %(target)s cannot be negative.", target=floor.display_name)
                )

    @api.depends("product_id", "categ_id", "territory_id")
    def _compute_display_name(self):
        for floor in self:
            target = floor.product_id.display_name or floor.categ_id.display_name or ""
            floor.display_name = f"{target} @ {floor.territory_id.complete_name}" if floor.territory_id else target

    @api.constrains("product_id", "sell_in_floor", "resale_floor")
    def _check_below_list_price(self):
        for floor in self.filtered("product_id"):
            list_price = floor.product_id.lst_price
            for label, value in (
                (self.env._("minimum sell-in price"), floor.sell_in_floor),
                (self.env._("minimum resale price"), floor.resale_floor),
            ):
                if value and floor.currency_id.compare_amounts(value, list_price) > 0:
                    raise ValidationError(
                        self.env._(
                            "The %(label)s of %(product)s (%(floor)s) is above its list price (%(price)s).",
                            label=label,
                            product=floor.product_id.display_name,
                            floor=floor.currency_id.format(value),
                            price=floor.currency_id.format(list_price),
                        )
                    )

    @api.constrains("product_id", "categ_id", "territory_id", "company_id", "active")
    def _check_unique_scope(self):
        groups = self._read_group(
            [
                ("active", "=", True),
                "|", ("product_id", "in", self.product_id.ids), ("categ_id", "in", self.categ_id.ids),
            ],
            ["product_id", "categ_id", "territory_id", "company_id"],
            ["__count"],
            having=[("__count", ">", 1)],
        )
        if groups:
            product, categ, territory, _company, _count = groups[0]
            target = product.display_name or categ.display_name
            raise ValidationError(
                self.env._(
                    "%(floor)s already has a price floor.",
                    floor=f"{target} @ {territory.complete_name}" if territory else target,
                )
            )

    @api.model
    def _get_floors(self, products, territory, company):
        """{product id: floor record} for products sold in territory: the product's
        own floor before its category's (nearest category first), the deepest
        territory before a wider one. One search for all products."""
        if not products:
            return {}
        chain = [int(i) for i in (territory.parent_path or "").split("/") if i]
        categ_chains = {
            product.id: [int(i) for i in (product.categ_id.parent_path or "").split("/") if i] for product in products
        }
        all_categ_ids = {c for chain_ids in categ_chains.values() for c in chain_ids}
        floors = self.search(
            [
                ("company_id", "=", company.id),
                ("territory_id", "in", [*chain, False]),
                "|", ("product_id", "in", products.ids), ("categ_id", "in", list(all_categ_ids)),
            ]
        )
        depth = {tid: n for n, tid in enumerate(chain, start=1)}
        by_product, by_categ = {}, {}
        for floor in floors:
            rank = depth.get(floor.territory_id.id, 0)
            if floor.product_id:
                current = by_product.get(floor.product_id.id)
                if not current or rank > current[0]:
                    by_product[floor.product_id.id] = (rank, floor)
            else:
                current = by_categ.get(floor.categ_id.id)
                if not current or rank > current[0]:
                    by_categ[floor.categ_id.id] = (rank, floor)
        result = {}
        for product in products:
            if product.id in by_product:
                result[product.id] = by_product[product.id][1]
                continue
            for categ_id in reversed(categ_chains[product.id]):
                if categ_id in by_categ:
                    result[product.id] = by_categ[categ_id][1]
                    break
        return result
