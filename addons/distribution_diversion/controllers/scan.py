import json
import math
from urllib.parse import urlencode

from odoo import http
from odoo.http import request

from ..tools.unit_codes import normalize_unit_code

# HTTP status of each verdict: a malformed code is the client's error, an unknown one is not found
STATUS = {"malformed": 400, "unknown": 404, "genuine": 200, "sold": 200}


def _coordinate(value):
    """A latitude or longitude sent by the client, or None (never an error: the scan still counts)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


class DistributionScan(http.Controller):
    """The public code check: anyone may scan a unit code and learn whether it is genuine.

    Answers never name a member nor show a price to an anonymous scanner; the scan is recorded
    with the client's address and, when the browser gave it, its location, and a code seen
    outside its territory opens a diversion incident."""

    def _scan_context(self):
        """(scan type, member) of the current user: anonymous, a channel member's portal user or
        an internal user."""
        user = request.env.user
        if user._is_public():
            return "public", None
        if user.share:
            member = request.env["distribution.member"].sudo()._for_user(user)
            return "portal", member or None
        return "backend", None

    def _scan(self, code, latitude=None, longitude=None):
        """(HTTP status, answer, extra headers) of one scan, rate-limited per client address.

        The scan routes are `auth="none"`: Odoo has already verified the session of a logged-in
        scanner (a stale one is logged out before the route runs), so the scanner is the session's
        user, else the public user; this spares the public-user lookup of `auth="public"` on every
        scan of the public endpoint."""
        request.update_env(
            user=request.session.uid or request.env["ir.model.data"]._xmlid_to_res_id("base.public_user")
        )
        Scan = request.env["distribution.code.scan"].sudo()  # sudo: anonymous scanners record scans
        ip_address = request.httprequest.remote_addr
        retry_after = Scan._rate_limit_retry_after(ip_address)
        if retry_after:
            return 429, {
                "result": "rate_limited",
                "message": request.env._(
                    "Too many scans from your address. Try again in %(seconds)s seconds.", seconds=retry_after
                ),
            }, [("Retry-After", str(retry_after))]
        scan_type, member = self._scan_context()
        answer = Scan._record_scan(
            code if isinstance(code, str) else "", scan_type, member=member,
            latitude=_coordinate(latitude), longitude=_coordinate(longitude), ip_address=ip_address,
        )
        if not answer["incident"]:
            # This transaction holds nothing but the scan's log row: its commit need not wait for the
            # WAL flush. A database crash could lose the last fraction of a second of such rows,
            # never corrupt anything; a scan that opened or joined an incident is committed durably.
            request.env.cr.execute("SET LOCAL synchronous_commit TO OFF")
        return STATUS[answer["result"]], answer, []

    def _wants_json(self, kwargs):
        if kwargs.get("format") == "json":
            return True
        accept = request.httprequest.accept_mimetypes
        return accept.best == "application/json"

    def _page_company(self, answer, code):
        """The company the page speaks for (header logo, footer name): the brand that issued a
        verified code, else the visitor's company (for an anonymous visitor, the Public user's)."""
        if answer and answer.get("result") in ("genuine", "sold"):
            issued = request.env["distribution.code"].sudo().search(  # sudo: the scanner is anonymous
                [("name", "=", normalize_unit_code(code)[:64])], limit=1
            ).company_id
            if issued:
                return issued.sudo()
        return request.env.company.sudo()

    def _render_page(self, status=200, answer=None, code="", headers=None):
        return request.render(
            "distribution_diversion.scan_page",
            {
                "answer": answer,
                "code": code,
                "status": status,
                "legacy_codes": request.env["distribution.code"].sudo()._accepts_legacy_codes(),
                "res_company": self._page_company(answer, code),
            },
            status=status,
            headers=headers,
        )

    @http.route("/dist/scan", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def scan_page(self, code=None, latitude=None, longitude=None, **kwargs):
        """The scan page: a form to type or paste a code, optionally with the browser's location;
        with `code`, the verdict."""
        if not code:
            return self._render_page()
        status, answer, headers = self._scan(code, latitude, longitude)
        if self._wants_json(kwargs):
            return request.make_json_response(answer, headers=headers, status=status)
        return self._render_page(status, answer, code, headers)

    # Not a website route: the URL printed on the labels is verified at volume by apps and scanners,
    # and the frontend routing of website routes (language from the URL, cookie or default, with its
    # redirects) would cost more than the scan itself. A browser is sent on to the page, which is a
    # website route and records the scan there (once).
    # `dms_unit_code` (models/ir_http.py), not `string`: a code with an (encoded) slash or line break still
    # reaches the check, is answered and counted
    @http.route("/dist/scan/<dms_unit_code:code>", type="http", auth="none", readonly=False, methods=["GET"],
                save_session=False)
    def scan_code(self, code, latitude=None, longitude=None, **kwargs):
        """JSON with `Accept: application/json` or `?format=json`, else a redirect to the page with
        the verdict."""
        if not self._wants_json(kwargs):
            query = {"code": code}
            query.update({key: value for key, value in (("latitude", latitude), ("longitude", longitude)) if value})
            return request.redirect(f"/dist/scan?{urlencode(query)}", code=303)
        status, answer, headers = self._scan(code, latitude, longitude)
        return request.make_json_response(answer, headers=headers, status=status)

    @http.route("/dist/scan/json", type="http", auth="none", readonly=False, methods=["POST"], csrf=False,
                save_session=False)
    def scan_json(self, **kwargs):
        """Body: {"code": "...", "latitude": 30.27, "longitude": 120.15} (location optional)."""
        try:
            body = json.loads(request.httprequest.get_data() or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return request.make_json_response(
                {"result": "malformed", "message": request.env._('Send a JSON object such as {"code": "..."}.')},
                status=400,
            )
        status, answer, headers = self._scan(body.get("code") or "", body.get("latitude"), body.get("longitude"))
        return request.make_json_response(answer, headers=headers, status=status)
