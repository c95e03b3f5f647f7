import base64
import binascii

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
        lines = (self.codes_text or "").splitlines()
        if self.file:
            try:
                content = base64.b64decode(self.file).decode("utf-8-sig")
            except (binascii.Error, UnicodeDecodeError) as error:
                raise UserError(self.env._("The file is not a UTF-8 CSV file.")) from error
            lines += content.splitlines()
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
        errors += (codes - document.dist_code_ids)._binding_errors(member)
        units = (codes | document.dist_code_ids).filtered(lambda c: c.kind == "unit")
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
        document.dist_code_ids = [Command.link(code.id) for code in codes]
        return {"type": "ir.actions.act_window_close"}
