"""Lines of an opted-in document: their changes are changes of the document's figures."""

from odoo import api, models


class ApprovalLineMixin(models.AbstractModel):
    """Lines of an opted-in document: creating, changing or deleting them is a change of
    the document's figures (frozen while under approval and once approved)."""

    _name = "distribution.approval.line.mixin"
    _description = "Lines of a Document under Approval"

    _dms_approval_parent = "order_id"
    # line fields that can change the document's figures (empty: all)
    _dms_approval_line_fields = ()

    def _dms_line_relevant(self, vals):
        keys = set(vals)
        return not self._dms_approval_line_fields or bool(
            keys & (set(self._dms_approval_line_fields) | {self._dms_approval_parent})
        )

    def _dms_parents(self, ids=()):
        parent_model = self.env[self._fields[self._dms_approval_parent].comodel_name]
        parents = self.sudo()[self._dms_approval_parent] | parent_model.sudo().browse([i for i in ids if i])
        return parents.with_env(self.env)

    @api.model_create_multi
    def create(self, vals_list):
        ids = [vals.get(self._dms_approval_parent) for vals in vals_list]
        parents = self._dms_parents([i for i in ids if isinstance(i, int)])
        with parents._dms_figures_guard():
            return super().create(vals_list)

    def write(self, vals):
        if not self._dms_line_relevant(vals):
            return super().write(vals)
        new_parent = vals.get(self._dms_approval_parent)
        parents = self._dms_parents([new_parent] if isinstance(new_parent, int) else [])
        with parents._dms_figures_guard():
            return super().write(vals)

    def unlink(self):
        with self._dms_parents()._dms_figures_guard():
            return super().unlink()
