from odoo import api, fields, models


class DistributionCodeHolder(models.AbstractModel):
    """A document that carries unit codes to bind (a delivery, a channel order): the codes'
    count, the import wizard and the list of its codes. The document declares `dms_code_ids`
    and the hooks `_dms_code_products`, `_dms_code_member`, `_dms_code_quantities` and
    `_dms_check_code_editable` used by the import wizard."""

    _name = "distribution.code.holder"
    _description = "Document with Unit Codes"

    # each document redeclares it with its own relation table
    dms_code_ids = fields.Many2many("distribution.code", string="Unit Codes")
    dms_code_count = fields.Integer(
        string="Codes", compute="_compute_dms_code_count", groups="distribution_core.group_channel_user"
    )

    @api.depends("dms_code_ids")
    def _compute_dms_code_count(self):
        for document in self:
            document.dms_code_count = len(document.dms_code_ids)

    def action_import_codes(self):
        self.ensure_one()
        return self.env["distribution.code.import"]._open_for(self)

    def action_view_codes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_diversion.distribution_code_action")
        action["domain"] = [("id", "in", self.dms_code_ids.ids)]
        action["context"] = {"create": False}
        return action
