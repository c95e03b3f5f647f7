"""The pipeline of an import job, apart from its states, buttons and results
(distribution_import_job.py): read the file, map its columns, clean every cell, fold the
duplicates of the file, let the target resolve and match the rows, write them in batches."""

import base64
import functools
import logging

import psycopg2
import psycopg2.errorcodes

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context, split_every

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
from ..tools.rows import ACTIONS, ImportRow

_logger = logging.getLogger(__name__)

#: distinct cells of a column whose cleaned value is kept during a run
CLEAN_CACHE_SIZE = 10_000
_UNCLEANED = object()

#: errors of one batch that make the job retry it in halves, down to the refused rows
WRITE_ERRORS = (psycopg2.Error, UserError, ValueError)


class DistributionImportJob(models.Model):
    _inherit = "distribution.import.job"

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
