from odoo import api, models


class DistributionRebateComputation(models.Model):
    """Confirmed diversion incidents are the penalties of the rebate engine's penalty hook."""

    _inherit = "distribution.rebate.computation"

    @api.model
    def _penalty_rows(self, agreements, scopes):
        """Confirmed diversion incidents of each member seen in each period:
        {(member id, date_from, date_to): (count, penalties)}, in one grouped query."""
        rows = super()._penalty_rows(agreements, scopes)
        keys = self._penalty_keys(agreements, scopes)
        if not keys:
            return rows
        self.env["distribution.diversion.incident"].flush_model(["expected_member_id", "state", "date", "penalty_amount"])
        self.env.cr.execute(
            """
            SELECT k.member_id, k.date_from, k.date_to, COUNT(i.id), SUM(i.penalty_amount)
              FROM unnest(%s::int[], %s::date[], %s::date[]) AS k(member_id, date_from, date_to)
              JOIN distribution_diversion_incident i ON i.expected_member_id = k.member_id
             WHERE i.state = 'confirmed'
               AND i.date >= k.date_from AND i.date < k.date_to + 1
          GROUP BY k.member_id, k.date_from, k.date_to
            """,
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
        )
        for member_id, date_from, date_to, count, penalty in self.env.cr.fetchall():
            key = (member_id, date_from, date_to)
            previous_count, previous_amount = rows.get(key, (0, 0.0))
            rows[key] = (previous_count + count, previous_amount + float(penalty or 0.0))
        return rows
