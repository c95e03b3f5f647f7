import csv
import io
import logging
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.distribution_core.tools.safe_io import spreadsheet_text

from ..tools import demo_history
from ..tools.unit_codes import generate_codes
from .distribution_code import MAX_LABELS

_logger = logging.getLogger(__name__)

CHUNK_SIZE = 50000  # codes per INSERT and per committed step of the generation job
MAX_BATCH_QUANTITY = 10000000
MAX_CARTON_SIZE = 10000

BATCH_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Generating"),
    ("done", "Done"),
    ("failed", "Failed"),
]


class DistributionCodeBatch(models.Model):
    """A batch of unit codes for one product (and lot), generated in the background."""

    _name = "distribution.code.batch"
    _description = "Code Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index=True)
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="restrict", index=True, tracking=True,
        domain=[("type", "=", "consu")],
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", ondelete="restrict", domain="[('product_id', '=', product_id)]",
        tracking=True,
    )
    quantity = fields.Integer(string="Unit Codes", required=True, default=1000, tracking=True)
    carton_size = fields.Integer(
        string="Units per Carton", default=0, tracking=True,
        help="Every this many unit codes get a carton code that contains them. 0: no carton codes.",
    )
    state = fields.Selection(BATCH_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    generated_count = fields.Integer(string="Unit Codes Generated", readonly=True, copy=False)
    carton_count = fields.Integer(string="Carton Codes", readonly=True, copy=False)
    code_count = fields.Integer(
        string="Codes", compute="_compute_code_count", store=True, help="Unit and carton codes generated so far."
    )
    progress = fields.Float(compute="_compute_progress", store=True, digits=(5, 1), help="Percentage generated.")
    duration = fields.Float(string="Generation Time (s)", readonly=True, copy=False, digits=(16, 1))
    error = fields.Text(readonly=True, copy=False)
    date_done = fields.Datetime(string="Generated On", readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    _quantity_range = models.Constraint(
        f"CHECK(quantity > 0 AND quantity <= {MAX_BATCH_QUANTITY})",
        f"A batch holds from 1 to {MAX_BATCH_QUANTITY:,} unit codes.",
    )
    _carton_range = models.Constraint(
        f"CHECK(carton_size >= 0 AND carton_size <= {MAX_CARTON_SIZE})",
        f"A carton holds at most {MAX_CARTON_SIZE:,} units (0: no cartons).",
    )

    @api.depends("generated_count", "carton_count")
    def _compute_code_count(self):
        for batch in self:
            batch.code_count = batch.generated_count + batch.carton_count

    @api.depends("generated_count", "quantity")
    def _compute_progress(self):
        for batch in self:
            batch.progress = min(100.0, 100.0 * batch.generated_count / batch.quantity) if batch.quantity else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("distribution.code.batch") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if {"product_id", "lot_id", "quantity", "carton_size", "company_id"} & set(vals) and self.filtered(
            lambda b: b.state != "draft"
        ):
            raise UserError(self.env._("Only draft code batches can be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_generated(self):
        for batch in self:
            if batch.generated_count or batch.state in ("queued", "running"):
                raise UserError(
                    self.env._("%(batch)s has generated codes: it cannot be deleted.", batch=batch.name)
                )

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def action_generate(self):
        """Queue the batches; the generation job starts at once in the background."""
        for batch in self:
            if batch.state not in ("draft", "failed"):
                raise UserError(
                    self.env._("%(batch)s is already generated or being generated.", batch=batch.name)
                )
        self.write({"state": "queued", "error": False})
        self.env.ref("distribution_diversion.ir_cron_distribution_code_generate")._trigger()
        return True

    @api.model
    def _cron_generate(self, chunk_size=CHUNK_SIZE):
        """Generate the queued batches, one committed chunk at a time, reporting progress to the
        cron so that a long batch continues in the next run when this one runs out of time."""
        cron = self.env["ir.cron"]
        # sudo: the job generates the batches of every company, whatever the cron user's companies
        batches = self.sudo().search([("state", "in", ("queued", "running"))], order="id")
        remaining = sum(b.quantity - b.generated_count for b in batches)
        cron._commit_progress(remaining=remaining)
        for batch in batches:
            if batch.state == "queued":
                batch.state = "running"
            while batch.generated_count < batch.quantity:
                started = time.monotonic()
                try:
                    done = batch._generate_chunk(chunk_size)
                except Exception as error:  # recorded on the batch, shown to the user
                    _logger.exception("Generation of code batch %s failed", batch.name)
                    self.env.cr.rollback()
                    remaining -= batch.quantity - batch.generated_count
                    batch.write({"state": "failed", "error": str(error)})
                    cron._commit_progress(remaining=remaining)
                    break
                remaining -= done
                batch.duration += time.monotonic() - started
                if batch.generated_count >= batch.quantity:
                    batch.write({"state": "done", "date_done": fields.Datetime.now()})
                if not cron._commit_progress(done):
                    return  # out of time: the cron runs again at once for the rest

    def _generate_chunk(self, chunk_size):
        """Insert the next chunk of unit codes (and their cartons) with one INSERT each; returns
        the number of unit codes added. Chunks hold whole cartons so that a resumed batch goes on
        with a new carton."""
        self.ensure_one()
        if self.carton_size:
            chunk_size = max(chunk_size // self.carton_size, 1) * self.carton_size
        count = min(chunk_size, self.quantity - self.generated_count)
        parents = [None] * count
        cartons = 0
        if self.carton_size:
            cartons = -(-count // self.carton_size)
            carton_ids = self._insert_codes("carton", [None] * cartons)
            parents = [carton_ids[index // self.carton_size] for index in range(count)]
        self._insert_codes("unit", parents)
        self.write({"generated_count": self.generated_count + count, "carton_count": self.carton_count + cartons})
        return count

    def _insert_codes(self, kind, parents):
        """Insert len(parents) new codes of the batch (the i-th in carton parents[i]) with one
        INSERT ... SELECT FROM unnest(); a code already taken is drawn again. Returns the ids of
        carton codes in that order (unit codes: None, not read back: the row count tells whether
        they all went in).

        create_uid / write_uid stay empty on purpose: the batch records who generated it, and
        each foreign key checked costs a lookup per row (about a third of the insert time)."""
        self.ensure_one()
        ids = [None] * len(parents)
        todo = list(range(len(parents)))
        returning = kind == "carton"
        for _attempt in range(10):
            codes = generate_codes(len(todo))
            position = dict(zip(codes, todo, strict=True))
            params = {
                "kind": kind,
                "product": self.product_id.id,
                "lot": self.lot_id.id or None,
                "batch": self.id,
                "company": self.company_id.id,
                "codes": list(position),
                "parents": [parents[index] for index in position.values()],
            }
            insert = SQL(
                """
                INSERT INTO distribution_code (name, kind, product_id, lot_id, batch_id, parent_id, level, state,
                                               company_id, create_date, write_date)
                SELECT code, %(kind)s, %(product)s, %(lot)s, %(batch)s, parent, 0, 'new', %(company)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM unnest(%(codes)s::varchar[], %(parents)s::int[]) AS new(code, parent)
                    ON CONFLICT (name) DO NOTHING
                """,
                **params,
            )
            if returning:
                self.env.cr.execute(SQL("%s RETURNING id, name", insert))
                for code_id, code in self.env.cr.fetchall():
                    ids[position.pop(code)] = code_id
            else:
                with self.env.cr.savepoint(flush=False) as savepoint:
                    self.env.cr.execute(insert)
                    if self.env.cr.rowcount == len(position):
                        position = {}
                    else:  # some code was taken (once in billions): insert again, reading what went in
                        savepoint.rollback()
                        self.env.cr.execute(SQL("%s RETURNING name", insert))
                        for (code,) in self.env.cr.fetchall():
                            position.pop(code)
            todo = list(position.values())  # drawn twice, or taken by an earlier code: draw again
            if not todo:
                return ids
            _logger.info("Code batch %s: %s code(s) drawn again", self.name, len(todo))
        raise UserError(self.env._("Could not draw unique codes: is the random source working?"))

    # ------------------------------------------------------------------
    # Exports
    # ------------------------------------------------------------------
    def _check_generated(self):
        for batch in self:
            if batch.state != "done":
                raise UserError(self.env._("%(batch)s is not generated yet.", batch=batch.name))

    def _csv_content(self, page_size=100000):
        """The CSV of the batch's codes (code, kind, carton, product, lot, scan URL), read page by
        page in id order."""
        self.ensure_one()
        base_url = self.get_base_url()
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["code", "kind", "carton", "product", "lot", "url"])
        # names typed by users: written as text, never as a formula (codes and URLs are ours)
        product = spreadsheet_text(self.product_id.default_code or self.product_id.display_name)
        lot = spreadsheet_text(self.lot_id.name or "")
        last_id = 0
        while True:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT c.id, c.name, c.kind, p.name
                      FROM distribution_code c
                 LEFT JOIN distribution_code p ON p.id = c.parent_id
                     WHERE c.batch_id = %s AND c.id > %s
                  ORDER BY c.id
                     LIMIT %s
                    """,
                    self.id,
                    last_id,
                    page_size,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            writer.writerows(
                (name, kind, carton or "", product, lot, f"{base_url}/dist/scan/{name}")
                for _id, name, kind, carton in rows
            )
            last_id = rows[-1][0]
        return output.getvalue().encode()

    def action_export_csv(self):
        """The codes as a CSV file for label printers, attached to the batch and downloaded."""
        self.ensure_one()
        self._check_generated()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.csv",
                "raw": self._csv_content(),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def action_print_labels(self):
        self.ensure_one()
        self._check_generated()
        codes = self.env["distribution.code"].search([("batch_id", "=", self.id)], limit=MAX_LABELS + 1)
        return codes.action_print_labels()

    @api.model
    def _demo_build_history(self, batch_ids):
        """Demo data only (demo/distribution_diversion_history.xml): deliver, scan and open the
        incidents of the demo batches' codes, dated relative to today (tools/demo_history.py)."""
        return demo_history.build(self.env, batch_ids)

    def action_view_codes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_diversion.distribution_code_action")
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"default_batch_id": self.id}
        return action
