import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.distribution_core.controllers.portal import DistributionPortal


class StatementPortal(DistributionPortal):
    """'My Statements': a member's statements of account, to download, confirm or dispute line by line."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_statement_count" in counters:
            Statement = request.env["distribution.statement"]
            values["channel_statement_count"] = Statement.search_count([]) if Statement.has_access("read") else 0
        return values

    def _statement(self, statement_id, access_token=None):
        try:
            return self._document_check_access("distribution.statement", statement_id, access_token=access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None

    def _own_statement(self, statement_id):
        """The statement as the logged-in user (not as superuser: who confirms or disputes is recorded)."""
        self._statement(statement_id)
        return request.env["distribution.statement"].browse(statement_id)

    @http.route(["/my/statements"], type="http", auth="user", website=True)
    def portal_my_statements(self, **kwargs):
        # record rules keep a member to its own statements, once sent
        statements = request.env["distribution.statement"].search([], order="date_to desc, number desc, version desc")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "channel_statements", "statements": statements})
        return request.render("distribution_statement.portal_my_statements", values)

    @http.route(["/my/statements/<int:statement_id>"], type="http", auth="public", website=True)
    def portal_statement(self, statement_id, access_token=None, message=None, error=None, **kwargs):
        statement = self._statement(statement_id, access_token)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_statement",
                "statement": statement,
                "disputed_lines": statement.dispute_ids.line_ids,
                "message": message,
                "error": error,
                "token": access_token,
            }
        )
        return request.render("distribution_statement.portal_statement", values)

    @http.route(["/my/statements/<int:statement_id>/confirm"], type="http", auth="user", methods=["POST"], website=True)
    def portal_statement_confirm(self, statement_id, **kwargs):
        statement = self._own_statement(statement_id)
        try:
            statement.action_confirm()
        except UserError as e:
            return request.redirect(f"/my/statements/{statement.id}?error={e.args[0]}")
        return request.redirect(f"/my/statements/{statement.id}?message=confirmed")

    @http.route(["/my/statements/<int:statement_id>/dispute"], type="http", auth="user", methods=["POST"], website=True)
    def portal_statement_dispute(self, statement_id, comment=None, **kwargs):
        statement = self._own_statement(statement_id)
        line_ids = [int(value) for value in request.httprequest.form.getlist("line_ids") if value.isdigit()]
        lines = request.env["distribution.statement.line"].browse(line_ids).exists()
        upload = request.httprequest.files.get("attachment")
        # the file is stored with the dispute only once the dispute is accepted
        files = [(upload.filename, upload.read())] if upload and upload.filename else []
        try:
            statement._dispute(lines, comment, files)
        except UserError as e:
            return request.redirect(f"/my/statements/{statement.id}?error={e.args[0]}")
        return request.redirect(f"/my/statements/{statement.id}?message=disputed")

    @http.route(["/my/statements/<int:statement_id>/pdf"], type="http", auth="public", website=True)
    def portal_statement_pdf(self, statement_id, access_token=None, **kwargs):
        statement = self._statement(statement_id, access_token)
        return self._show_report(
            model=statement, report_type="pdf", report_ref="distribution_statement.action_report_distribution_statement",
            download=True,
        )

    @http.route(["/my/statements/<int:statement_id>/xlsx"], type="http", auth="public", website=True)
    def portal_statement_xlsx(self, statement_id, access_token=None, **kwargs):
        statement = self._statement(statement_id, access_token).sudo()
        if not statement.xlsx_attachment_id:
            statement._attach_xlsx()
        attachment = statement.xlsx_attachment_id
        return request.make_response(
            base64.b64decode(attachment.datas),
            headers=[
                ("Content-Type", attachment.mimetype),
                ("Content-Disposition", http.content_disposition(attachment.name)),
            ],
        )
