import datetime
import io
import itertools
import json
import operator
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import psycopg2.sql

from odoo import api, fields, models
from odoo.orm.registry import TriggerTree
from odoo.tools import SQL

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value if value.isprintable() and "\\" not in value else value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value).translate(_COPY_ESCAPES)
    if isinstance(value, psycopg2.extras.Json):
        return json.dumps(value.adapted).translate(_COPY_ESCAPES)
    return str(value)


class DistributionImportTarget(models.AbstractModel):
    """What an import writes to: one AbstractModel per target, named
    ``distribution.import.target.<target>``, inherits this one and implements the
    hooks below. The job (``distribution.import.job``) reads and cleans the file,
    folds duplicates of the file and then calls, in this order:

    1. ``_resolve(job, rows)`` with the rows that are still live (no error, not
       folded into another row);
    2. ``_match(job, rows)`` with the rows still without error after that;
    3. on the real run only: ``_order_for_write``, ``_before_write``, then
       ``_write(job, batch)`` per batch of ``job._import_batch_size`` rows whose
       action is "create", "update" or "merge" (into an existing record), then
       ``_after_write``.

    Every hook is set-based: one query per batch (or per file), never a search per
    row. A hook reports a problem with a row by appending a translated reason to
    ``row.errors`` (or calling ``row.reject(reason)``); the row is then rejected and
    written to the rejected rows file. Rows are :class:`..tools.rows.ImportRow`.
    """

    _name = "distribution.import.target"
    _description = "Import Target"

    #: {model: stored computed fields} that stay empty on the records the target
    #: inserts with :meth:`_bulk_insert`, so that the ORM does not compute them
    _insert_empty_computes = {}

    #: models the target creates or writes; the job checks the user's create and
    #: write rights on them before a real run (a target writing with SQL must
    #: list every model it writes)
    _target_models = ()

    @api.model
    def _check_access(self, job):
        """Raise AccessError unless the current user may create and write the
        records of this target: a target writing with SQL must never bypass the
        access rights of the user running the import."""
        for model in self._target_models:
            self.env[model].check_access("create")
            self.env[model].check_access("write")

    @api.model
    def _secondary_keys(self):
        """Field keys besides the import key that identify a record, e.g.
        ("vat", "phone") for members, ("barcode",) for products: two rows of the
        file sharing one are duplicates, and (per the profile's database policy)
        a new row sharing one with an existing record merges into it."""
        return ()

    @api.model
    def _code_rules(self, job, field, rules):
        """The :class:`..tools.cleaning.CodeRules` cleaning the cells of this code field: by
        default the profile's ``rules``; a target whose records store codes in one case of
        their own returns rules in that case, so that nothing is written that its model would
        have normalised otherwise."""
        return rules

    @api.model
    def _resolve(self, job, rows):
        """Resolve the references of the rows (tier, parent, territory, product,
        member ... by code or name) in bulk, storing the ids in ``row.refs``;
        append a translated reason to ``row.errors`` when a reference is unknown
        or invalid."""
        raise NotImplementedError()

    @api.model
    def _match(self, job, rows):
        """Find the existing records of the rows in bulk. Set ``row.action`` and
        ``row.target_id`` on every row:

        - same normalised key in the database: "update", or "unchanged" when no
          field would change (nothing is written then);
        - new key but, if the target has secondary keys and the profile's
          ``dup_db_policy`` is "merge", exactly one record with the same secondary
          key: "merge" with that record's id ("reject" policy or several
          matches: reject the row);
        - otherwise "create" (``target_id`` None).

        Set ``row.message`` to say what will happen (shown in the preview)."""
        raise NotImplementedError()

    @api.model
    def _write(self, job, rows):
        """Write one batch of rows (actions "create", "update", "merge") and set
        ``row.target_id`` of the created records. Must be idempotent, keyed by the
        normalised key. May use the ORM in batch (``create(vals_list)``) or
        parameterised SQL when the ORM is too slow; SQL must then do what the ORM
        would (parent_path, stored computed fields, caches). Raise on a database
        error: the job rolls the batch back and retries it in halves, rejecting
        the rows that fail with the database's message."""
        raise NotImplementedError()

    @api.model
    def _order_for_write(self, job, rows):
        """The rows to write in the order to write them (e.g. parents before their
        children); by default the order of the file."""
        return rows

    @api.model
    def _before_write(self, job, rows):
        """Called once before the first batch with all the rows to write."""

    @api.model
    def _after_write(self, job, rows):
        """Called once after the last batch with the rows written (not rejected),
        e.g. to post one accounting entry for the whole run."""

    # ------------------------------------------------------------------
    # Helpers for targets
    # ------------------------------------------------------------------
    @api.model
    def _bulk_insert(self, model_name, vals_list, ids=None, skip_constraints=()):
        """Create records in bulk and return them: the rows are loaded with COPY into a
        temporary table (values escaped by :func:`_copy_text`, never interpolated into
        SQL) and inserted with one ``INSERT ... SELECT``; then is done what the ORM's
        own low-level create does:

        - default values of the fields not given (``default_get``, once per call);
        - log access columns (create/write uid and date);
        - stored computed fields of the new records, and the fields of other records
          depending on them (e.g. a territory's member count), are marked to compute
          and computed by the ORM on the next flush, except the computed fields given
          in the values (protected, as in ``create``), computed attachments whose
          sources are not given (they stay empty) and the fields the target lists in
          ``_insert_empty_computes`` (known to stay empty for what it inserts);
        - ``parent_path`` of a ``_parent_store`` model must be given (with ``ids``
          reserved by the caller, see :meth:`_reserve_ids`), computed from the
          parents' paths;
        - Python constraints of the fields given, except those listed in
          ``skip_constraints`` (which the caller checked set-based beforehand), and
          the record rules for create.

        What it does NOT do: the model's ``create()`` overrides, chatter messages
        and followers (as with mail_create_nolog / mail_create_nosubscribe /
        tracking_disable). Callers must replicate the side effects they need.

        ``vals_list``: dicts with the same keys, values already in column form
        (ids, not records; no translated fields). ``ids``: ids reserved with
        :meth:`_reserve_ids`, or None to let the database number them.
        """
        if not vals_list:
            return self.env[model_name]
        if ids is None:
            ids = self._reserve_ids(model_name, len(vals_list))
        return self._bulk_insert_many([(model_name, vals_list, ids, skip_constraints)])[0]

    @api.model
    def _bulk_insert_many(self, groups):
        """:meth:`_bulk_insert` of several groups ``(model name, vals_list, reserved ids,
        skip_constraints)`` in ONE statement (data-modifying WITH clauses): foreign keys
        are checked at the end of the statement, so the rows of the groups may refer to
        each other whatever the order (e.g. a partner's member and the member's partner).
        Returns the records of each group.

        Measured for channel members (a company, a contact and a member each, see the
        member target): COPY + INSERT ... SELECT is about twice as fast as a multi-row
        INSERT ... VALUES, and the whole real run about a hundred times faster than with
        the ORM's create and its overrides (1,800 against 18 rows/s on 5,000 rows)."""
        specs = [(model_name, skip_constraints) for model_name, _vals, _ids, skip_constraints in groups]
        return self._bulk_insert_chunks(specs, iter([[(vals_list, ids) for _m, vals_list, ids, _s in groups]]))

    @api.model
    def _bulk_insert_chunks(self, specs, chunks):
        """:meth:`_bulk_insert_many` of the groups ``specs`` (``(model name, skip_constraints)``)
        in chunks: ``chunks`` yields, per chunk, ``(vals_list, reserved ids)`` of each group, and
        each chunk is inserted in one statement. The database inserts a chunk in a second
        thread, on its own cursor of the same connection (the same transaction and savepoint),
        while this thread advances ``chunks`` and prepares the next one: the Python work of
        building the values and the COPY text then overlaps the database's (foreign-key
        checks, indexes). The generator must not use the database; if it did, its query would
        only wait for the insert. Each chunk's statement is awaited before the next one
        starts, and before this method returns or raises, so a refused chunk raises here,
        inside the caller's savepoint. Returns the records of each group."""
        cr = self.env.cr
        now = cr.now()
        log = {"create_uid": self.env.uid, "create_date": now, "write_uid": self.env.uid, "write_date": now}
        groups = [
            {"model": self.env[model_name], "skip": skip_constraints, "index": index, "ids": [], "vals": []}
            for index, (model_name, skip_constraints) in enumerate(specs)
        ]

        def insert(query):  # in the second thread: nothing but the database
            with cr.connection.cursor() as cursor:
                cursor.execute(query.code, query.params)

        pending = None
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="distribution_import")
        try:
            for chunk in chunks:  # (the generator runs here, while `pending` inserts the previous chunk)
                staged = []
                for group, (vals_list, ids) in zip(groups, chunk, strict=True):
                    if not vals_list:
                        continue
                    if "columns" not in group:
                        self._bulk_insert_setup(group, list(vals_list[0]), log)
                    getter = group["getter"]
                    buffer = self._copy_buffer(
                        ((id_, *getter(vals)) for id_, vals in zip(ids, vals_list, strict=True)), group["constants"]
                    )
                    staged.append((group, buffer))
                    group["ids"].extend(ids)
                    group["vals"].append(vals_list)
                if pending is not None:
                    pending, previous = None, pending
                    previous.result()
                if not staged:
                    continue
                for group, buffer in staged:
                    if group.get("staged"):
                        cr.execute(SQL("TRUNCATE %s", SQL.identifier(group["temp"])))
                    else:
                        self._bulk_insert_temp_table(group)
                    self._copy_into(group["temp"], group["columns"], buffer)
                    group["staged"] = True
                inserts = [group["insert"] for group, _buffer in staged]
                query = inserts[0] if len(inserts) == 1 else SQL(
                    "WITH %s SELECT 1",
                    SQL(", ").join(SQL("%s AS (%s)", SQL.identifier(f"insert_{i}"), q) for i, q in enumerate(inserts)),
                )
                pending = executor.submit(insert, query)  # a refused chunk is retried in halves and reported
        finally:
            try:
                if pending is not None:
                    pending.result()
            finally:
                executor.shutdown()
        for group in groups:
            if group.get("staged"):
                cr.execute(SQL("DROP TABLE %s", SQL.identifier(group["temp"])))
        prepared, cached = [], []
        for group in groups:
            records = group["model"].browse(group["ids"])
            prepared.append((records, group.get("names", []), group["skip"]))
            if records:
                cached.append((records, group["given"], [vals for part in group["vals"] for vals in part]))
        # the many2one values inserted go into the cache, as create() puts its values there: the
        # triggers of computed fields below follow them without reading them back
        for records, given, vals_list in cached:
            for name in given:
                field = records._fields[name]
                if field.type == "many2one" and not field.company_dependent:  # those are given as JSON
                    field._insert_cache(records, [vals[name] or None for vals in vals_list])
        # the computed fields given (or known to stay empty) are protected on the records of every
        # group at once: a member inserted with its partner must not recompute the partner's fields
        protections = []
        for records, names, _skip in prepared:
            if records:
                protections.append((self._insert_protected_fields(records._name, tuple(names)), records))
        inserted = defaultdict(set)  # {model name: ids inserted by this call}
        for records, _names, _skip in prepared:
            inserted[records._name].update(records._ids)
        with self.env.protecting(protections):
            for records, names, _skip in prepared:
                if not records:
                    continue
                # the new records' own stored computed fields, as create marks them ...
                for field in records._fields.values():
                    if field.store and field.compute:
                        todo = records - self.env.protected(field)
                        if todo:
                            self.env.add_to_compute(field, todo)
                # ... and the fields of other records depending on the values inserted
                self._inserted_modified(records, names, inserted)
        for records, names, skip_constraints in prepared:
            if records:
                records._validate_fields(names, excluded_names=skip_constraints)
                records.check_access("create")
        return [records for records, _names, _skip in prepared]

    @api.model
    def _inserted_modified(self, records, names, inserted):
        """``records.modified(names, create=True)`` for records inserted with others in one
        call (``inserted``: {model name: ids}), without what ``modified`` would look for in
        vain: no record but those of the call refers to them, and every stored computed
        field of those is already marked (or protected). ``modified`` follows a
        dependency from the new records to the records they refer to and on from there
        (e.g. from a new contact to its new company, then to the sale orders, invoices and
        partners of that company: one search each, on every batch); here the records
        reached are followed on only if they existed before. Non-stored computed fields
        of the new records have nothing in cache to invalidate but the values inserted."""
        env = self.env

        def select(field):
            return (field.compute and field.store) or bool(field._get_all_cache_ids(env))

        def triggers(new, tree):
            for field in tree.root:
                yield field, new, True
            for field, subtree in tree.items():
                # a many2one or many2many of another record can refer to new records only if that
                # record was inserted with them: all its stored computed fields are marked already
                if field.type != "one2many":
                    continue
                inverse = new._fields[field.inverse_name]
                if inverse.type != "many2one":  # (a many2one_reference) as modified does
                    yield from new._modified_triggers(TriggerTree((), {field: subtree}), True)
                    continue
                reached = new[inverse.name]  # the values inserted, in cache
                reached = reached.browse(id_ for id_ in reached._ids if id_ not in inserted[reached._name])
                yield from reached._modified_triggers(subtree)

        tree = self.pool.get_trigger_tree([records._fields[name] for name in names], select=select)
        if not tree:
            return
        tocompute = env.transaction.tocompute
        todo = [triggers(records.sudo().with_context(active_test=False), tree)]
        # as modified (called after the modification) processes what it triggers
        for field, recs, create in itertools.chain.from_iterable(todo):
            recs -= env.protected(field)
            if not recs:
                continue
            if field.recursive:
                if field.compute and field.store:
                    ids = tocompute.get(field) or set()
                    recs = recs.browse(id_ for id_ in recs._ids if id_ not in ids)
                else:
                    ids_in_cache = field._get_all_cache_ids(env)
                    recs = recs.browse(id_ for id_ in recs._ids if id_ in ids_in_cache)
                if not recs:
                    continue
                if create:
                    subtree = self.pool.get_trigger_tree([field], select=select)
                    if subtree:
                        todo.append(triggers(recs, subtree))
                else:
                    todo.append(recs._modified([field], create))
            if field.compute and field.store:
                tocompute[field].update(recs._ids)
            else:
                field._invalidate_cache(env, recs._ids)

    @api.model
    def _bulk_insert_setup(self, group, given, log):
        """The columns, constants (defaults, log fields) and INSERT of a group of
        :meth:`_bulk_insert_chunks`, from the keys of its first values."""
        Model = group["model"]
        defaults = {
            name: Model._fields[name].convert_to_column_insert(value, Model)
            for name, value in self._insert_defaults(Model._name, given).items()
        }
        logged = [name for name in log if name not in given and name not in defaults]
        columns = ["id", *given, *defaults, *logged]
        temp = f"distribution_import_{group['index']}"
        group.update(
            given=given,
            names=[*given, *defaults],
            columns=columns,
            constants=[*defaults.values(), *(log[name] for name in logged)],
            getter=operator.itemgetter(*given) if len(given) > 1 else (lambda vals, name=given[0]: (vals[name],)),
            temp=temp,
            insert=SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL.identifier(temp),
            ),
        )

    @api.model
    def _bulk_insert_temp_table(self, group):
        """The temporary table a group's rows are copied into, made at the group's first chunk;
        the cached foreign-key plans are discarded then (see below)."""
        cr = self.env.cr
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(group["temp"])))  # left by a failed call
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA",
                SQL.identifier(group["temp"]),
                SQL(", ").join(SQL.identifier(name) for name in group["columns"]),
                SQL.identifier(group["model"]._table),
            ),
            log_exceptions=False,
        )
        # Foreign keys are checked by PostgreSQL with plans it prepares once per session: planned
        # while a table was small (e.g. the first rows of an import into a new database), a check
        # would scan the whole table for every row inserted later, each batch slower than the one
        # before. Discarding the cached plans makes them fit the table's current size.
        cr.execute(SQL("DISCARD PLANS"))

    @api.model
    def _insert_protected_fields(self, model_name, names):
        """The computed fields not to compute on records inserted with these fields given."""
        Model = self.env[model_name]
        protected = set()
        for name in names:
            protected.update(self.pool.field_computed.get(Model._fields[name], [Model._fields[name]]))
        # computed attachments (e.g. the image sizes of an image) of sources not given stay empty:
        # computing them would only search attachments record by record
        protected.update(
            field for field in Model._fields.values()
            if field.store and field.compute and not field.column_type
            and not any(dep.split(".")[0] in names for dep in self.pool.field_depends[field])
        )
        protected.update(
            Model._fields[name] for name in self._insert_empty_computes.get(model_name, ()) if name in Model._fields
        )
        return protected

    @api.model
    def _copy_buffer(self, rows, constants=()):
        """The rows (tuples of column values, followed by the same ``constants`` on every
        row) in COPY's text format, the values escaped (pure Python: no database)."""
        escapes = _COPY_ESCAPES
        suffix = "".join("\t" + _copy_text(value) for value in constants)
        lines = [
            "\t".join([
                (value if value.isprintable() and "\\" not in value else value.translate(escapes))
                if value.__class__ is str
                else "\\N" if value is None
                else str(value) if value.__class__ is int
                else _copy_text(value)
                for value in row
            ]) + suffix
            for row in rows
        ]
        return "\n".join(lines) + "\n" if lines else ""

    @api.model
    def _copy_into(self, table, columns, text):
        """COPY a text made by :meth:`_copy_buffer` into the table's columns."""
        statement = psycopg2.sql.SQL("COPY {} ({}) FROM STDIN").format(
            psycopg2.sql.Identifier(table), psycopg2.sql.SQL(", ").join(map(psycopg2.sql.Identifier, columns))
        )
        # as ir.model.data does for its COPY: no asynchronous wait callback during COPY
        callback = psycopg2.extensions.get_wait_callback()
        psycopg2.extensions.set_wait_callback(None)
        try:
            self.env.cr.copy_expert(statement, io.StringIO(text))
        finally:
            psycopg2.extensions.set_wait_callback(callback)

    @api.model
    def _reserve_ids(self, model_name, count):
        """``count`` new ids from the model's sequence, for a :meth:`_bulk_insert`
        whose rows must know their ids beforehand (parent_path, cross references)."""
        if not count:
            return []
        table = self.env[model_name]._table
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"{table}_id_seq", count)
        )
        return [id_ for (id_,) in self.env.cr.fetchall()]

    @api.model
    def _insert_defaults(self, model_name, given):
        """{field: default} for the stored column fields not in ``given``, as create
        would fill them (company-dependent fields excluded: their fallback applies)."""
        Model = self.env[model_name]
        names = [
            name for name, field in Model._fields.items()
            if field.store and field.column_type and name not in given and not field.company_dependent
            and name not in ("id", "create_uid", "create_date", "write_uid", "write_date")
        ]
        return {name: value for name, value in Model.default_get(names).items() if value is not None}

    @api.model
    def _today(self):
        return fields.Date.context_today(self)
