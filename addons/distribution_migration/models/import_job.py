import base64
import functools
import io
import json
import logging
import time

import psycopg2
import psycopg2.errorcodes

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, clean_context, split_every

from odoo.addons.distribution_core.tools.safe_io import xlsx_workbook

from ..tools.cleaning import (
    CleaningError,
    clean_code,
    clean_email,
    clean_name,
    clean_phone,
    clean_vat,
    halfwidth,
    parse_bool,
    parse_date,
    parse_number,
)
from ..tools.reader import ReaderError, read_table
from ..tools.rows import ACTIONS, ImportRow, count_actions
from .import_field import normalise_header
from .import_profile import ON_MISSING

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("checked", "Checked"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancel", "Cancelled"),
]
SAMPLE_ROWS = 50
#: distinct cells of a column whose cleaned value is kept during a run
CLEAN_CACHE_SIZE = 10_000
_UNCLEANED = object()

#: errors of one batch that make the job retry it in halves, down to the refused rows
WRITE_ERRORS = (psycopg2.Error, UserError, ValueError)


class DistributionImportJob(models.Model):
    """One import of one file: its mapping, dry run, real run and log.

    The pipeline (``_run_pipeline``): read the file → map the columns → clean every
    cell by its field type and the profile's rules (empty cells: reject, default or
    ignore per column) → fold the duplicates of the file → the target resolves the
    references (``_resolve``) → the target matches the database (``_match``) → count
    → on the real run, the target writes in batches (``_write``). Every row read ends
    in exactly one of create, update (of which unchanged), merge and reject.
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
    # Pipeline
    # ------------------------------------------------------------------
    def _read_table(self):
        """(headers, rows) of the job's file; UserError when it cannot be read."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Attach the file to import first."))
        content = base64.b64decode(self.with_context(bin_size=False).file)
        try:
            headers, rows = read_table(content, self.file_name or "", self.encoding, self.delimiter)
        except ReaderError as error:
            raise UserError(error.translate(self.env.lang)) from error
        return headers, self._user_errors(rows)

    def _user_errors(self, rows):
        """The rows of the file; a row that cannot be read (a cell too long, a broken CSV line)
        stops the whole run with a UserError, before anything is written."""
        try:
            yield from rows
        except ReaderError as error:
            raise UserError(error.translate(self.env.lang)) from error

    def _target(self):
        self.ensure_one()
        name = f"distribution.import.target.{self.target}"
        if name not in self.env:
            raise UserError(self.env._("Imports of %(target)s are not available.", target=self.target))
        return self.env[name]

    def _cleaner(self, field):
        """A function cleaning one cell for this field, per its type and the
        profile's rules; raises CleaningError."""
        profile = self.profile_id
        kind = field.field_type
        env = self.env
        if kind == "code":
            rules = self._target()._code_rules(self, field, profile._code_rules())
            return functools.partial(clean_code, rules=rules)
        if kind in ("char", "name"):
            return clean_name
        if kind == "ref":
            return lambda text: clean_name(halfwidth(text))
        if kind == "phone":
            if profile.phone_normalise:
                country = profile.phone_country_code or ""
                return functools.partial(clean_phone, country=country)
            return clean_name
        if kind == "vat":
            if profile.vat_normalise or profile.vat_check_uscc:
                check = profile.vat_check_uscc
                return functools.partial(clean_vat, check_uscc=check)
            return clean_name
        if kind == "email":
            return clean_email
        if kind == "float":
            return parse_number
        if kind == "bool":
            return parse_bool
        if kind == "price":
            low, high = profile.price_min, profile.price_max

            def clean_price(text):
                value = parse_number(text)
                if value < low:
                    raise CleaningError(env._("%(value)s is below the minimum of %(min)s.", value=text, min=low))
                if value > high:
                    raise CleaningError(env._("%(value)s is above the maximum of %(max)s.", value=text, max=high))
                return value

            return clean_price
        if kind == "qty":
            high = profile.qty_max

            def clean_qty(text):
                value = parse_number(text)
                if value < 0:
                    raise CleaningError(env._("%(value)s is a negative quantity.", value=text))
                if value > high:
                    raise CleaningError(env._("%(value)s is above the maximum of %(max)s.", value=text, max=high))
                return value

            return clean_qty
        if kind == "date":
            low, high = profile.date_min, profile._effective_date_max()

            def clean_date(text):
                value = parse_date(text)
                if low and value < low:
                    raise CleaningError(env._("%(value)s is before %(min)s.", value=text, min=low))
                if value > high:
                    raise CleaningError(env._("%(value)s is after %(max)s.", value=text, max=high))
                return value

            return clean_date
        return clean_name

    def _column_plan(self, headers):
        """[(position, key, cleaner, on_missing, cleaned default, label, required)] of the mapped
        columns; UserError when the mapping is incomplete or does not fit the file."""
        self.ensure_one()
        columns = self.column_ids.sorted("position")
        if [c.header or "" for c in columns] != headers:
            raise UserError(
                self.env._("The columns of the file do not match the columns read: read the file again.")
            )
        lang = self.env.lang
        plan, mapped = [], {}
        for column in columns.filtered("field_id"):
            field = column.field_id
            if field.target != self.target:
                raise UserError(
                    self.env._("Column %(header)s is mapped to a field of another target.", header=column.header)
                )
            if field.key in mapped:
                raise UserError(
                    self.env._(
                        "Columns %(first)s and %(second)s are both mapped to %(field)s: keep one.",
                        first=mapped[field.key],
                        second=column.header,
                        field=field.name,
                    )
                )
            mapped[field.key] = column.header
            cleaner = self._cleaner(field)
            default = None
            if column.on_missing == "default":
                if not (column.default_value or "").strip():
                    raise UserError(
                        self.env._("Column %(header)s: give the default value for empty cells.", header=column.header)
                    )
                try:
                    default = cleaner(column.default_value)
                except CleaningError as error:
                    raise UserError(
                        self.env._(
                            "Column %(header)s: the default value is not valid: %(error)s",
                            header=column.header,
                            error=error.translate(lang),
                        )
                    )
            plan.append((column.position, field.key, cleaner, column.on_missing, default, field.name, field.required))
        fields_ = self.env["distribution.import.field"].search([("target", "=", self.target)])
        missing = fields_.filtered(lambda f: (f.required or f.is_key) and f.key not in mapped)
        if missing:
            raise UserError(
                self.env._(
                    "Map a column to each required field: %(fields)s.", fields=", ".join(missing.mapped("name"))
                )
            )
        return plan

    def _clean_rows(self, headers, cells_iter, plan):
        """ImportRows of the file, their cells cleaned per the plan. Empty rows are
        skipped (they are not counted); a row with a wrong number of cells is rejected."""
        width = len(headers)
        keys = []
        for position, header in enumerate(headers):
            key = header or f"#{position + 1}"
            while key in keys:
                key = f"{key} ({position + 1})"
            keys.append(key)
        lang = self.env.lang
        missing_msg = {key: self.env._("%(field)s is missing.", field=label) for _p, key, *_r, label, _q in plan}
        rows, cleaned = [], []  # every row read; (row, cells) of those with the header's width
        for offset, cells in enumerate(cells_iter):
            if not "".join(cells).strip():  # (an empty row)
                continue
            row = ImportRow(offset + 2, dict(zip(keys, cells, strict=False)))
            rows.append(row)
            if len(cells) != width:
                extra = cells[width:]
                if len(cells) < width or any(cell.strip() for cell in extra):
                    row.raw.update((f"#{width + i + 1}", cell) for i, cell in enumerate(extra))
                    row.errors.append(
                        self.env._(
                            "The row has %(cells)s cells where the header has %(width)s.", cells=len(cells), width=width
                        )
                    )
                    continue
            cleaned.append((row.values, row.errors, cells))
        # column by column (a row's values and errors still come in the order of the plan); the
        # cleaned value of each distinct cell of a column is computed once: legacy files repeat
        # the same tiers, territories, parent codes, cities and states on thousands of rows (a
        # column of distinct values stops filling its cache at CLEAN_CACHE_SIZE entries)
        for position, key, cleaner, on_missing, default, label, required in plan:
            cache = {}
            missing = missing_msg[key]
            for values, errors, cells in cleaned:
                cell = cells[position]
                value = cache.get(cell, _UNCLEANED)
                if value is not _UNCLEANED:
                    values[key] = value
                    continue
                if not cell or cell.isspace():
                    if on_missing == "default":
                        values[key] = default
                    elif on_missing == "reject" or required:
                        errors.append(missing)
                    continue
                try:
                    value = values[key] = cleaner(cell)
                except CleaningError as error:
                    errors.append(f"{label}: {error.translate(lang)}")
                    continue
                if len(cache) < CLEAN_CACHE_SIZE:
                    cache[cell] = value
        return rows

    def _fold_duplicates(self, rows, key, secondary_keys):
        """Rows with the key (or a secondary key) of an earlier row: rejected as
        duplicates of it, or folded into it (later non-empty values win), per the
        profile's policy for duplicates in the file."""
        merge = self.profile_id.dup_file_policy == "merge"
        labels = {
            f.key: f.name for f in self.env["distribution.import.field"].search([("target", "=", self.target)])
        }
        seen = {name: {} for name in (key, *secondary_keys)}
        for row in rows:
            first = None
            for name, index in seen.items():
                value = row.values.get(name)
                if value not in (None, "", False):
                    first = index.get(value)
                    if first is not None:
                        break
            if first is None:
                for name, index in seen.items():
                    value = row.values.get(name)
                    if value not in (None, "", False):
                        index[value] = row
                continue
            if merge:
                first.values.update((k, v) for k, v in row.values.items() if k != key)
                row.action = "merge"
                row.merged_into = first.index
                row.message = self.env._("Merged into row %(row)s.", row=first.index)
            else:
                row.errors.append(
                    self.env._(
                        "Duplicate of row %(row)s (same %(field)s).", row=first.index, field=labels.get(name, name)
                    )
                )

    def _run_pipeline(self, write):
        """The ImportRows of the file with their outcome; writes to the target only
        when ``write``. Raises UserError when the file or the mapping is unusable."""
        self.ensure_one()
        env = self.env(context=dict(clean_context(self.env.context), mail_create_nolog=True, mail_create_nosubscribe=True))
        target = self._target().with_env(env).with_company(self.company_id)
        if write:
            target._check_access(self)
        headers, cells_iter = self._read_table()
        plan = self._column_plan(headers)
        key = self.env["distribution.import.field"].search(
            [("target", "=", self.target), ("is_key", "=", True)], limit=1
        ).key
        rows = self._clean_rows(headers, cells_iter, plan)
        self._fold_duplicates([row for row in rows if row.live], key, target._secondary_keys())
        target._resolve(self, [row for row in rows if row.live])
        target._match(self, [row for row in rows if row.live])
        self._reject_merged_into_rejected(rows)
        if write:
            self._write_rows(target, rows)
            self._reject_merged_into_rejected(rows)
        for row in rows:
            if row.errors:
                row.action = "reject"
                row.target_id = None
            elif row.action not in ACTIONS:
                raise UserError(
                    self.env._("The import left row %(row)s undecided: report this to your integrator.", row=row.index)
                )
        return rows

    def _reject_merged_into_rejected(self, rows):
        by_index = {row.index: row for row in rows}
        for row in rows:
            if row.action == "merge" and row.merged_into and not row.errors and by_index[row.merged_into].errors:
                row.reject(self.env._("Merged into row %(row)s, which is rejected.", row=row.merged_into))

    def _write_rows(self, target, rows):
        to_write = [
            row for row in rows
            if not row.errors and row.merged_into is None and row.action in ("create", "update", "merge")
        ]
        to_write = target._order_for_write(self, to_write)
        target._before_write(self, to_write)
        batches = list(split_every(self._import_batch_size, to_write, list))
        run = self._run_progress(rows_total=len(to_write), batches_total=len(batches))
        rows_done = 0
        for number, batch in enumerate(batches, start=1):
            self._write_batch(target, batch)
            rows_done += sum(1 for row in batch if not row.errors)  # (a row the database refused is not)
            run(batches_done=number, rows_done=rows_done, last_row=max(row.index for row in batch))
        target._after_write(self, [row for row in to_write if not row.errors])

    def _run_progress(self, rows_total, batches_total):
        """Record the start of a real run, and return a function recording its progress after each
        batch, both in transactions of their own (committed at once): an import is written in one
        transaction, so a run whose worker is stopped (time limit, restart) leaves nothing of its
        rows, but the job then says how far it got (``interrupted_message``). Never waits for a
        lock and never fails the import: if the job cannot be seen from another transaction (it
        was created in this one), the run is simply not recorded."""
        self.ensure_one()
        run_id = self._run_progress_sql(
            SQL(
                """INSERT INTO distribution_import_job_run
                          (job_id, user_id, date_start, date_progress, rows_total, batches_total, rows_done,
                           batches_done)
                   VALUES (%s, %s, %s, %s, %s, %s, 0, 0) RETURNING id""",
                self.id, self.env.uid, fields.Datetime.now(), fields.Datetime.now(), rows_total, batches_total,
            )
        )

        def progress(batches_done, rows_done, last_row):
            if run_id:
                self._run_progress_sql(
                    SQL(
                        """UPDATE distribution_import_job_run
                              SET batches_done = %s, rows_done = %s, last_row = %s, date_progress = %s
                            WHERE id = %s RETURNING id""",
                        batches_done, rows_done, last_row, fields.Datetime.now(), run_id,
                    )
                )

        return progress

    def _run_progress_sql(self, query):
        """Execute the query (returning an id) in a transaction of its own; the id, or None."""
        try:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '1s'")
                cr.execute(query, log_exceptions=False)
                row = cr.fetchone()
                return row and row[0]
        except psycopg2.Error as error:
            # a job created in the importing transaction (a script, a test) is not seen from another one
            log = _logger.debug if error.pgcode == psycopg2.errorcodes.FOREIGN_KEY_VIOLATION else _logger.info
            log("import %s: progress not recorded (%s)", self.name, error)
            return None

    def _write_batch(self, target, batch):
        """Write a batch under a savepoint; if the database refuses it, write each half
        of it the same way, down to single rows: a row the database refuses is rejected
        with the database's message, every other row is written. A refused row costs a
        few retries of ever smaller halves (about twice the logarithm of the batch size),
        not a retry of the whole batch row by row."""
        before = [row.target_id for row in batch]
        try:
            with self.env.cr.savepoint():
                target._write(self, batch)
            return
        except WRITE_ERRORS as error:
            for row, target_id in zip(batch, before, strict=True):
                row.target_id = target_id
            if len(batch) == 1:
                batch[0].reject(self.env._("Not imported: %(error)s", error=self._error_message(error)))
                return
            _logger.info("import %s: batch of %s rows refused (%s), retrying its halves", self.name, len(batch), error)
        half = (len(batch) + 1) // 2
        self._write_batch(target, batch[:half])
        self._write_batch(target, batch[half:])

    @api.model
    def _error_message(self, error):
        if isinstance(error, psycopg2.Error):
            text = error.diag.message_primary or error.pgerror or str(error)
            if error.diag.message_detail:
                text = f"{text} ({error.diag.message_detail})"
            return text
        if isinstance(error, UserError):
            return error.args[0] if error.args else str(error)
        return str(error)

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


class DistributionImportJobReject(models.Model):
    """A row of the file that was not imported, and why."""

    _name = "distribution.import.job.reject"
    _description = "Rejected Import Row"
    _order = "job_id, row"

    job_id = fields.Many2one("distribution.import.job", required=True, ondelete="cascade", index=True)
    row = fields.Integer(help="Row number in the file (the header is row 1).")
    reason = fields.Char()
    values = fields.Text(help="The cells of the row as read (JSON).")


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
