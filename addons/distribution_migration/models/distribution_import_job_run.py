from odoo import fields, models


class DistributionImportJobRun(models.Model):
    """A real run of an import: when it started and how far it got, written in transactions of
    their own while the import runs (see ``distribution.import.job._run_progress``)."""

    _name = "distribution.import.job.run"
    _description = "Data Import Run"
    _order = "id desc"
    _log_access = False

    job_id = fields.Many2one("distribution.import.job", required=True, ondelete="cascade", index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True, ondelete="set null")
    date_start = fields.Datetime(string="Started On", readonly=True)
    date_progress = fields.Datetime(string="Last Progress", readonly=True)
    rows_total = fields.Integer(string="Rows to Write", readonly=True)
    rows_done = fields.Integer(string="Rows Written", readonly=True)
    batches_total = fields.Integer(string="Batches", readonly=True)
    batches_done = fields.Integer(string="Batches Written", readonly=True)
    last_row = fields.Integer(string="Up to Row", readonly=True, help="Row of the file of the last batch written.")
