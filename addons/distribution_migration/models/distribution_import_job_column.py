from odoo import fields, models

from .distribution_import_profile_mapping import ON_MISSING


class DistributionImportJobColumn(models.Model):
    """A column of the file and the field it is imported into."""

    _name = "distribution.import.job.column"
    _description = "Import Column"
    _order = "job_id, position"

    job_id = fields.Many2one("distribution.import.job", required=True, ondelete="cascade", index=True)
    target = fields.Selection(related="job_id.target")
    position = fields.Integer(readonly=True)
    header = fields.Char(readonly=True)
    sample = fields.Char(readonly=True, help="First values of the column.")
    field_id = fields.Many2one(
        "distribution.import.field",
        ondelete="set null",
        domain="[('target', '=', target)]",
        help="Empty: the column is not imported.",
    )
    on_missing = fields.Selection(ON_MISSING, default="ignore", required=True, string="When Empty")
    default_value = fields.Char()
