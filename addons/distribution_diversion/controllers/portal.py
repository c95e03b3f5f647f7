from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class DistributionDiversionPortal(CustomerPortal):
    """My Account → Diversion incidents: the incidents about the goods of the member (and its
    sub-members), read-only."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "diversion_incident_count" in counters:
            Incident = request.env["distribution.diversion.incident"]
            values["diversion_incident_count"] = (
                Incident.search_count([]) if request.env["distribution.member"]._for_user() else 0
            )
        return values

    @http.route(["/my/diversion"], type="http", auth="user", website=True)
    def portal_my_diversion(self, **kwargs):
        member = request.env["distribution.member"]._for_user()
        if not member:
            return request.render("distribution_core.portal_no_channel", self._prepare_portal_layout_values())
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "diversion",
                "member": member,
                # record rules: the incidents of the member's own goods and its sub-members'
                "incidents": request.env["distribution.diversion.incident"].search([], limit=200),
            }
        )
        return request.render("distribution_diversion.portal_my_diversion", values)

