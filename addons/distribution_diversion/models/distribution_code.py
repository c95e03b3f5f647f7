import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.unit_codes import format_code, is_legacy_candidate, is_well_formed, normalize_unit_code

# codes of a previous system, imported without our check character (set by the data migration)
LEGACY_CODES_PARAM = "distribution_diversion.legacy_codes"
MAX_LABELS = 1000  # labels per PDF sheet
MAX_LISTED_ERRORS = 20

CODE_KINDS = [("unit", "Unit"), ("carton", "Carton")]
CODE_STATES = [("new", "New"), ("bound", "Bound"), ("sold", "Sold")]


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
            return [("name", "=like", normalize_unit_code(value) + "%")]
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
        return self.env.ref("distribution_diversion.action_report_distribution_code_label").report_action(self, config=False)  # basic layout: no company layout to set up

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
            code = normalize_unit_code(text)
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
