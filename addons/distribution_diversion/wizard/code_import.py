import base64
import binascii
import math

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distribution_core.tools.safe_io import UnsafeInputError, check_cell_length

# What one import reads, at most: a CSV of 100,000 codes with the columns of a batch export (code,
# kind, carton, product, lot, scan URL) is about 10 MB; more is a mistake (or an attack) that would
# hold a worker for minutes, never one delivery's codes.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_LINES = 100000
# a line's first column is a code (17 characters), a code of a previous system (40 at most) or the
# scan URL printed on its label; the rest of the line is ignored but must not be a 50 MB cell either
MAX_LINE_LENGTH = 1000


class DistributionCodeImport(models.TransientModel):
    """Scan or import the unit codes of a delivery or a channel order: pasted one per line, or a
    CSV file whose first column is the code. Cartons stand for their units."""

    _name = "distribution.code.import"
    _description = "Scan or Import Unit Codes"

    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    channel_order_id = fields.Many2one("distribution.channel.order", readonly=True)
    member_id = fields.Many2one("distribution.member", string="Bound to", compute="_compute_member_id")
    codes_text = fields.Text(string="Codes", help="One code per line, as scanned or typed.")
    file = fields.Binary(string="CSV File", help="A CSV file whose first column holds the codes.")
    filename = fields.Char()

    @api.depends("picking_id", "channel_order_id")
    def _compute_member_id(self):
        for wizard in self:
            wizard.member_id = wizard._document()._dms_code_member()

    def _document(self):
        return self.picking_id or self.channel_order_id

    @api.model
    def _open_for(self, document):
        document._dms_check_code_editable()
        field = "picking_id" if document._name == "stock.picking" else "channel_order_id"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scan or Import Unit Codes"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{field}": document.id},
        }

    def _lines(self):
        """The pasted lines and the file's, refused beyond MAX_IMPORT_BYTES, MAX_IMPORT_LINES lines or
        MAX_LINE_LENGTH characters a line, before any of them is parsed."""
        text = self.codes_text or ""
        if self.file:
            # the size is known from the base64 text without decoding it
            size = len(self.file) * 3 // 4
            if size > MAX_IMPORT_BYTES:
                raise UserError(self.env._(
                    "The file holds %(size)s MB, more than the %(max)s MB that are read: split it into "
                    "several imports.", size=math.ceil(size / 1048576), max=MAX_IMPORT_BYTES // 1048576))
            try:
                content = base64.b64decode(self.file).decode("utf-8-sig")
            except (binascii.Error, ValueError) as error:  # UnicodeDecodeError is a ValueError
                raise UserError(self.env._(
                    "The file is not a CSV file in UTF-8: save it as CSV (UTF-8) from your spreadsheet "
                    "application, the codes in the first column.")) from error
            text = f"{text}\n{content}" if text else content
        if len(text) > MAX_IMPORT_BYTES:
            raise UserError(self.env._(
                "More than %(max)s MB of codes: split them into several imports.", max=MAX_IMPORT_BYTES // 1048576))
        if text.count("\n") >= MAX_IMPORT_LINES:
            raise UserError(self.env._(
                "More than %(max)s lines: split the codes into several imports.", max=f"{MAX_IMPORT_LINES:,}"))
        lines = text.splitlines()
        if len(lines) > MAX_IMPORT_LINES:  # other line breaks than \n
            raise UserError(self.env._(
                "More than %(max)s lines: split the codes into several imports.", max=f"{MAX_IMPORT_LINES:,}"))
        try:
            for number, line in enumerate(lines, start=1):
                check_cell_length(line, number, MAX_LINE_LENGTH)
        except UnsafeInputError as error:
            raise UserError(error.translate(self.env.lang)) from error
        return lines

    def action_import(self):
        """Check every line and add the codes to the document, or refuse them all with the list
        of bad lines."""
        self.ensure_one()
        document = self._document()
        document._dms_check_code_editable()
        Code = self.env["distribution.code"]
        codes, errors = Code._parse_code_lines(self._lines(), products=document._dms_code_products())
        if not codes and not errors:
            raise UserError(self.env._("Scan or paste at least one code, or choose a CSV file."))
        member = document._dms_code_member()
        errors += (codes - document.dms_code_ids)._binding_errors(member)
        units = (codes | document.dms_code_ids).filtered(lambda c: c.kind == "unit")
        counts = {}
        for unit in units:
            counts[unit.product_id] = counts.get(unit.product_id, 0) + 1
        quantities = document._dms_code_quantities()
        errors += [
            self.env._(
                "%(count)s unit codes of %(product)s but only %(quantity)s on %(name)s.",
                count=count, product=product.display_name, quantity=quantities.get(product, 0),
                name=document.display_name,
            )
            for product, count in counts.items()
            if count > quantities.get(product, 0)
        ]
        Code._raise_errors(errors, self.env._("No code was added; correct these lines and try again:"))
        document.dms_code_ids = [Command.link(code.id) for code in codes]
        return {"type": "ir.actions.act_window_close"}
