"""Anti-diversion (防窜货): scans of unit codes, the territory they were seen in, and the
diversion incidents opened when a code turns up outside the territory it is bound to.

The public scan path is on the hot path of the scan benchmark (≥ 300 scans/s with 10 million
codes): it reads the code with one indexed SQL query and records the scan with one SQL INSERT;
the ORM is used only on the rare path that opens an incident."""

import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .distribution_code import is_legacy_candidate, is_well_formed, normalize_code

_logger = logging.getLogger(__name__)

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
RATE_LIMIT_PARAM = "distribution_core.scan_rate_limit"
RATE_LIMIT_DEFAULT = 60
RATE_WINDOW_SECONDS = 60


class DistributionTerritoryArea(models.Model):
    """A latitude/longitude box that maps a browser's geolocation to a sales territory.
    A point inside several boxes belongs to the deepest of their territories."""

    _name = "distribution.territory.area"
    _description = "Territory Geographic Area"
    _order = "territory_id, id"

    territory_id = fields.Many2one("distribution.territory", required=True, ondelete="cascade", index=True)
    lat_min = fields.Float(string="Latitude from", digits=(9, 6), required=True)
    lat_max = fields.Float(string="Latitude to", digits=(9, 6), required=True)
    lon_min = fields.Float(string="Longitude from", digits=(10, 6), required=True)
    lon_max = fields.Float(string="Longitude to", digits=(10, 6), required=True)
    company_id = fields.Many2one(related="territory_id.company_id", store=True)

    @api.constrains("lat_min", "lat_max", "lon_min", "lon_max")
    def _check_box(self):
        for area in self:
            if not (-90 <= area.lat_min <= area.lat_max <= 90 and -180 <= area.lon_min <= area.lon_max <= 180):
                raise ValidationError(
                    self.env._(
                        "Area of %(territory)s: latitudes go from -90 to 90 and longitudes from -180 to 180, "
                        "each range from its lower to its upper end.",
                        territory=area.territory_id.complete_name,
                    )
                )

    @api.model
    def _territory_at(self, latitude, longitude):
        """(territory id, parent_path) of the deepest territory whose area contains the point, or None."""
        self.env.cr.execute(
            """
            SELECT t.id, t.parent_path
              FROM distribution_territory_area a
              JOIN distribution_territory t ON t.id = a.territory_id
             WHERE %(lat)s BETWEEN a.lat_min AND a.lat_max
               AND %(lon)s BETWEEN a.lon_min AND a.lon_max
               AND t.active
          ORDER BY length(t.parent_path) DESC, (a.lat_max - a.lat_min) * (a.lon_max - a.lon_min), t.id
             LIMIT 1
            """,
            {"lat": latitude, "lon": longitude},
        )
        return self.env.cr.fetchone()


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
        code_text = "".join(char for char in normalize_code(text or "")[:64] if char.isprintable())
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


class DistributionDiversionIncident(models.Model):
    """A unit seen outside the territory it was delivered for (窜货事件)."""

    _name = "distribution.diversion.incident"
    _description = "Diversion Incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    code_id = fields.Many2one("distribution.code", required=True, readonly=True, index=True,
                              ondelete="restrict")
    scan_id = fields.Many2one("distribution.code.scan", string="First Scan", readonly=True, ondelete="set null")
    scan_ids = fields.One2many("distribution.code.scan", "incident_id", string="Scans")
    scan_count = fields.Integer(compute="_compute_scan_count")
    product_id = fields.Many2one("product.product", readonly=True)
    expected_member_id = fields.Many2one(
        "distribution.member", required=True, readonly=True, index=True,
        help="The member the code was bound to: the goods were delivered to it for its territory.",
    )
    expected_territory_id = fields.Many2one("distribution.territory", readonly=True)
    seen_territory_id = fields.Many2one("distribution.territory", string="Seen in", required=True, readonly=True,
                                        index=True)
    # who scanned it is another region's business: back office only
    seen_member_id = fields.Many2one("distribution.member", string="Seen at Member", readonly=True,
                                     groups="base.group_user",
                                     help="The channel member who scanned it, if a member did.")
    scanned_by_id = fields.Many2one("res.users", string="Scanned by", readonly=True, groups="base.group_user")
    scan_type = fields.Selection(related="scan_id.scan_type", string="Scanned via")
    ip_address = fields.Char(related="scan_id.ip_address", string="Client Address", groups="base.group_user")
    latitude = fields.Float(related="scan_id.latitude")
    longitude = fields.Float(related="scan_id.longitude")
    date = fields.Datetime(string="Seen on", required=True, readonly=True, default=fields.Datetime.now, index=True)
    state = fields.Selection(
        [("investigating", "Investigating"), ("confirmed", "Confirmed"), ("dismissed", "Dismissed")],
        default="investigating", required=True, readonly=True, tracking=True, index=True,
    )
    penalty_amount = fields.Monetary(string="Penalty", readonly=True, tracking=True,
                                     help="Deducted from the member's rebate by agreements that say so.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Text(string="Decision Note")
    user_id = fields.Many2one("res.users", string="Responsible", tracking=True, domain=[("share", "=", False)],
                              help="The expected member's channel manager.")
    date_decided = fields.Datetime(string="Decided on", readonly=True)

    # concurrent scans of the same code in the same place open a single incident
    _open_unique = models.UniqueIndex(
        "(code_id, seen_territory_id) WHERE state = 'investigating'",
        "This code already has an open incident for this territory.",
    )
    _penalty_positive = models.Constraint(
        "CHECK(state != 'confirmed' OR penalty_amount > 0)",
        "A confirmed incident needs a penalty greater than zero.",
    )

    def _compute_scan_count(self):
        counts = dict(self.env["distribution.code.scan"]._read_group(
            [("incident_id", "in", self.ids)], ["incident_id"], ["__count"]))
        for incident in self:
            incident.scan_count = counts.get(incident, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("distribution.diversion.incident") or "/"
        return super().create(vals_list)

    @api.model
    def _open_for_scan(self, scan_id, code_id, seen_territory_id):
        """The incident for a scan outside the bound territory: the code's incident for this
        territory that is still investigated or was confirmed, else a new one. Links the scan."""
        cr = self.env.cr
        existing = self.search([
            ("code_id", "=", code_id), ("seen_territory_id", "=", seen_territory_id),
            ("state", "in", ("investigating", "confirmed")),
        ], limit=1)
        if not existing:
            try:
                with cr.savepoint():
                    existing = self._create_for_scan(scan_id)
            except psycopg2.IntegrityError:
                # another worker opened it at the same moment
                existing = self.search([
                    ("code_id", "=", code_id), ("seen_territory_id", "=", seen_territory_id),
                    ("state", "=", "investigating"),
                ], limit=1)
        cr.execute("UPDATE distribution_code_scan SET incident_id = %s WHERE id = %s", [existing.id or None, scan_id])
        self.env["distribution.code.scan"].browse(scan_id).invalidate_recordset(["incident_id"])
        existing.invalidate_recordset(["scan_ids", "scan_count"])
        return existing

    @api.model
    def _create_for_scan(self, scan_id):
        scan = self.env["distribution.code.scan"].browse(scan_id)
        expected = scan.bound_member_id
        manager = expected.manager_id or scan.bound_territory_id.manager_id
        incident = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create({
            "code_id": scan.code_id.id,
            "scan_id": scan.id,
            "product_id": scan.product_id.id,
            "expected_member_id": expected.id,
            "expected_territory_id": scan.bound_territory_id.id,
            "seen_territory_id": scan.territory_id.id,
            "seen_member_id": scan.member_id.id,
            "scanned_by_id": scan.user_id.id,
            "date": scan.date,
            "company_id": scan.company_id.id or expected.company_id.id or self.env.company.id,
            "user_id": manager.id,
        })
        evidence = incident._evidence_text()
        incident.message_post(body=evidence, message_type="comment", subtype_xmlid="mail.mt_note",
                              author_id=self.env.ref("base.partner_root").id)
        if manager:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Investigate diversion %(name)s", name=incident.name),
                note=evidence,
            )
        return incident

    def _evidence_text(self):
        self.ensure_one()
        scanned_by = self.scanned_by_id.name if self.scan_type != "public" else self.env._(
            "an anonymous scanner (address %(ip)s)", ip=self.ip_address or "?")
        return self.env._(
            "Code %(code)s (%(product)s), bound to %(member)s for %(expected)s, was scanned in %(seen)s "
            "by %(who)s%(at_member)s on %(date)s UTC.",
            code=self.code_id.name,
            product=self.product_id.display_name or "-",
            member=self.expected_member_id.display_name,
            expected=self.expected_territory_id.complete_name or "-",
            seen=self.seen_territory_id.complete_name,
            who=scanned_by,
            at_member=self.env._(" at %(member)s", member=self.seen_member_id.display_name)
            if self.seen_member_id else "",
            date=fields.Datetime.to_string(self.date),
        )

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _check_open(self):
        for incident in self:
            if incident.state != "investigating":
                raise UserError(self.env._(
                    "Incident %(name)s was already decided (%(state)s).", name=incident.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[incident.state]))

    def _open_decision(self, decision):
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm the Diversion") if decision == "confirm" else self.env._("Dismiss the Incident"),
            "res_model": "distribution.diversion.confirm",
            "view_mode": "form",
            "target": "new",
            "context": {"default_incident_ids": self.ids, "default_decision": decision},
        }

    def action_confirm(self):
        """Asks for the penalty (wizard)."""
        return self._open_decision("confirm")

    def action_dismiss(self):
        """Asks for the reason (wizard)."""
        return self._open_decision("dismiss")

    def _confirm(self, penalty, note=None):
        self._check_open()
        if not penalty or penalty <= 0:
            raise ValidationError(self.env._("Set a penalty greater than zero to confirm a diversion."))
        self.write({"state": "confirmed", "penalty_amount": penalty, "note": note or False,
                    "date_decided": fields.Datetime.now()})
        for incident in self:
            incident.message_post(body=self.env._(
                "Diversion confirmed, penalty %(amount)s %(currency)s.", amount=penalty,
                currency=incident.currency_id.name) + (f"\n{note}" if note else ""))
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _dismiss(self, reason):
        self._check_open()
        if not (reason or "").strip():
            raise ValidationError(self.env._("Say why the incident is dismissed."))
        self.write({"state": "dismissed", "note": reason, "date_decided": fields.Datetime.now()})
        for incident in self:
            incident.message_post(body=self.env._("Dismissed: %(reason)s", reason=reason))
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_view_scans(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scans"),
            "res_model": "distribution.code.scan",
            "view_mode": "list,form",
            "domain": [("incident_id", "=", self.id)],
            "context": {"create": False},
        }


class DistributionDiversionKpi(models.Model):
    """Diversion rate (窜货率) = confirmed incidents / scanned units, by the member the units were
    bound to, its territory and the month. Scanned units: distinct codes bound to the member
    scanned in the month (a unit scanned in two months counts in both)."""

    _name = "distribution.diversion.kpi"
    _description = "Diversion Rate"
    _auto = False
    _order = "month desc, member_id"
    _rec_name = "member_id"

    month = fields.Date(readonly=True)
    member_id = fields.Many2one("distribution.member", readonly=True)
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    scanned_units = fields.Integer(readonly=True)
    incident_count = fields.Integer(string="Incidents", readonly=True)
    confirmed_count = fields.Integer(string="Confirmed Incidents", readonly=True)
    penalty_amount = fields.Monetary(string="Penalties", readonly=True)
    diversion_rate = fields.Float(
        string="Diversion Rate (%)", readonly=True, aggregator="sum", digits=(16, 2),
        help="Confirmed incidents / scanned units, in percent, computed on every grouping's totals.",
    )

    @property
    def _table_query(self):
        return SQL("""
            WITH s AS (
                SELECT bound_member_id AS member_id, bound_territory_id AS territory_id, company_id,
                       date_trunc('month', date)::date AS month, COUNT(DISTINCT code_id) AS units
                  FROM distribution_code_scan
                 WHERE bound_member_id IS NOT NULL AND result IN ('genuine', 'sold')
              GROUP BY 1, 2, 3, 4
            ), i AS (
                SELECT expected_member_id AS member_id, expected_territory_id AS territory_id, company_id,
                       date_trunc('month', date)::date AS month, COUNT(*) AS incidents,
                       COUNT(*) FILTER (WHERE state = 'confirmed') AS confirmed,
                       COALESCE(SUM(penalty_amount) FILTER (WHERE state = 'confirmed'), 0) AS penalty
                  FROM distribution_diversion_incident
              GROUP BY 1, 2, 3, 4
            )
            SELECT row_number() OVER (ORDER BY k.month, k.member_id, k.territory_id) AS id,
                   k.month, k.member_id, k.territory_id, k.company_id, c.currency_id,
                   COALESCE(s.units, 0) AS scanned_units, COALESCE(i.incidents, 0) AS incident_count,
                   COALESCE(i.confirmed, 0) AS confirmed_count, COALESCE(i.penalty, 0) AS penalty_amount,
                   COALESCE(i.confirmed, 0) * 100.0 / NULLIF(s.units, 0) AS diversion_rate
              FROM (SELECT member_id, territory_id, company_id, month FROM s
                    UNION SELECT member_id, territory_id, company_id, month FROM i) AS k
         LEFT JOIN s ON s.member_id = k.member_id AND s.territory_id IS NOT DISTINCT FROM k.territory_id
                    AND s.company_id IS NOT DISTINCT FROM k.company_id AND s.month = k.month
         LEFT JOIN i ON i.member_id = k.member_id AND i.territory_id IS NOT DISTINCT FROM k.territory_id
                    AND i.company_id IS NOT DISTINCT FROM k.company_id AND i.month = k.month
         LEFT JOIN res_company c ON c.id = k.company_id
        """)

    def _read_group_select(self, aggregate_spec, query):
        """The rate of a group is the ratio of its totals, not the sum of its rows' rates."""
        if aggregate_spec.split(":")[0] == "diversion_rate":
            return SQL(
                "COALESCE(SUM(%s) * 100.0 / NULLIF(SUM(%s), 0), 0)",
                SQL.identifier(self._table, "confirmed_count"),
                SQL.identifier(self._table, "scanned_units"),
            )
        return super()._read_group_select(aggregate_spec, query)
