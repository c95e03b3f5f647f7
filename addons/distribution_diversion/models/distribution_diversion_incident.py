import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_datetime

# What the scan established and what Confirm/Dismiss decided: the rebate engine deducts the penalties of
# confirmed incidents from the expected member's rebate, so a user may not write them through RPC
FACTS_AND_DECISION = frozenset({
    "state", "penalty_amount", "date_decided", "date", "code_id", "expected_member_id", "company_id",
})


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

    def write(self, vals):
        if not self.env.su and FACTS_AND_DECISION.intersection(vals):
            raise AccessError(self.env._(
                "An incident is decided with Confirm or Dismiss; what the scan established cannot be changed."))
        return super().write(vals)

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
        # written once for the one who investigates: in his language and his time zone
        evidence = incident._evidence_text(manager)
        incident.message_post(body=evidence, message_type="comment", subtype_xmlid="mail.mt_note",
                              author_id=self.env.ref("base.partner_root").id)
        if manager:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=incident.with_context(lang=manager.lang).env._(
                    "Investigate diversion %(name)s", name=incident.name),
                note=evidence,
            )
        return incident

    def _evidence_tz(self, reader):
        """The time zone the evidence is told in: the reader's, else the company's, else UTC."""
        return reader.tz or self.company_id.partner_id.tz or self.env.context.get("tz") or "UTC"

    def _evidence_text(self, reader=None):
        """What was seen, where, by whom and when, in the language and the time zone of `reader` (the
        user the evidence is written for: the incident's responsible; none: the current user's)."""
        self.ensure_one()
        reader = reader or self.user_id or self.env.user
        lang = reader.lang or self.env.lang
        tz = self._evidence_tz(reader)
        incident = self.with_context(lang=lang)
        _ = incident.env._
        scanned_by = self.scanned_by_id.name if self.scan_type != "public" else _(
            "an anonymous scanner (address %(ip)s)", ip=self.ip_address or "?")
        return _(
            "Code %(code)s (%(product)s), bound to %(member)s for %(expected)s, was scanned in %(seen)s "
            "by %(who)s%(at_member)s on %(date)s (%(tz)s).",
            code=self.code_id.name,
            product=incident.product_id.display_name or "-",
            member=self.expected_member_id.display_name,
            expected=self.expected_territory_id.complete_name or "-",
            seen=incident.seen_territory_id.complete_name,
            who=scanned_by,
            at_member=_(" at %(member)s", member=self.seen_member_id.display_name) if self.seen_member_id else "",
            date=format_datetime(incident.env, self.date, tz=tz, dt_format="medium", lang_code=lang),
            tz=tz,
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
        self.check_access("write")  # sudo below: the decision fields are written by this method only
        self.sudo().write({"state": "confirmed", "penalty_amount": penalty, "note": note or False,
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
        self.check_access("write")  # sudo below: the decision fields are written by this method only
        self.sudo().write({"state": "dismissed", "note": reason, "date_decided": fields.Datetime.now()})
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
