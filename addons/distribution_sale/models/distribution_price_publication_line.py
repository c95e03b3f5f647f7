from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistributionPricePublicationLine(models.Model):
    _name = "distribution.price.publication.line"
    _inherit = ["distribution.approval.line.mixin"]
    _dms_approval_parent = "publication_id"
    _dms_approval_line_fields = ("product_id", "pricelist_id", "new_price")
    _description = "Channel Price Publication Line"
    _order = "publication_id, pricelist_id, product_id"

    publication_id = fields.Many2one("distribution.price.publication", required=True, ondelete="cascade", index=True)
    state = fields.Selection(related="publication_id.state")
    company_id = fields.Many2one(related="publication_id.company_id", store=True)
    currency_id = fields.Many2one(related="pricelist_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        required=True,
        ondelete="restrict",
        help="The channel pricelist (of a tier and region) that gets the new price.",
    )
    tier_ids = fields.Many2many("distribution.tier", compute="_compute_scope", string="Tiers")
    territory_ids = fields.Many2many("distribution.territory", compute="_compute_scope", string="Regions")
    old_price = fields.Monetary(
        compute="_compute_old_price", store=True, readonly=False, precompute=True,
        help="Price in this pricelist the day before the effective date.",
    )
    new_price = fields.Monetary(required=True)
    change_percent = fields.Float(compute="_compute_change_percent", string="Change (%)")
    pricelist_item_id = fields.Many2one("product.pricelist.item", readonly=True, copy=False)

    _positive_price = models.Constraint("CHECK(new_price >= 0)", "A price cannot be negative.")
    _unique_line = models.Constraint(
        "UNIQUE(publication_id, pricelist_id, product_id)",
        "A product appears once per pricelist in a publication.",
    )

    @api.depends("pricelist_id")
    def _compute_scope(self):
        rules = self.env["distribution.pricelist.rule"].search([("pricelist_id", "in", self.pricelist_id.ids)])
        tiers = self.env["distribution.tier"].search([("pricelist_id", "in", self.pricelist_id.ids)])
        for line in self:
            line_rules = rules.filtered(lambda r, line=line: r.pricelist_id == line.pricelist_id)
            line.tier_ids = line_rules.tier_id | tiers.filtered(lambda t, line=line: t.pricelist_id == line.pricelist_id)
            line.territory_ids = line_rules.territory_id

    @api.depends("product_id", "pricelist_id", "publication_id.effective_date")
    def _compute_old_price(self):
        for line in self:
            if not (line.product_id and line.pricelist_id):
                line.old_price = 0.0
                continue
            day_before = (line.publication_id.effective_date or fields.Date.today()) - timedelta(days=1)
            line.old_price = line.pricelist_id._get_product_price(line.product_id, 1.0, date=day_before)

    @api.depends("old_price", "new_price")
    def _compute_change_percent(self):
        for line in self:
            line.change_percent = (line.new_price - line.old_price) / line.old_price * 100 if line.old_price else 0.0

    @api.constrains("new_price", "product_id")
    def _check_not_below_floor(self):
        for line in self:
            floors = self.env["distribution.price.floor"]._get_floors(
                line.product_id, self.env["distribution.territory"], line.company_id
            )
            floor = floors.get(line.product_id.id)
            if floor and floor.sell_in_floor and line.currency_id.compare_amounts(line.new_price, floor.sell_in_floor) < 0:
                raise ValidationError(
                    self.env._(
                        "The new price of %(product)s in %(pricelist)s (%(price)s) is below its minimum sell-in price "
                        "(%(floor)s).",
                        product=line.product_id.display_name,
                        pricelist=line.pricelist_id.name,
                        price=line.currency_id.format(line.new_price),
                        floor=line.currency_id.format(floor.sell_in_floor),
                    )
                )

    def _apply_to_pricelists(self):
        """Close the product's current fixed-price items of the pricelist the
        second before the effective date, and add a new item from that date."""
        Item = self.env["product.pricelist.item"].sudo()
        existing = Item.search(
            [
                ("pricelist_id", "in", self.pricelist_id.ids),
                ("applied_on", "=", "0_product_variant"),
                ("product_id", "in", self.product_id.ids),
                ("min_quantity", "<=", 1),
            ]
        )
        superseded = Item
        new_items = []
        for line in self:
            start = line.publication_id._effective_datetime()
            for item in existing:
                if item.pricelist_id != line.pricelist_id or item.product_id != line.product_id:
                    continue
                if item.date_end and item.date_end < start:
                    continue
                if item.date_start and item.date_start >= start:
                    superseded |= item  # replaced before it ever applied
                else:
                    item.date_end = start - timedelta(seconds=1)
            new_items.append(
                {
                    "pricelist_id": line.pricelist_id.id,
                    "applied_on": "0_product_variant",
                    "product_id": line.product_id.id,
                    "product_tmpl_id": line.product_id.product_tmpl_id.id,
                    "compute_price": "fixed",
                    "fixed_price": line.new_price,
                    "date_start": start,
                    "min_quantity": 0,
                }
            )
        superseded.unlink()
        items = Item.create(new_items)
        for line, item in zip(self, items, strict=True):
            line.pricelist_item_id = item
        return items
