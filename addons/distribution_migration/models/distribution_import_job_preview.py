from odoo import fields, models


class DistributionImportJobPreview(models.Model):
    """What the dry run will do with one of the first rows of the file."""

    _name = "distribution.import.job.preview"
    _description = "Import Preview Row"
    _order = "job_id, row"

    job_id = fields.Many2one("distribution.import.job", required=True, ondelete="cascade", index=True)
    row = fields.Integer()
    action = fields.Selection(
        [
            ("create", "Create"),
            ("update", "Update"),
            ("unchanged", "Unchanged"),
            ("merge", "Merge"),
            ("reject", "Reject"),
        ]
    )
    key = fields.Char()
    message = fields.Char()
