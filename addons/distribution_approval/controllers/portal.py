from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ApprovalPortal(CustomerPortal):
    """'My Approvals': every review waiting for the portal user, of any document under the
    channel's approvals (orders, applications, withdrawals...), decided through the engine."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # the card is shown to whoever has a review to decide or a request of his own waiting
            values["dms_approvals_card"] = request.env["tier.review"]._dms_portal_card()
        if "dms_approval_count" in counters:
            values["dms_approval_count"] = len(request.env["tier.review"]._dms_portal_reviews())
        return values

    @http.route(["/my/approvals"], type="http", auth="user", website=True)
    def portal_my_approvals(self, error=None, **kwargs):
        Review = request.env["tier.review"]
        reviews = Review._dms_portal_reviews()
        values = self._prepare_portal_layout_values()
        values.update(
            {"page_name": "dms_approvals", "rows": reviews._dms_portal_rows(), "reviews": reviews, "error": error,
             "request_rows": Review._dms_portal_requests()._dms_portal_rows()}
        )
        return request.render("distribution_approval.portal_my_approvals", values)

    @http.route(
        ["/my/approvals/<int:review_id>/<string:decision>"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_approval_decide(self, review_id, decision, reason=None, **kwargs):
        review = request.env["tier.review"]._dms_portal_reviews().filtered(lambda r: r.id == review_id)
        if not review or decision not in ("approve", "reject"):
            raise request.not_found()
        document = request.env[review.model].browse(review.res_id)
        try:
            document._dms_portal_decide(review, decision, reason)
        except (UserError, AccessError, ValidationError) as error:
            request.env.cr.rollback()
            return request.redirect(f"/my/approvals?error={quote(str(error))}")
        return request.redirect("/my/approvals")
