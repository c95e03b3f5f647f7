from odoo import api, models
from odoo.exceptions import UserError

from .distribution_statement import STATE_KEY

# what an attachment of a sent statement (its XLSX copy, the PDF sent) may no longer change: its content,
# its name and what it is attached to
ATTACHMENT_FIELDS = {
    "raw", "datas", "db_datas", "store_fname", "checksum", "file_size", "mimetype", "url", "type", "name",
    "res_model", "res_id", "res_field", "company_id",
}


class IrAttachment(models.Model):
    """The files of a sent statement (its XLSX copy, the PDF that was emailed) are part of it: they
    can neither be replaced, renamed, re-pointed nor deleted, and no file is added to it afterwards
    (the member's evidence goes to the dispute, a correction is a new version)."""

    _inherit = "ir.attachment"

    @api.model
    def _dms_sent_statements(self, pairs):
        """The statements, among (res_model, res_id) pairs, that are no longer drafts."""
        ids = {res_id for res_model, res_id in pairs if res_model == "distribution.statement" and res_id}
        if not ids:
            return self.env["distribution.statement"]
        statements = self.env["distribution.statement"].sudo().browse(ids).exists()
        return statements.filtered(lambda s: s.state != "draft")

    def _dms_check_statement_files(self, vals=None):
        pairs = set()
        if self:
            self.env["ir.attachment"].flush_model(["res_model", "res_id"])
            self.env.cr.execute(
                "SELECT res_model, res_id FROM ir_attachment WHERE id = ANY(%s) AND res_model = 'distribution.statement'",
                [list(self.ids)],
            )
            pairs.update(self.env.cr.fetchall())
        if vals and (vals.get("res_model") or vals.get("res_id")):
            targets = {vals.get("res_model")} if vals.get("res_model") else {model for model, _id in pairs}
            for model in targets:
                pairs.add((model, vals.get("res_id")))
        sent = self._dms_sent_statements(pairs)
        if sent:
            raise UserError(
                self.env._(
                    "The files of statement %s, which was sent, cannot be changed: issue a corrected version instead.",
                    sent[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("dms_statement_state") is not STATE_KEY:
            sent = self._dms_sent_statements({(vals.get("res_model"), vals.get("res_id")) for vals in vals_list})
            if sent:
                raise UserError(
                    self.env._(
                        "No file can be added to statement %s, which was sent: attach it to a dispute, or issue a "
                        "corrected version.", sent[0].name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if ATTACHMENT_FIELDS & set(vals):
            internal = self.env.context.get("dms_statement_state") is STATE_KEY
            # the statement's own emails may attach their PDF to it; nothing may change a file already there
            self._dms_check_statement_files(None if internal else vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent_statement(self):
        self._dms_check_statement_files()
