"""Anti-diversion (防窜货): scans of unit codes, the territory they were seen in, and the
diversion incidents opened when a code turns up outside the territory it is bound to.

The public scan path is on the hot path of the scan benchmark (≥ 300 scans/s with 10 million
codes): it reads the code with one indexed SQL query and records the scan with one SQL INSERT;
the ORM is used only on the rare path that opens an incident."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.unit_codes import is_legacy_candidate, is_well_formed, normalize_unit_code

SCAN_RESULTS = [
    ("genuine", "Genuine"),
    ("unknown", "Unknown"),
    ("sold", "Already Sold"),
    ("malformed", "Malformed"),
]
SCAN_TYPES = [
    ("public", "Public"),
    ("portal", "Portal"),
    ("pos", "Point of Sale"),
    ("backend", "Backend"),
]
# ir.config_parameter: scans per client address per minute on the public endpoint (0: no limit)
RATE_LIMIT_PARAM = "distribution_diversion.scan_rate_limit"
RATE_LIMIT_DEFAULT = 60
RATE_WINDOW_SECONDS = 60


class DistributionCodeScan(models.Model):
    """One scan of a code: what it was, where it was seen and by whom."""

    _name = "distribution.code.scan"
    _description = "Code Scan"
    _order = "date desc, id desc"
    _rec_name = "code_text"
    # an immutable log written once per scan: `date` and `user_id` say when and by whom, so the four
    # create/write columns (two more foreign keys checked on every insert) are left out
    _log_access = False

    code_id = fields.Many2one("distribution.code", index=True, ondelete="set null", readonly=True)
    code_text = fields.Char(string="Scanned Text", readonly=True)
    result = fields.Selection(SCAN_RESULTS, required=True, readonly=True)
    scan_type = fields.Selection(SCAN_TYPES, required=True, readonly=True, default="backend")
    # who scanned, from where, and whose goods: back office only (a member of another region, its user)
    user_id = fields.Many2one("res.users", string="Scanned by", readonly=True, groups="base.group_user")
    member_id = fields.Many2one(
        "distribution.member", string="Scanning Member", readonly=True, index=True,
        help="The channel member of the user (or POS) who scanned, if any.",
    )
    territory_id = fields.Many2one(
        "distribution.territory", string="Seen in", readonly=True, index=True,
        help="The territory the code was seen in: the scanning member's, the POS store's, or the one "
        "the browser's location falls in.",
    )
    bound_member_id = fields.Many2one(
        "distribution.member", readonly=True, index=True, groups="base.group_user",
        help="The member the code was bound to when it was scanned.",
    )
    bound_territory_id = fields.Many2one("distribution.territory", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    latitude = fields.Float(digits=(9, 6), readonly=True)
    longitude = fields.Float(digits=(10, 6), readonly=True)
    ip_address = fields.Char(string="Client Address", readonly=True, groups="base.group_user")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    incident_id = fields.Many2one("distribution.diversion.incident", readonly=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", readonly=True, default=lambda self: self.env.company)

    # the rate limit counts the recent scans of a client address (see _rate_limit_retry_after)
    _ip_date_idx = models.Index("(ip_address, date) WHERE ip_address IS NOT NULL")
    _date_idx = models.Index("(date)")

    # ------------------------------------------------------------------
    # Rate limit
    # ------------------------------------------------------------------
    @api.model
    def _rate_limit(self):
        try:
            return int(self.env["ir.config_parameter"].sudo().get_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT))
        except ValueError:
            return RATE_LIMIT_DEFAULT

    @api.model
    def _rate_limit_retry_after(self, ip_address):
        """Seconds the client at ip_address must wait before its next public scan, or 0.

        The window is sliding and counted on the scans themselves (every public scan is recorded
        with its address, the index on (ip_address, date) makes the count one short index range):
        the count is shared by every worker process, needs no extra table nor lock, and a client
        that is refused writes nothing. Scans still in flight in other workers are not seen, so a
        client can overshoot the limit by at most the number of workers."""
        limit = self._rate_limit()
        if limit <= 0 or not ip_address:
            return 0
        self.env.cr.execute(
            """
            SELECT EXTRACT(EPOCH FROM date + make_interval(secs => %(window)s) - (now() AT TIME ZONE 'UTC'))
              FROM distribution_code_scan
             WHERE ip_address = %(ip)s
               AND date > (now() AT TIME ZONE 'UTC') - make_interval(secs => %(window)s)
          ORDER BY date DESC
            OFFSET %(offset)s LIMIT 1
            """,
            {"ip": ip_address, "window": RATE_WINDOW_SECONDS, "offset": limit - 1},
        )
        row = self.env.cr.fetchone()
        return max(1, int(float(row[0]) + 0.999)) if row else 0

    # ------------------------------------------------------------------
    # Scanning
    # ------------------------------------------------------------------
    @api.model
    def _scan_messages(self):
        return {
            "malformed": self.env._(
                "This is not a valid code. Check that you typed every character (letters and digits, no O, I or L)."
            ),
            "unknown": self.env._("This code is unknown: the product may not be genuine."),
            "sold": self.env._(
                "This code was already recorded as sold. If you are buying this product new, it may be a copy."
            ),
            "genuine": self.env._("Genuine product."),
            "outside": self.env._("This product is outside the sales territory it was delivered for."),
        }

    @api.model
    def _lookup_code(self, name):
        """The code's row, read with one query on the unique index of its name (or None)."""
        self.env.cr.execute(
            """
            SELECT c.id, c.state, c.member_id, c.territory_id, bt.parent_path, c.company_id, c.product_id,
                   COALESCE(pt.name->>%(lang)s, pt.name->>'en_US'), bt.complete_name
              FROM distribution_code c
         LEFT JOIN distribution_territory bt ON bt.id = c.territory_id
         LEFT JOIN product_product pp ON pp.id = c.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE c.name = %(name)s
            """,
            {"name": name, "lang": self.env.lang or "en_US"},
        )
        return self.env.cr.fetchone()

    @api.model
    def _seen_territory(self, territory, member, latitude, longitude):
        """(territory id, parent_path, complete name) where the scan happened, or (None, None, None)."""
        territory = territory or (member.territory_id if member else None)
        if territory:
            territory = territory.sudo()
            return territory.id, territory.parent_path, territory.complete_name
        if latitude is not None and longitude is not None:
            found = self.env["distribution.territory.area"].sudo()._territory_at(latitude, longitude)
            if found:
                return found[0], found[1], None
        return None, None, None

    @api.model
    def _prepare_scan_row(self, info):
        """Column values of the scan row (the INSERT is plain SQL); `info` holds everything known
        about the scan (e.g. `pos_config`, which distribution_pos records)."""
        return {
            "code_id": info["code_id"],
            "code_text": info["code_text"],
            "result": info["result"],
            "scan_type": info["scan_type"],
            "user_id": self.env.uid,
            "member_id": info["member"].id if info["member"] else None,
            "territory_id": info["territory_id"],
            "bound_member_id": info["bound_member_id"],
            "bound_territory_id": info["bound_territory_id"],
            "product_id": info["product_id"],
            "latitude": info["latitude"],
            "longitude": info["longitude"],
            "ip_address": info["ip_address"],
            "company_id": info["company_id"],  # the code's company; none for an unknown code
        }

    @api.model
    def _insert_scan(self, row):
        columns = list(row)
        self.env.cr.execute(
            SQL(
                "INSERT INTO distribution_code_scan (%s, date) VALUES (%s, (now() AT TIME ZONE 'UTC')) RETURNING id",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(row[column] for column in columns),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _record_scan(self, text, scan_type, territory=None, member=None, pos_config=None, latitude=None,
                     longitude=None, ip_address=None):
        """Verify a scanned code, record the scan and, when a bound code is seen outside the territory
        it is bound to (neither in it nor below it), open a diversion incident (once per code and
        territory). Called as superuser by the public endpoint.

        Returns what may be shown to the scanner: {result, product, message, incident}; scans by a
        channel member, a POS or a backend user also get the names of the bound and seen territories.
        Anonymous answers never name a member nor a price."""
        messages = self._scan_messages()
        # what the scanner sent, as stored: printable characters only (a NUL cannot be stored, a control
        # character or a lone surrogate must not reach the log), so that every scan is recorded and
        # counted by the rate limit, a malformed one too
        code_text = "".join(char for char in normalize_unit_code(text or "")[:64] if char.isprintable())
        if latitude is not None and longitude is not None:
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                latitude = longitude = None
        else:
            latitude = longitude = None
        info = {
            "code_text": code_text, "scan_type": scan_type, "member": member, "pos_config": pos_config,
            "latitude": latitude, "longitude": longitude, "ip_address": ip_address,
            "code_id": None, "territory_id": None, "bound_member_id": None, "bound_territory_id": None,
            "product_id": None, "company_id": None,
        }
        answer = {"result": "malformed", "product": "", "message": messages["malformed"], "incident": False}
        row = None
        outside = False
        if is_well_formed(code_text) or (
            is_legacy_candidate(code_text) and self.env["distribution.code"]._accepts_legacy_codes()
        ):
            self.env.flush_all()  # the code may have been bound in this transaction
            row = self._lookup_code(code_text)
            answer.update(result="unknown", message=messages["unknown"])
            seen = self._seen_territory(territory, member, latitude, longitude)
            info["territory_id"] = seen[0]
        if row:
            code_id, state, bound_member_id, bound_territory_id, bound_path, company_id, product_id, product_name, \
                bound_name = row
            result = "sold" if state == "sold" else "genuine"
            answer.update(result=result, product=product_name or "", message=messages[result])
            info.update(code_id=code_id, bound_member_id=bound_member_id, bound_territory_id=bound_territory_id,
                        product_id=product_id, company_id=company_id)
            outside = bool(state == "bound" and bound_path and seen[1] and not seen[1].startswith(bound_path))
            if scan_type != "public":
                answer["bound_territory"] = bound_name or ""
                answer["seen_territory"] = seen[2] or (
                    self.env["distribution.territory"].sudo().browse(seen[0]).complete_name if seen[0] else ""
                )
        info["result"] = answer["result"]
        scan_id = self._insert_scan(self._prepare_scan_row(info))
        if outside:
            incident = self.env["distribution.diversion.incident"].sudo()._open_for_scan(scan_id, code_id, seen[0])
            answer["incident"] = bool(incident)
            if incident:
                answer["message"] = f"{answer['message']} {messages['outside']}"
        return answer
