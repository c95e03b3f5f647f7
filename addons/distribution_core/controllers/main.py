from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request


class DistributionOnboarding(http.Controller):
    """The public page behind an invitation link."""

    def _render_error(self, message, status=404):
        return request.render(
            "distribution_core.onboarding_invalid",
            {"error_message": message},
            status=status,
        )

    def _usable_invitation(self, token):
        """(invitation, None), or (None, the error page) for an unknown, expired,
        used-up or withdrawn token."""
        invitation = request.env["distribution.invitation"]._get_by_token(token)
        if not invitation:
            return None, self._render_error(
                request.env._("This invitation link is not valid. Check that you copied it whole.")
            )
        message = invitation._check_usable()
        if message:
            return None, self._render_error(message, status=410)
        return invitation, None

    def _join_values(self, invitation, form=None, error=None):
        # sudo: the applicant is anonymous; the lists of territories, provinces and
        # countries are public reference data, the invitation was found by its token.
        env = request.env
        return {
            "invitation": invitation,
            "form": form or {},
            "error_message": error,
            "territories": env["distribution.territory"].sudo().search([]),
            "countries": env["res.country"].sudo().search([]),
            "states": env["res.country.state"].sudo().search([("country_id.code", "=", "CN")]),
            "default_country": env.ref("base.cn", raise_if_not_found=False),
            # the page speaks for the company that invites (header logo, footer name), not for the
            # anonymous visitor's (the Public user's) company
            "res_company": invitation.company_id.sudo(),
        }

    @http.route("/dist/join/<string:token>", type="http", auth="public", website=True, methods=["GET"])
    def join(self, token, **kwargs):
        invitation, error = self._usable_invitation(token)
        if error:
            return error
        return request.render("distribution_core.onboarding_form", self._join_values(invitation))

    @http.route("/dist/join/<string:token>", type="http", auth="public", website=True, methods=["POST"])
    def join_submit(self, token, **post):
        invitation, error = self._usable_invitation(token)
        if error:
            return error
        required = {
            "name": request.env._("Company name"),
            "contact_name": request.env._("Your name"),
            "email": request.env._("Email"),
        }
        missing = [label for key, label in required.items() if not (post.get(key) or "").strip()]
        if missing:
            return request.render(
                "distribution_core.onboarding_form",
                self._join_values(
                    invitation, post, request.env._("Please fill in: %(fields)s", fields=", ".join(missing))
                ),
            )

        def to_id(key):
            value = post.get(key)
            return int(value) if value and str(value).isdigit() else False

        vals = {
            "invitation_id": invitation.id,
            "name": post["name"].strip(),
            "contact_name": post["contact_name"].strip(),
            "email": post["email"].strip(),
            "phone": (post.get("phone") or "").strip(),
            "vat": (post.get("vat") or "").strip() or False,
            "street": (post.get("street") or "").strip(),
            "city": (post.get("city") or "").strip(),
            "zip": (post.get("zip") or "").strip(),
            "state_id": to_id("state_id"),
            "country_id": to_id("country_id"),
            "territory_id": to_id("territory_id"),
        }
        try:
            # sudo: anonymous applicants create their application; the model checks
            # the token's validity, the VAT and code duplicates itself.
            with request.env.cr.savepoint():
                application = request.env["distribution.application"].sudo().create(vals)
        except ValidationError as error:
            return request.render(
                "distribution_core.onboarding_form", self._join_values(invitation, post, str(error.args[0]))
            )
        return request.render("distribution_core.onboarding_thanks", {"application": application})
