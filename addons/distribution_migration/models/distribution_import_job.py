import base64
import io
import json
import time

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.distribution_core.tools.safe_io import xlsx_workbook

from ..tools.rows import count_actions
from .distribution_import_field import normalise_header

STATES = [
    ("draft", "Draft"),
    ("checked", "Checked"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancel", "Cancelled"),
]
SAMPLE_ROWS = 50


class DistributionImportJob(models.Model):
    """One import of one file: its mapping, dry run, real run and log.

    The pipeline (``_run_pipeline``, in distribution_import_job_pipeline.py): read the
    file → map the columns → clean every cell by its field type and the profile's rules
    (empty cells: reject, default or ignore per column) → fold the duplicates of the file
    → the target resolves the references (``_resolve``) → the target matches the database
    (``_match``) → count → on the real run, the target writes in batches (``_write``).
    Every row read ends in exactly one of create, update (of which unchanged), merge and
    reject.
    """

    _name = "distribution.import.job"
    _description = "Data Import"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    #: rows written per batch (a batch the database refuses is retried in halves): the
    #: fixed cost of a batch (statements, triggers of computed fields) is spread over
    #: more rows; 5,000 rows of members write about 25 % faster than batches of 1,000
    _import_batch_size = 5000
    #: rows shown in the preview of the dry run
    _preview_limit = 200

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    profile_id = fields.Many2one(
        "distribution.import.profile", required=True, ondelete="restrict", index=True, tracking=True,
        check_company=True,
    )
    target = fields.Selection(related="profile_id.target", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, compute="_compute_company_id", store=True, readonly=False,
        precompute=True,
    )
    user_id = fields.Many2one("res.users", string="Imported By", default=lambda self: self.env.user, index=True)
    file = fields.Binary(attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    encoding = fields.Selection(
        [("auto", "Automatic (UTF-8, else GBK)"), ("utf-8", "UTF-8"), ("gbk", "GBK / GB18030")],
        compute="_compute_encoding", store=True, readonly=False, precompute=True, required=True,
    )
    delimiter = fields.Selection(
        [("auto", "Automatic"), (",", "Comma"), (";", "Semicolon"), ("\t", "Tab")],
        string="CSV Delimiter", compute="_compute_encoding", store=True, readonly=False, precompute=True,
        required=True,
    )
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    column_ids = fields.One2many("distribution.import.job.column", "job_id", string="Columns", copy=False)
    rows_read = fields.Integer(readonly=True, copy=False)
    rows_create = fields.Integer(string="Created", readonly=True, copy=False)
    rows_update = fields.Integer(string="Updated", readonly=True, copy=False, help="Unchanged rows included.")
    rows_unchanged = fields.Integer(
        string="Unchanged", readonly=True, copy=False, help="Rows of existing records with nothing to change."
    )
    rows_merge = fields.Integer(string="Merged", readonly=True, copy=False)
    rows_reject = fields.Integer(string="Rejected", readonly=True, copy=False)
    date_checked = fields.Datetime(string="Dry Run On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Imported On", readonly=True, copy=False)
    duration = fields.Float(readonly=True, copy=False, help="Seconds taken by the last dry run or import.")
    reject_ids = fields.One2many("distribution.import.job.reject", "job_id", string="Rejected Rows", copy=False)
    rejected_file = fields.Binary(attachment=True, readonly=True, copy=False)
    rejected_file_name = fields.Char(readonly=True, copy=False)
    preview_ids = fields.One2many("distribution.import.job.preview", "job_id", copy=False)
    run_ids = fields.One2many("distribution.import.job.run", "job_id", string="Runs", copy=False)
    interrupted_message = fields.Char(
        compute="_compute_interrupted_message",
        help="Set when the last import of this file started but did not finish (e.g. its worker was stopped).",
    )

    @api.depends("profile_id")
    def _compute_company_id(self):
        for job in self:
            job.company_id = job.profile_id.company_id or job.company_id or self.env.company

    @api.depends("profile_id")
    def _compute_encoding(self):
        for job in self:
            job.encoding = job.profile_id.encoding or "auto"
            job.delimiter = job.profile_id.delimiter or "auto"

    @api.depends("run_ids", "date_done")
    def _compute_interrupted_message(self):
        for job in self:
            run = job.run_ids[:1]  # the latest
            if not run or (job.date_done and job.date_done >= run.date_start):
                job.interrupted_message = False
                continue
            job.interrupted_message = self.env._(
                "The import started on %(start)s did not finish: %(done)s of %(total)s rows were written "
                "(%(batches)s of %(batch_count)s batches, up to row %(row)s of the file; last progress on "
                "%(progress)s). An import is kept whole or not at all, so nothing of that run was kept: "
                "import again (rows already in the database are updated, never duplicated).",
                start=fields.Datetime.to_string(fields.Datetime.context_timestamp(job, run.date_start)),
                done=run.rows_done,
                total=run.rows_total,
                batches=run.batches_done,
                batch_count=run.batches_total,
                row=run.last_row or 0,
                progress=fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(job, run.date_progress or run.date_start)
                ),
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("distribution.import.job") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "file" in vals:
            # another file: its columns are read again and earlier results no longer apply
            self.column_ids.unlink()
            vals = dict(vals, state="draft")
        return super().write(vals)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_read_file(self):
        """Read the file's header and propose a field for each column: the one the
        profile remembers for that header, else the one whose aliases name it."""
        for job in self:
            job._check_state(("draft", "checked", "failed"))
            headers, rows = job._read_table()
            samples = [[] for _header in headers]
            for number, cells in enumerate(rows):
                if number >= SAMPLE_ROWS:
                    break
                for position, cell in enumerate(cells[: len(headers)]):
                    cell = cell.strip()
                    if cell and len(samples[position]) < 3 and cell not in samples[position]:
                        samples[position].append(cell)
            remembered = {normalise_header(line.header): line for line in job.profile_id.mapping_ids}
            fields_by_alias = {}
            for field in self.env["distribution.import.field"].search([("target", "=", job.target)]):
                for alias in field._alias_set():
                    fields_by_alias.setdefault(alias, field)
            used = set()
            commands = [Command.clear()]
            for position, header in enumerate(headers):
                normalised = normalise_header(header)
                line = remembered.get(normalised)
                if line:
                    field, on_missing, default = line.field_id, line.on_missing, line.default_value
                else:
                    field = fields_by_alias.get(normalised, self.env["distribution.import.field"])
                    on_missing, default = ("reject" if field.required else "ignore"), False
                if field and field.id in used:
                    field = self.env["distribution.import.field"]
                used.add(field.id)
                commands.append(
                    Command.create(
                        {
                            "position": position,
                            "header": header,
                            "sample": " | ".join(samples[position])[:200],
                            "field_id": field.id,
                            "on_missing": on_missing,
                            "default_value": default,
                        }
                    )
                )
            job.write({"column_ids": commands, "state": "draft"})
        return True

    def action_dry_run(self):
        """Run the whole pipeline without writing anything to the target; count,
        list and file the rejected rows; remember the mapping on the profile."""
        for job in self:
            job._check_state(("draft", "checked", "failed"))
            if not job.column_ids:
                job.action_read_file()
            job.profile_id._remember_mapping(job.column_ids.sorted("position"))
            start = time.perf_counter()
            rows = job._run_pipeline(write=False)
            job._save_results(rows, time.perf_counter() - start)
            job.write({"state": "checked", "date_checked": fields.Datetime.now()})
        return True

    def action_import(self):
        """Run the pipeline again on the file (a dry run may be stale) and write
        in batches; every row read ends created, updated, merged or rejected."""
        for job in self:
            job._check_state(("draft", "checked", "failed"))
            if not job.column_ids:
                job.action_read_file()
            job.profile_id._remember_mapping(job.column_ids.sorted("position"))
            start = time.perf_counter()
            rows = job._run_pipeline(write=True)
            job._save_results(rows, time.perf_counter() - start)
            failed = job.rows_read and job.rows_reject == job.rows_read
            job.write({"state": "failed" if failed else "done", "date_done": fields.Datetime.now()})
            job.message_post(body=job._summary())
        return True

    def action_download_rejected(self):
        self.ensure_one()
        if not self.rejected_file:
            raise UserError(self.env._("This import has no rejected rows."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/distribution.import.job/{self.id}/rejected_file/{self.rejected_file_name}"
            "?download=true",
            "target": "self",
        }

    def action_cancel(self):
        self._check_state(("draft", "checked", "failed"))
        self.state = "cancel"
        return True

    def action_draft(self):
        self._check_state(("checked", "failed", "cancel"))
        self.state = "draft"
        return True

    def _check_state(self, states):
        for job in self:
            if job.state not in states:
                raise UserError(
                    self.env._(
                        "Import %(name)s is %(state)s: this cannot be done any more. Start a new import instead.",
                        name=job.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[job.state],
                    )
                )

    def _summary(self):
        self.ensure_one()
        return self.env._(
            "%(read)s rows read: %(create)s created, %(update)s updated (%(unchanged)s unchanged), "
            "%(merge)s merged, %(reject)s rejected, in %(duration).1f s.",
            read=self.rows_read,
            create=self.rows_create,
            update=self.rows_update,
            unchanged=self.rows_unchanged,
            merge=self.rows_merge,
            reject=self.rows_reject,
            duration=self.duration,
        )

    # ------------------------------------------------------------------
    # Results
    # ------------------------------------------------------------------
    def _save_results(self, rows, duration):
        """Counts (checking that they add up), rejected rows, their XLSX file and the preview."""
        self.ensure_one()
        counts = count_actions(rows)
        if len(rows) != counts["create"] + counts["update"] + counts["merge"] + counts["reject"]:
            raise ValidationError(
                self.env._("The import lost rows: %(read)s read but %(counted)s accounted for.",
                           read=len(rows), counted=counts["create"] + counts["update"] + counts["merge"]
                           + counts["reject"])
            )
        rejected = [row for row in rows if row.action == "reject"]
        headers = self._column_headers()
        rejects = [(row.index, "; ".join(row.errors), json.dumps(row.raw, ensure_ascii=False)) for row in rejected]
        # the real run usually rejects exactly the rows the dry run rejected, for the same
        # reasons: their records and their file are then kept rather than written again
        Reject = self.env["distribution.import.job.reject"]
        Reject.flush_model()
        self.env.cr.execute(
            SQL("SELECT row, reason, values FROM %s WHERE job_id = %s ORDER BY row, id", SQL.identifier(Reject._table),
                self.id)
        )
        stored = self.env.cr.fetchall()  # before reading a field of the job: that may query too
        keep_rejects = bool(rejects) and stored == rejects and bool(self.rejected_file_name)
        if not keep_rejects:
            self.reject_ids.unlink()
        self.preview_ids.unlink()
        # thousands of rejected rows are possible: inserted in one statement (no computed field,
        # no create() override on this log model)
        self.env["distribution.import.target"]._bulk_insert(
            "distribution.import.job.reject",
            [] if keep_rejects else [
                {"job_id": self.id, "row": index, "reason": reason, "values": values}
                for index, reason, values in rejects
            ],
        )
        self.invalidate_recordset(["reject_ids"])
        key = self.env["distribution.import.field"].search(
            [("target", "=", self.target), ("is_key", "=", True)], limit=1
        ).key
        self.env["distribution.import.job.preview"].create(
            [
                {
                    "job_id": self.id,
                    "row": row.index,
                    "action": row.action,
                    "key": str(row.values.get(key) or ""),
                    "message": "; ".join(row.errors) if row.errors else row.message,
                }
                for row in rows[: self._preview_limit]
            ]
        )
        vals = {
            "rows_read": len(rows),
            "rows_create": counts["create"],
            "rows_update": counts["update"],
            "rows_unchanged": counts["unchanged"],
            "rows_merge": counts["merge"],
            "rows_reject": counts["reject"],
            "duration": duration,
        }
        if not rejected:
            vals.update(rejected_file=False, rejected_file_name=False)
        elif not keep_rejects:
            base = (self.file_name or self.name or "import").rsplit(".", 1)[0]
            vals["rejected_file"] = base64.b64encode(self._rejected_xlsx(headers, rejected))
            vals["rejected_file_name"] = f"{base}-rejected.xlsx"
        self.write(vals)

    def _column_headers(self):
        return [column.header or f"#{column.position + 1}" for column in self.column_ids.sorted("position")]

    def _rejected_xlsx(self, headers, rows):
        """The rejected rows as read, under the file's headers, with the reason in an
        extra last column: fix them and import the file again with the same profile."""
        output = io.BytesIO()
        workbook = xlsx_workbook(output, {"constant_memory": True})
        sheet = workbook.add_worksheet(self.env._("Rejected rows")[:31])
        bold = workbook.add_format({"bold": True})
        reason_header = self.env._("Reason / 原因")
        for position, header in enumerate(headers):
            sheet.write_string(0, position, header, bold)
        sheet.write_string(0, len(headers), reason_header, bold)
        width = len(headers)
        for number, row in enumerate(sorted(rows, key=lambda r: r.index), start=1):
            cells = list(row.raw.values())
            for position, cell in enumerate(cells[:width]):
                if cell:
                    sheet.write_string(number, position, cell)
            sheet.write_string(number, width, "; ".join(row.errors))
            for position, cell in enumerate(cells[width:], start=width + 1):
                if cell:
                    sheet.write_string(number, position, cell)
        workbook.close()
        return output.getvalue()
