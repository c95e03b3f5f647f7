from odoo import fields, models


class DistributionImportJobReject(models.Model):
    """A row of the file that was not imported, and why."""

    _name = "distribution.import.job.reject"
    _description = "Rejected Import Row"
    _order = "job_id, row"

    job_id = fields.Many2one("distribution.import.job", required=True, ondelete="cascade", index=True)
    row = fields.Integer(help="Row number in the file (the header is row 1).")
    reason = fields.Char()
    values = fields.Text(help="The cells of the row as read (JSON).")
