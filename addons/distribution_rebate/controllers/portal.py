from odoo import http
from odoo.http import request

from odoo.addons.distribution_core.controllers.portal import DistributionPortal


class RebatePortal(DistributionPortal):
    """'My Rebates': a member's agreements, what each period earned, the next tier and the settlements."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_rebate_count" in counters:
            Computation = request.env["distribution.rebate.computation"]
            values["channel_rebate_count"] = (
                Computation.search_count([]) if Computation.has_access("read") else 0
            )
        return values

    @http.route(["/my/rebates"], type="http", auth="user", website=True)
    def portal_my_rebates(self, **kwargs):
        member = request.env["distribution.member"]._for_user()
        if not member:
            raise request.not_found()
        # record rules restrict these to the member's own results
        computations = request.env["distribution.rebate.computation"].search(
            [("member_id", "=", member.id)], order="date_from desc, agreement_id"
        )
        settlements = request.env["distribution.rebate.settlement"].search(
            [("member_id", "=", member.id), ("state", "=", "posted")], order="date desc"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_rebates",
                "member": member,
                "computations": computations,
                "agreements": computations.agreement_id,
                "settlements": settlements,
            }
        )
        return request.render("distribution_rebate.portal_my_rebates", values)
