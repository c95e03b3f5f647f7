from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

from odoo.addons.distribution_sale.controllers.ordering import DistributionOrdering
from odoo.addons.portal.controllers.portal import pager as portal_pager

STOCK_PAGE_SIZE = 100
FORM_ROWS = 10


class StockPortal(DistributionOrdering):
    """'My Stock': the member's channel stock and its subtree's, stock counts by form or Excel upload."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_stock_report_count" in counters:
            Report = request.env["distribution.stock.report"]
            member = request.env["distribution.member"]._for_user()
            values["channel_stock_report_count"] = (
                Report.search_count([("member_id", "=", member.id)]) if member and Report.has_access("read") else 0
            )
        return values

    @http.route(["/my/stock", "/my/stock/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_stock(self, page=1, member_id=None, error=None, report_id=None, **kwargs):
        member = self._member_or_404()
        Member = request.env["distribution.member"]
        # record rules restrict members, stock and reports to the user's own subtree
        subtree = Member.search([("id", "child_of", member.id)], order="parent_path")
        if member_id == "all":
            shown = subtree
        elif member_id and str(member_id).isdigit() and int(member_id) in subtree.ids:
            shown = Member.browse(int(member_id))
        else:
            shown = member
            member_id = str(member.id)
        Stock = request.env["distribution.channel.stock"]
        domain = [("member_id", "in", shown.ids)]
        total = Stock.search_count(domain)
        pager = portal_pager(
            url="/my/stock", total=total, page=page, step=STOCK_PAGE_SIZE, url_args={"member_id": member_id}
        )
        stock = Stock.search(domain, order="member_id, product_id", limit=STOCK_PAGE_SIZE, offset=pager["offset"])
        # the days of cover of the rows shown (record rules: the user's subtree), in one search
        analyses = request.env["distribution.stock.analysis"].search(
            [("member_id", "in", stock.member_id.ids), ("product_id", "in", stock.product_id.ids)]
        )
        reports = request.env["distribution.stock.report"].search([("member_id", "=", member.id)], limit=20)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_stock",
                "member": member,
                "subtree": subtree,
                "member_filter": member_id,
                "stock": stock,
                "analyses": {(analysis.member_id.id, analysis.product_id.id): analysis for analysis in analyses},
                "pager": pager,
                "reports": reports,
                "highlight_report_id": int(report_id) if report_id and str(report_id).isdigit() else 0,
                "form_rows": range(1, FORM_ROWS + 1),
                "error_message": error,
                "keeps_stock_in_odoo": bool(member._stock_warehouses()),
            }
        )
        return request.render("distribution_stock.portal_my_stock", values)

    def _stock_import(self, member, rows_getter, source):
        try:
            rows = rows_getter()
            report = request.env["distribution.stock.report"]._import_rows(member, rows, source)
        except (UserError, AccessError) as exc:
            return request.redirect(f"/my/stock?error={quote(str(exc.args[0] if exc.args else exc))}")
        return request.redirect(f"/my/stock?report_id={report.id}#stock_report_{report.id}")

    @http.route(["/my/stock/report"], type="http", auth="user", website=True, methods=["POST"])
    def portal_stock_report(self, **post):
        member = self._member_or_404()
        form = request.httprequest.form
        codes, quantities = form.getlist("product_code"), form.getlist("quantity")

        def rows():
            return [(number, code, qty) for number, (code, qty) in enumerate(zip(codes, quantities, strict=False), 1)]

        return self._stock_import(member, rows, "portal")

    @http.route(["/my/stock/upload"], type="http", auth="user", website=True, methods=["POST"])
    def portal_stock_upload(self, **post):
        member = self._member_or_404()
        upload = request.httprequest.files.get("file")
        Report = request.env["distribution.stock.report"]

        def rows():
            if not upload or not upload.filename:
                raise UserError(request.env._("Choose the Excel file (.xlsx) to upload."))
            return Report._parse_xlsx(upload.read())

        return self._stock_import(member, rows, "upload")

    @http.route(["/my/stock/template.xlsx"], type="http", auth="user", website=True)
    def portal_stock_template(self, **kwargs):
        member = self._member_or_404()
        data = request.env["distribution.stock.report"]._xlsx_template(member)
        filename = request.env._("stock_count_template") + ".xlsx"
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(["/my/stock/reports/<int:report_id>"], type="http", auth="user", website=True)
    def portal_stock_report_page(self, report_id, **kwargs):
        self._member_or_404()
        report = request.env["distribution.stock.report"].browse(report_id).exists()
        try:
            report.check_access("read")
        except AccessError:
            report = None
        if not report:
            return request.redirect("/my/stock")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "channel_stock_report", "report": report})
        return request.render("distribution_stock.portal_stock_report_page", values)
