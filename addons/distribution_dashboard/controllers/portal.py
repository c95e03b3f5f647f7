from odoo import http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.distribution_portal_dashboard import XLSX_MIMETYPE


class DashboardPortal(CustomerPortal):
    """'My Dashboard': reads the request and calls `distribution.portal.dashboard`, which builds the tables,
    key figures, chart and XLSX as the portal user (the record rules restrict the rows to the member's
    subtree, or to the member itself for rebates and statements)."""

    @http.route(["/my/dashboard"], type="http", auth="user", website=True)
    def portal_my_dashboard(self, months=None, member_id=None, **kwargs):
        member = request.env["distribution.member"]._for_user()
        if not member:
            return request.render("distribution_core.portal_no_channel", self._prepare_portal_layout_values())
        Dashboard = request.env["distribution.portal.dashboard"]
        filters = Dashboard._filters(member, months=months, member_id=member_id)
        values = self._prepare_portal_layout_values()
        values.update(Dashboard._page_values(member, filters))
        return request.render("distribution_dashboard.portal_my_dashboard", values)

    @http.route(["/my/dashboard/xlsx/<string:key>"], type="http", auth="user", website=True)
    def portal_my_dashboard_xlsx(self, key, months=None, member_id=None, **kwargs):
        member = request.env["distribution.member"]._for_user()
        Dashboard = request.env["distribution.portal.dashboard"]
        if not member or key not in Dashboard._dashboard_table_keys():
            raise request.not_found()
        filters = Dashboard._filters(member, months=months, member_id=member_id)
        filename, data = Dashboard._xlsx_file(key, member, filters)
        return request.make_response(
            data, headers=[("Content-Type", XLSX_MIMETYPE), ("Content-Disposition", content_disposition(filename))]
        )
