"""Anti-diversion (防窜货) unit codes: generated in batches, bound down the channel.

A code is 16 random Crockford base32 characters (80 bits from `secrets`) followed by one
check character, e.g. ``8264VXAJDZ2TGEGJ`` + ``1``. The check character makes the sum

    c_0 * a^0 + c_1 * a^1 + ... + c_16 * a^16 = 0

hold in the field GF(32) = GF(2)[x] / (x^5 + x^2 + 1), where c_k is the value (0..31) of the
k-th character counted from the right (the check character is c_0), a = x (a primitive element,
so a^0 .. a^30 are distinct and non-zero) and + is XOR. Hence every single wrong character and
every swap of two different adjacent characters (check character included) breaks the sum: both
change it by a non-zero product. The check needs no database: the JS twin in
``static/src/js/dms_code.js`` rejects a mistyped code offline, with the same test vectors.

Normalisation (`normalize_code`) upper-cases, drops blanks and dashes and maps the Crockford
aliases O -> 0 and I, L -> 1, so ``8264-vxaj-dz2t-gegj-1`` is the same code.
"""

import base64
import csv
import io
import logging
import re
import secrets
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.safe_io import spreadsheet_text

_logger = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
BODY_LENGTH = 16  # 80 random bits
CODE_LENGTH = BODY_LENGTH + 1
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_BLANKS = re.compile(r"[\s\-_.]+")
# codes of a previous system, imported as they are printed on the units in the field: no check character
LEGACY_CODE = re.compile(r"[0-9A-Z]{6,40}")
LEGACY_CODES_PARAM = "distribution_core.legacy_codes"
_RFC4648_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())
_GF_MODULUS = 0b100101  # x^5 + x^2 + 1

CHUNK_SIZE = 50000  # codes per INSERT and per committed step of the generation job
MAX_BATCH_QUANTITY = 10000000
MAX_CARTON_SIZE = 10000
MAX_LABELS = 1000  # labels per PDF sheet
MAX_LISTED_ERRORS = 20

CODE_KINDS = [("unit", "Unit"), ("carton", "Carton")]
CODE_STATES = [("new", "New"), ("bound", "Bound"), ("sold", "Sold")]
BATCH_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Generating"),
    ("done", "Done"),
    ("failed", "Failed"),
]


def _gf_mul(a, b):
    """Product of a and b in GF(32)."""
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _GF_MODULUS
    return result


_POWERS = [1]
for _k in range(CODE_LENGTH):
    _POWERS.append(_gf_mul(_POWERS[-1], 2))
# _WEIGHTED[k][v]: value v at position k (from the right) times a^k
_WEIGHTED = [[_gf_mul(value, _POWERS[k]) for value in range(32)] for k in range(CODE_LENGTH)]
# the check value is linear over GF(2) in the 80 random bits: bit j of the check character is
# the parity of (body bits & _CHECK_MASKS[j]); used to compute a million check characters fast
_CHECK_MASKS = [0] * 5
for _i in range(BODY_LENGTH):
    for _bit in range(5):
        _product = _WEIGHTED[BODY_LENGTH - _i][1 << _bit]
        for _j in range(5):
            if _product >> _j & 1:
                _CHECK_MASKS[_j] |= 1 << (5 * (BODY_LENGTH - 1 - _i) + _bit)


def normalize_code(text):
    """The canonical form of a typed or scanned code: upper case, without blanks or dashes,
    with the Crockford aliases (O = 0, I = L = 1) resolved. Also accepts the scan URL."""
    if not text:
        return ""
    text = text.strip()
    if "/" in text:  # a scanned QR label holds the scan URL: keep its last part
        text = text.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return _BLANKS.sub("", text).upper().translate(_ALIASES)


def check_character(body):
    """The check character of a normalized 16-character body."""
    total = 0
    for index, char in enumerate(body):
        total ^= _WEIGHTED[BODY_LENGTH - index][_VALUES[char]]
    return ALPHABET[total]


def is_well_formed(text):
    """Whether the normalized text has the length, the alphabet and the check character of a
    code (says nothing about whether the code exists)."""
    if not text or len(text) != CODE_LENGTH:
        return False
    total = 0
    for index, char in enumerate(text):
        value = _VALUES.get(char)
        if value is None:
            return False
        total ^= _WEIGHTED[CODE_LENGTH - 1 - index][value]
    return total == 0


def is_legacy_candidate(text):
    """Whether the normalized text may be a code imported from a previous system (letters and digits, 6 to
    40 of them, no check character). A text shaped like one of our codes (17 characters of our alphabet)
    is not: a typing error in one of ours must still be caught offline by its check character."""
    if not text or not LEGACY_CODE.fullmatch(text):
        return False
    return not (len(text) == CODE_LENGTH and all(char in _VALUES for char in text))


def format_code(code):
    """A code in groups of four for people to read: 8264-VXAJ-DZ2T-GEGJ-1."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def generate_codes(count):
    """`count` new random codes (with their check characters), from `secrets`."""
    raw = secrets.token_bytes(10 * count)
    text = base64.b32encode(raw).translate(_RFC4648_TO_CROCKFORD).decode()
    m0, m1, m2, m3, m4 = _CHECK_MASKS
    from_bytes = int.from_bytes
    codes = []
    append = codes.append
    for offset in range(count):
        bits = from_bytes(raw[10 * offset : 10 * offset + 10])
        check = (
            ((bits & m0).bit_count() & 1)
            | ((bits & m1).bit_count() & 1) << 1
            | ((bits & m2).bit_count() & 1) << 2
            | ((bits & m3).bit_count() & 1) << 3
            | ((bits & m4).bit_count() & 1) << 4
        )
        append(text[16 * offset : 16 * offset + 16] + ALPHABET[check])
    return codes


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
        self.env.ref("distribution_core.ir_cron_distribution_code_generate")._trigger()
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

    def action_view_codes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_core.distribution_code_action")
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"default_batch_id": self.id}
        return action


class DistributionCode(models.Model):
    """One unit (or carton) code: where it was delivered in the channel, and whether it was sold."""

    _name = "distribution.code"
    _description = "Anti-diversion Code"
    _order = "id desc"

    name = fields.Char(string="Code", required=True, readonly=True)
    kind = fields.Selection(CODE_KINDS, required=True, default="unit", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True, ondelete="restrict", index=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True, ondelete="restrict",
                             index="btree_not_null")
    batch_id = fields.Many2one("distribution.code.batch", readonly=True, ondelete="cascade", index=True)
    parent_id = fields.Many2one("distribution.code", string="Carton", readonly=True, ondelete="cascade",
                                index="btree_not_null")
    unit_ids = fields.One2many("distribution.code", "parent_id", string="Units")
    member_id = fields.Many2one(
        "distribution.member", string="Bound Member", readonly=True, ondelete="restrict", index="btree_not_null",
        help="The member the code was last delivered to (the deepest level so far).",
    )
    territory_id = fields.Many2one(
        "distribution.territory", string="Bound Territory", readonly=True, ondelete="restrict",
        index="btree_not_null",
    )
    level = fields.Integer(
        readonly=True, default=0, help="Depth in the channel of the member the code is bound to (0: not bound)."
    )
    state = fields.Selection(CODE_STATES, required=True, default="new", readonly=True)
    date_sold = fields.Datetime(readonly=True)
    binding_ids = fields.One2many("distribution.code.binding", "code_id", string="Bindings", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    display_code = fields.Char(string="Printed Code", compute="_compute_display_code")
    scan_url = fields.Char(compute="_compute_scan_url")

    _name_unique = models.Constraint("UNIQUE(name)", "This code already exists.")

    def _compute_display_code(self):
        for code in self:
            code.display_code = format_code(code.name or "")

    def _compute_scan_url(self):
        for code in self:
            code.scan_url = f"{code.get_base_url()}/dist/scan/{code.name}"

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "=ilike", "like", "=like") and isinstance(value, str) and value:
            # a code is searched by its normalized beginning, which the unique index serves
            return [("name", "=like", normalize_code(value) + "%")]
        return super()._search_display_name(operator, value)

    # ------------------------------------------------------------------
    # Labels
    # ------------------------------------------------------------------
    def _check_label_count(self):
        """A label sheet is refused beyond MAX_LABELS codes (a PDF of a million labels would exhaust
        the server; label printers take the CSV export instead)."""
        if len(self) > MAX_LABELS:
            raise UserError(
                self.env._(
                    "A label sheet holds at most %(max)s codes: select fewer codes, or export the batch "
                    "as CSV for a label printer.",
                    max=MAX_LABELS,
                )
            )

    def action_print_labels(self):
        if not self:
            raise UserError(self.env._("Select the codes to print."))
        self._check_label_count()
        return self.env.ref("distribution_core.action_report_distribution_code_label").report_action(self, config=False)  # basic layout: no company layout to set up

    @api.model
    def _accepts_legacy_codes(self):
        """Whether codes of a previous system (without our check character) were imported, so that a text
        that is not one of our codes may still be one of those (set by the data migration)."""
        return self.env["ir.config_parameter"].sudo().get_param(LEGACY_CODES_PARAM) == "1"

    # ------------------------------------------------------------------
    # Reading a list of codes (import for a delivery)
    # ------------------------------------------------------------------
    @api.model
    def _parse_code_lines(self, lines, products=None):
        """Codes (recordset, cartons expanded to their units) named by the given lines, and the
        list of errors, each naming its line. Lines may be CSV: the code is the first column.

        products: the products the codes may be of (None: any)."""
        errors = []
        wanted = {}  # normalized code -> first line number
        for number, line in enumerate(lines, start=1):
            text = re.split(r"[,;\t]", line, maxsplit=1)[0].strip().strip('"')
            if not text or (number == 1 and text.lower() == "code"):
                continue
            code = normalize_code(text)
            if not (is_well_formed(code) or (is_legacy_candidate(code) and self._accepts_legacy_codes())):
                errors.append(self.env._("Line %(line)s: %(text)s is not a valid code.", line=number, text=text[:40]))
                continue
            wanted.setdefault(code, number)
        codes = self.search([("name", "in", list(wanted))]) if wanted else self.browse()
        found = {code.name: code for code in codes}
        for text, number in wanted.items():
            code = found.get(text)
            if not code:
                errors.append(self.env._("Line %(line)s: %(code)s is unknown.", line=number, code=text))
            elif products is not None and code.product_id not in products:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(code)s is a code of %(product)s, which is not on this document.",
                        line=number, code=text, product=code.product_id.display_name,
                    )
                )
            elif code.state == "sold":
                errors.append(self.env._("Line %(line)s: %(code)s was already sold.", line=number, code=text))
        cartons = codes.filtered(lambda c: c.kind == "carton")
        if cartons:
            codes |= self.search([("parent_id", "in", cartons.ids)])
        return codes, errors

    # ------------------------------------------------------------------
    # Binding
    # ------------------------------------------------------------------
    def _binding_errors(self, member):
        """Why these codes cannot be bound to member, one message per code (set-based)."""
        if not self:
            return []
        path = member.sudo().parent_path
        level = path.count("/")
        self.env["distribution.code"].flush_model(["state", "level", "member_id"])
        self.env["distribution.member"].flush_model(["parent_path"])
        self.env.cr.execute(
            SQL(
                """
                SELECT c.name, c.state, c.level, c.member_id = %(member)s, h.id
                  FROM distribution_code c
             LEFT JOIN distribution_member h ON h.id = c.member_id
                 WHERE c.id = ANY(%(ids)s)
                   AND (c.state = 'sold'
                        OR c.level >= %(level)s
                        OR (h.id IS NOT NULL AND NOT %(path)s LIKE h.parent_path || '%%'))
              ORDER BY c.name
                """,
                member=member.id,
                ids=self.ids,
                level=level,
                path=path,
            )
        )
        holders = {}
        errors = []
        for name, state, code_level, same_member, holder_id in self.env.cr.fetchall():
            if state == "sold":
                errors.append(self.env._("%(code)s was already sold: it cannot be delivered again.", code=name))
                continue
            holder = holders.setdefault(holder_id, self.env["distribution.member"].sudo().browse(holder_id))
            if same_member:
                errors.append(
                    self.env._("%(code)s is already bound to %(member)s.", code=name, member=holder.display_name)
                )
            elif code_level >= level:
                errors.append(
                    self.env._(
                        "%(code)s is already bound at level %(level)s (to %(holder)s): it can be bound once per "
                        "level and only further down the channel.",
                        code=name, level=code_level, holder=holder.display_name,
                    )
                )
            else:
                errors.append(
                    self.env._(
                        "%(code)s is bound to %(holder)s: it can only be bound to a member below it, "
                        "not to %(member)s.",
                        code=name, holder=holder.display_name, member=member.display_name,
                    )
                )
        return errors

    @api.model
    def _raise_errors(self, errors, title):
        if not errors:
            return
        shown = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            shown.append(self.env._("… and %(count)s more.", count=len(errors) - MAX_LISTED_ERRORS))
        raise UserError("\n".join([title, *shown]))

    @api.model
    def _scan(self, text, scan_type, territory=None, member=None, pos_config=None, latitude=None, longitude=None,
              ip_address=None):
        """Check a scanned code and record the scan (see distribution.code.scan._record_scan): the
        answer is safe to show to the scanner; outside the bound territory it opens an incident."""
        return self.env["distribution.code.scan"]._record_scan(
            text, scan_type, territory=territory, member=member, pos_config=pos_config, latitude=latitude,
            longitude=longitude, ip_address=ip_address,
        )

    def _bind(self, member, picking=None, channel_order=None):
        """Bind the codes to member (its territory, its depth in the channel) for the delivery or
        the channel order: one binding row per code and one UPDATE, or a UserError naming every
        code that cannot be bound."""
        if not self:
            return
        member = member.sudo()
        self._raise_errors(
            self._binding_errors(member),
            self.env._("These codes cannot be bound to %(member)s:", member=member.display_name),
        )
        level = member.parent_path.count("/")
        territory = member.territory_id.id or None
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO distribution_code_binding (code_id, member_id, territory_id, level, picking_id,
                                                       channel_order_id, date, company_id, create_uid,
                                                       create_date, write_uid, write_date)
                SELECT c.id, %(member)s, %(territory)s, %(level)s, %(picking)s, %(order)s,
                       now() AT TIME ZONE 'UTC', c.company_id, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       now() AT TIME ZONE 'UTC'
                  FROM distribution_code c
                 WHERE c.id = ANY(%(ids)s)
                """,
                member=member.id,
                territory=territory,
                level=level,
                picking=picking.id if picking else None,
                order=channel_order.id if channel_order else None,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE distribution_code
                   SET member_id = %(member)s, territory_id = %(territory)s, level = %(level)s,
                       state = 'bound', write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                 WHERE id = ANY(%(ids)s)
                """,
                member=member.id,
                territory=territory,
                level=level,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        self.invalidate_recordset(["member_id", "territory_id", "level", "state", "binding_ids"])
        self.env["distribution.code.binding"].invalidate_model()

    def action_view_bindings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bindings of %(code)s", code=self.name),
            "res_model": "distribution.code.binding",
            "view_mode": "list",
            "domain": [("code_id", "=", self.id)],
        }


class DistributionCodeBinding(models.Model):
    """A code delivered to a member: one row per level of the channel it went through."""

    _name = "distribution.code.binding"
    _description = "Code Binding"
    _order = "code_id, level"
    _rec_name = "code_id"

    code_id = fields.Many2one("distribution.code", required=True, readonly=True, ondelete="cascade", index=True)
    member_id = fields.Many2one("distribution.member", required=True, readonly=True, ondelete="restrict", index=True)
    territory_id = fields.Many2one("distribution.territory", readonly=True, ondelete="restrict")
    level = fields.Integer(readonly=True, required=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True, ondelete="set null",
                                 index="btree_not_null")
    channel_order_id = fields.Many2one("distribution.channel.order", readonly=True, ondelete="set null",
                                       index="btree_not_null")
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)

    _code_level_unique = models.Constraint("UNIQUE(code_id, level)", "A code can be bound once per level.")


class DistributionCodeHolder(models.AbstractModel):
    """A document that carries unit codes to bind (a delivery, a channel order): the codes'
    count, the import wizard and the list of its codes. The document declares `dist_code_ids`
    and the hooks `_dms_code_products`, `_dms_code_member`, `_dms_code_quantities` and
    `_dms_check_code_editable` used by the import wizard."""

    _name = "distribution.code.holder"
    _description = "Document with Unit Codes"

    # each document redeclares it with its own relation table
    dist_code_ids = fields.Many2many("distribution.code", string="Unit Codes")
    dist_code_count = fields.Integer(
        string="Codes", compute="_compute_dist_code_count", groups="distribution_core.group_channel_user"
    )

    @api.depends("dist_code_ids")
    def _compute_dist_code_count(self):
        for document in self:
            document.dist_code_count = len(document.dist_code_ids)

    def action_import_codes(self):
        self.ensure_one()
        return self.env["distribution.code.import"]._open_for(self)

    def action_view_codes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_core.distribution_code_action")
        action["domain"] = [("id", "in", self.dist_code_ids.ids)]
        action["context"] = {"create": False}
        return action


class DistributionChannelOrder(models.Model):
    """Codes shipped with a channel order are bound to the buyer when the supplier ships."""

    _name = "distribution.channel.order"
    _inherit = ["distribution.channel.order", "distribution.code.holder"]

    dist_code_ids = fields.Many2many(
        "distribution.code", "distribution_channel_order_code_rel", "order_id", "code_id", string="Unit Codes",
        copy=False, groups="distribution_core.group_channel_user",
    )

    def _dms_code_products(self):
        return self.line_ids.product_id

    def _dms_code_member(self):
        return self.buyer_member_id

    def _dms_code_quantities(self):
        quantities = {}
        for line in self.line_ids:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.product_uom_qty
        return quantities

    def _dms_check_code_editable(self):
        if self.state not in ("draft", "submitted", "approved"):
            raise UserError(self.env._("Codes can be added to %(name)s until it is shipped.", name=self.name))

    def action_ship(self):
        res = super().action_ship()
        for order in self.sudo():  # sudo: the supplier binds what it ships, whatever its rights on codes
            order.dist_code_ids._bind(order.buyer_member_id, channel_order=order)
        return res


class ReportDistributionCodeLabel(models.AbstractModel):
    """The QR label sheet, refused beyond MAX_LABELS codes (a PDF of a million labels would
    exhaust the server; label printers take the CSV export instead)."""

    _name = "report.distribution_core.report_distribution_code_label"
    _description = "Code Label Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        codes = self.env["distribution.code"].browse(docids)
        codes._check_label_count()
        return {"doc_ids": codes.ids, "doc_model": "distribution.code", "docs": codes}
