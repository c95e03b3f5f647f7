from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistributionTerritoryArea(models.Model):
    """A latitude/longitude box that maps a browser's geolocation to a sales territory.
    A point inside several boxes belongs to the deepest of their territories."""

    _name = "distribution.territory.area"
    _description = "Territory Geographic Area"
    _order = "territory_id, id"

    territory_id = fields.Many2one("distribution.territory", required=True, ondelete="cascade", index=True)
    lat_min = fields.Float(string="Latitude from", digits=(9, 6), required=True)
    lat_max = fields.Float(string="Latitude to", digits=(9, 6), required=True)
    lon_min = fields.Float(string="Longitude from", digits=(10, 6), required=True)
    lon_max = fields.Float(string="Longitude to", digits=(10, 6), required=True)
    company_id = fields.Many2one(related="territory_id.company_id", store=True)

    @api.constrains("lat_min", "lat_max", "lon_min", "lon_max")
    def _check_box(self):
        for area in self:
            if not (-90 <= area.lat_min <= area.lat_max <= 90 and -180 <= area.lon_min <= area.lon_max <= 180):
                raise ValidationError(
                    self.env._(
                        "Area of %(territory)s: latitudes go from -90 to 90 and longitudes from -180 to 180, "
                        "each range from its lower to its upper end.",
                        territory=area.territory_id.complete_name,
                    )
                )

    @api.model
    def _territory_at(self, latitude, longitude):
        """(territory id, parent_path) of the deepest territory whose area contains the point, or None."""
        self.env.cr.execute(
            """
            SELECT t.id, t.parent_path
              FROM distribution_territory_area a
              JOIN distribution_territory t ON t.id = a.territory_id
             WHERE %(lat)s BETWEEN a.lat_min AND a.lat_max
               AND %(lon)s BETWEEN a.lon_min AND a.lon_max
               AND t.active
          ORDER BY length(t.parent_path) DESC, (a.lat_max - a.lat_min) * (a.lon_max - a.lon_min), t.id
             LIMIT 1
            """,
            {"lat": latitude, "lon": longitude},
        )
        return self.env.cr.fetchone()
