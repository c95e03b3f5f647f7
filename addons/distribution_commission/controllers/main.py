import time
from datetime import datetime
from urllib.parse import quote

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.distribution_core.controllers.portal import DistributionPortal
from odoo.addons.distribution_core.tools.safe_io import is_sane_number

SESSION_KEY = "dms_referral"


def referral_from_session():
    """(promoter, clicked at) of the referral link followed in this browser session, if any."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return request.env["distribution.promoter"], None
    promoter = request.env["distribution.promoter"].sudo().search([("code", "=", data.get("code"))], limit=1)
    return promoter, datetime.fromtimestamp(data.get("at", time.time()))


class ReferralLanding(http.Controller):
    @http.route(["/r/<string:code>"], type="http", auth="public", website=True, sitemap=False)
    def referral(self, code, **kwargs):
        """A shared link: remember who sent the visitor (first touch wins), attach him now if he is logged in."""
        promoter = request.env["distribution.promoter"].sudo().search(
            [("code", "=", (code or "").upper()), ("state", "=", "active")], limit=1
        )
        if not promoter:
            raise request.not_found()
        if not request.session.get(SESSION_KEY):
            request.session[SESSION_KEY] = {"code": promoter.code, "at": time.time()}
        user = request.env.user
        if not user._is_public():
            user.partner_id.commercial_partner_id._attach_referrer(*referral_from_session())
        return request.render(
            "distribution_commission.referral_landing",
            {
                "promoter": promoter,
                "logged_in": not user._is_public(),
                # the brand that runs the programme, not the visitor's (public user's) company
                "res_company": promoter.company_id.sudo(),
            },
        )


class ReferralSignup(AuthSignupHome):
    def get_auth_signup_qcontext(self):
        """The sign-up page of a referred visitor is the brand's page (the promoter's company), as the
        landing page that sent him there."""
        qcontext = super().get_auth_signup_qcontext()
        promoter, _clicked_at = referral_from_session()
        if promoter and not qcontext.get("token"):
            qcontext["res_company"] = promoter.company_id.sudo()
        return qcontext

    def _signup_with_values(self, token, values, do_login):
        promoter, clicked_at = referral_from_session()
        if promoter and not token:
            # a referred visitor becomes a customer of the promoter's company,
            # not of the public user's (the main) company
            values = dict(values, company_id=promoter.company_id.id, company_ids=[(6, 0, promoter.company_id.ids)])
        result = super()._signup_with_values(token, values, do_login)
        if promoter and values.get("login"):
            user = request.env["res.users"].sudo().search([("login", "=", values["login"])], limit=1)
            if not token and user.partner_id.company_id != promoter.company_id:
                user.partner_id.company_id = promoter.company_id
            user.partner_id._attach_referrer(promoter, clicked_at)
        return result


class EarningsPortal(DistributionPortal):
    """'My earnings': the promoter's link and QR code, referred customers, commissions, withdrawals."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "promoter_count" in counters:
            values["promoter_count"] = 1 if request.env["distribution.promoter"]._for_user() else 0
        return values

    @http.route(["/my/earnings"], type="http", auth="user", website=True)
    def portal_my_earnings(self, message=None, error=None, **kwargs):
        promoter = request.env["distribution.promoter"]._for_user()
        if not promoter:
            raise request.not_found()
        # record rules keep a promoter to his own commissions and withdrawals
        commissions = request.env["distribution.commission"].search([], order="date desc, id desc", limit=200)
        withdrawals = request.env["distribution.commission.withdrawal"].search([], order="id desc")
        customers = promoter.sudo().customer_ids
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "earnings",
                "promoter": promoter,
                "commissions": commissions,
                "withdrawals": withdrawals,
                "customers": [(self._mask(c.name), c.dms_referral_date) for c in customers],
                "qr_url": "/report/barcode/?barcode_type=QR&width=200&height=200&value="
                + quote(promoter.referral_url or "", safe=""),
                "message": message,
                "error": error,
                "today": fields.Date.context_today(promoter),
            }
        )
        return request.render("distribution_commission.portal_my_earnings", values)

    @staticmethod
    def _mask(name):
        """张三丰 → 张**, John Smith → J*** S****: a promoter sees that a customer came, not who."""
        name = (name or "").strip()
        if not name:
            return "***"
        if " " in name:
            return " ".join(part[:1] + "*" * (len(part) - 1) for part in name.split())
        return name[:1] + "*" * max(len(name) - 1, 2)

    @http.route(["/my/earnings/payout"], type="http", auth="user", methods=["POST"], website=True)
    def portal_payout(self, payout_method=None, account=None, **kwargs):
        """The promoter keeps his own payout details (where the money goes)."""
        promoter = request.env["distribution.promoter"]._for_user()
        if not promoter:
            raise request.not_found()
        field = {"bank": "bank_account", "alipay": "alipay_account", "wechat": "wechat_account"}.get(payout_method)
        if not field or not (account or "").strip():
            return request.redirect("/my/earnings?error=" + quote(request.env._("Choose a method and type the account.")))
        promoter.sudo().write({"payout_method": payout_method, field: account.strip()[:120]})
        return request.redirect("/my/earnings?message=payout")

    @http.route(["/my/earnings/withdraw"], type="http", auth="user", methods=["POST"], website=True)
    def portal_withdraw(self, amount=None, **kwargs):
        promoter = request.env["distribution.promoter"]._for_user()
        if not promoter:
            raise request.not_found()
        try:
            value = float((amount or "0").replace(",", ""))
        except ValueError:
            value = None
        if value is None or not is_sane_number(value):  # nan, inf, 1e308
            return request.redirect("/my/earnings?error=" + quote(request.env._("Type an amount.")))
        try:
            request.env["distribution.commission.withdrawal"]._request(promoter, value)
        except UserError as e:
            return request.redirect("/my/earnings?error=" + quote(e.args[0]))
        return request.redirect("/my/earnings?message=requested")
