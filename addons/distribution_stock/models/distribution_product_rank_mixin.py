from odoo import fields, models
from odoo.tools import SQL

# every product's place in product.product's order (default_code, name, id), for the rank columns below
PRODUCT_RANK_QUERY = SQL(
    """
    SELECT pp.id, (rank() OVER (ORDER BY pp.default_code, pt.name->>'en_US', pp.id))::int AS product_rank
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
    """
)


class DistributionProductRankMixin(models.AbstractModel):
    """Groups by product ordered by an integer frozen at refresh time.

    A pivot or spreadsheet grouped by product orders its groups by the product's order (reference, name):
    the ORM joins the product and its template to every row and sorts them by text before grouping, which
    is most of the time of a pivot of thousands of products over a large table. The generated tables keep
    the product's place in that order as `product_rank`, written by the refresh, and order on it."""

    _name = "distribution.product.rank.mixin"
    _description = "Product Order Frozen as a Rank"

    product_rank = fields.Integer(readonly=True, help="The product's place in the product order at refresh time.")

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "product_id":
            sql_field = self._field_to_sql(alias, "product_rank", query)
            query._order_groupby.append(sql_field)
            return SQL("%s %s %s", sql_field, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
