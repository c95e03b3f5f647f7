import re
from datetime import datetime, time

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.distribution_diversion.models.distribution_code import LEGACY_CODES_PARAM
from odoo.addons.distribution_diversion.tools.unit_codes import is_legacy_candidate, is_well_formed, normalize_unit_code

from .distribution_import_target_lookup import normalise_name

#: states of legacy files → distribution.code state
CODE_STATES = {
    "new": "new",
    "unbound": "new",
    "in stock": "new",
    "新建": "new",
    "未绑定": "new",
    "未发货": "new",
    "在库": "new",
    "bound": "bound",
    "delivered": "bound",
    "shipped": "bound",
    "绑定": "bound",
    "已绑定": "bound",
    "已发货": "bound",
    "已出库": "bound",
    "sold": "sold",
    "售出": "sold",
    "已售": "sold",
    "已销售": "sold",
    "已核销": "sold",
}
STATE_ORDER = ("new", "bound", "sold")
MAX_CODE_LENGTH = 64  # what the scan page reads of a code
_CODE_CHARS = re.compile(r"^[0-9A-Z]+$")


class DistributionImportTargetCode(models.AbstractModel):
    """Unit codes already in the field (legacy anti-diversion / traceability codes),
    keyed by the code.

    - code: stored in core's canonical form (upper case, without blanks or dashes,
      O → 0 and I/L → 1: what a scan of the label is normalised to); legacy codes need
      not carry core's check character, but must be letters and digits;
    - product (goods only), lot (an existing lot of the product);
    - member: the member the unit was delivered to: the code is bound to it as core's
      binding does (the code's member, territory and level, and one binding row at the
      member's level dated the file's date); territory: the member's unless the file
      gives one; state: new (no member), bound (default with a member) or sold;
    - written with one INSERT ... SELECT FROM unnest() per batch (there may be
      millions), like core's code generation; a code already in the database is
      updated only to bind an unbound code, to move its state forward (new → bound →
      sold), to give it its lot or, for the same member, its territory. The database
      may be ahead of the file (the unit was delivered further down or sold since):
      what the file says is then already recorded ("unchanged"). A code of another
      product or lot, bound to another member while the file's member never received
      it, or sold before the file binds it, is rejected.
    """

    _name = "distribution.import.target.code"
    _inherit = "distribution.import.target"
    _description = "Import Target: Unit Codes"

    # bindings are core's delivery trail, written by core's own binding (SQL) and never
    # by users: the job checks the rights on the codes
    _target_models = ("distribution.code",)

    # ------------------------------------------------------------------
    # Resolve
    # ------------------------------------------------------------------
    @api.model
    def _resolve(self, job, rows):
        for row in rows:
            text = str(row.values.get("code") or "")
            code = normalize_unit_code(text)
            if not code or len(code) > MAX_CODE_LENGTH or not _CODE_CHARS.match(code):
                row.errors.append(
                    self.env._(
                        "%(code)s cannot be a unit code: letters and digits only (dashes and blanks are ignored), "
                        "at most %(max)s.",
                        code=text,
                        max=MAX_CODE_LENGTH,
                    )
                )
                continue
            if not (is_well_formed(code) or is_legacy_candidate(code)):
                # what a scan would never find: too short, or shaped like one of our codes with a wrong check
                row.errors.append(
                    self.env._(
                        "%(code)s cannot be scanned: a code of a previous system has 6 to 40 letters and digits, "
                        "and a code of 17 characters of this system's alphabet must end with its check character.",
                        code=text,
                    )
                )
                continue
            row.values["code"] = code
        self._fold_resolved_duplicates(job, rows, lambda row: row.values["code"], self.env._("code"))
        live = [row for row in rows if row.live]
        products = self._lookup_products(job, {row.values.get("product") for row in live})
        members = self._lookup_members(job, {row.values.get("member") for row in live})
        territories = self._lookup_territories(job, {row.values.get("territory") for row in live})
        member_info = self._member_info([mid for mid in members.values() if mid])
        product_ids = {ids[0] for ids in products.values() if len(ids) == 1}
        Product = self.env["product.product"].with_context(active_test=False)
        Product.browse(sorted(product_ids)).fetch(["type", "active", "display_name"])
        lots = self._lookup_lots(job, product_ids, {row.values.get("lot") for row in live})
        for row in live:
            self._resolve_row(row, products, members, territories, member_info, lots, Product)

    @api.model
    def _member_info(self, member_ids):
        """{member id: (territory id, level)} (level: depth in the channel, as core binds)."""
        if not member_ids:
            return {}
        self.env["distribution.member"].flush_model(["parent_path", "territory_id"])
        self.env.cr.execute(
            SQL("SELECT id, territory_id, parent_path FROM distribution_member WHERE id = ANY(%s)", list(member_ids))
        )
        return {mid: (territory_id, (path or "").count("/")) for mid, territory_id, path in self.env.cr.fetchall()}

    @api.model
    def _lookup_lots(self, job, product_ids, names):
        """{(product id, lot name): lot id} of the company's (or shared) lots."""
        names = [name for name in names if name]
        if not names or not product_ids:
            return {}
        self.env["stock.lot"].flush_model(["name", "product_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, product_id, name FROM stock_lot
                 WHERE product_id = ANY(%s) AND name = ANY(%s) AND (company_id IS NULL OR company_id = %s)
                """,
                list(product_ids),
                names,
                job.company_id.id,
            )
        )
        return {(product_id, name): lot_id for lot_id, product_id, name in self.env.cr.fetchall()}

    @api.model
    def _resolve_row(self, row, products, members, territories, member_info, lots, Product):
        values, refs = row.values, row.refs
        ids = products.get(values.get("product"), ())
        if len(ids) > 1:
            row.errors.append(
                self.env._("Several products have the internal reference %(code)s.", code=values["product"])
            )
        elif not ids:
            row.errors.append(self.env._("Unknown product %(code)s.", code=values.get("product")))
        else:
            product = Product.browse(ids[0])
            refs["product_id"] = product.id
            if product.type != "consu":
                row.errors.append(
                    self.env._("%(product)s is not goods: unit codes are for goods.", product=product.display_name)
                )
            elif not product.active:
                row.errors.append(self.env._("Product %(product)s is archived.", product=product.display_name))
            if values.get("lot"):
                lot_id = lots.get((product.id, values["lot"]))
                if lot_id:
                    refs["lot_id"] = lot_id
                else:
                    row.errors.append(
                        self.env._(
                            "Lot %(lot)s of %(product)s does not exist: import the stock with its lots first, or "
                            "leave the lot empty.",
                            lot=values["lot"],
                            product=product.display_name,
                        )
                    )
        member_id = None
        if values.get("member"):
            member_id = members.get(values["member"])
            if member_id:
                refs["member_id"] = member_id
                refs["territory_id"], refs["level"] = member_info[member_id]
            else:
                row.errors.append(self.env._("Unknown member %(code)s.", code=values["member"]))
        if values.get("territory"):
            territory_id = self._pick_territory(row, territories, values["territory"])
            if territory_id:
                refs["territory_id"] = territory_id
            if not values.get("member"):
                row.errors.append(self.env._("A code is bound to a territory through a member: give the member."))
        state = "bound" if values.get("member") else "new"
        if values.get("state"):
            state = CODE_STATES.get(normalise_name(values["state"]))
            if not state:
                row.errors.append(
                    self.env._("Unknown code state %(state)s: give new, bound or sold.", state=values["state"])
                )
        if state == "bound" and not values.get("member"):
            row.errors.append(self.env._("A bound code needs the member it was delivered to."))
        elif state == "new" and values.get("member"):
            row.errors.append(
                self.env._("A new code is not bound yet: leave the member empty or give the state bound.")
            )
        refs["state"] = state
        refs.setdefault("territory_id", None)
        refs.setdefault("level", 0)

    # ------------------------------------------------------------------
    # Match
    # ------------------------------------------------------------------
    @api.model
    def _existing(self, names):
        """({code: (id, product, lot, member, territory, level, state, company)}, {(code id, member id)}):
        the codes in the database and the members each was delivered to."""
        if not names:
            return {}, set()
        self.env["distribution.code"].flush_model(
            ["name", "product_id", "lot_id", "member_id", "territory_id", "level", "state", "company_id"]
        )
        self.env["distribution.code.binding"].flush_model(["code_id", "member_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT name, id, product_id, lot_id, member_id, territory_id, level, state, company_id
                  FROM distribution_code
                 WHERE name = ANY(%s)
                """,
                list(names),
            )
        )
        existing = {name: rest for name, *rest in self.env.cr.fetchall()}
        delivered = set()
        if existing:
            self.env.cr.execute(
                SQL(
                    "SELECT code_id, member_id FROM distribution_code_binding WHERE code_id = ANY(%s)",
                    [found[0] for found in existing.values()],
                )
            )
            delivered = set(self.env.cr.fetchall())
        return existing, delivered

    @api.model
    def _match(self, job, rows):
        """A code already in the database is compared with what the file says; the database
        may be ahead of the file (the unit went further down the channel, or was sold,
        since the file was made): what the file says is then already recorded."""
        existing, delivered = self._existing([row.values["code"] for row in rows])
        holders = self.env["distribution.member"].browse(sorted({ex[3] for ex in existing.values() if ex[3]}))
        holders.fetch(["code", "name"])
        products = self.env["product.product"].browse(sorted({ex[1] for ex in existing.values()}))
        for row in rows:
            refs, code = row.refs, row.values["code"]
            found = existing.get(code)
            if not found:
                row.action = "create"
                row.message = (
                    self.env._("New code, bound to %(member)s.", member=row.values["member"])
                    if refs.get("member_id")
                    else self.env._("New code.")
                )
                continue
            code_id, product_id, lot_id, member_id, territory_id, level, state, company_id = found
            new_member = refs.get("member_id")
            error = None
            if company_id != job.company_id.id:
                error = self.env._("The code %(code)s belongs to another company.", code=code)
            elif product_id != refs["product_id"]:
                error = self.env._(
                    "The code %(code)s is already a code of %(product)s.",
                    code=code,
                    product=products.browse(product_id).display_name,
                )
            elif lot_id and refs.get("lot_id") and lot_id != refs["lot_id"]:
                error = self.env._("The code %(code)s is of another lot.", code=code)
            elif new_member and member_id and member_id != new_member and (code_id, new_member) not in delivered:
                error = self.env._(
                    "The code %(code)s is already bound to %(member)s.",
                    code=code,
                    member=holders.browse(member_id).display_name,
                )
            elif new_member and not member_id and state == "sold":
                error = self.env._("The code %(code)s was already sold: it cannot be bound any more.", code=code)
            if error:
                row.reject(error)
                continue
            row.target_id = code_id
            final = {"member": member_id, "territory": territory_id, "level": level, "state": state, "lot": lot_id}
            changes = []
            refs["bind"] = bool(new_member and not member_id)
            if refs["bind"]:
                final.update(member=new_member, territory=refs["territory_id"], level=refs["level"])
                changes.append(self.env._("binds it to %(member)s", member=row.values["member"]))
            elif new_member and new_member == member_id and refs["territory_id"] != territory_id:
                final["territory"] = refs["territory_id"]
                changes.append(self.env._("territory"))
            # the state only moves forward: new → bound → sold
            target_state = max(state, refs["state"], "bound" if final["member"] else "new", key=STATE_ORDER.index)
            if target_state != state:
                final["state"] = target_state
                changes.append(self.env._("state"))
            if refs.get("lot_id") and not lot_id:
                final["lot"] = refs["lot_id"]
                changes.append(self.env._("lot"))
            refs["final"] = final
            if changes:
                row.action = "update"
                row.message = self.env._("Updates the code: %(changes)s.", changes=", ".join(changes))
            else:
                row.action = "unchanged"
                row.message = self.env._("No change.")

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------
    @api.model
    def _write(self, job, rows):
        now = fields.Datetime.now()
        creates = [row for row in rows if row.action == "create"]
        updates = [row for row in rows if row.action == "update"]

        def date_of(row):
            date = row.values.get("date")
            return datetime.combine(date, time.min) if date else now

        self.env["distribution.code"].flush_model()
        self.env["distribution.code.binding"].flush_model()
        if any(not is_well_formed(row.values["code"]) for row in creates + updates):
            # codes of a previous system: the scans must look them up although they carry no check character
            self.env["ir.config_parameter"].sudo().set_param(LEGACY_CODES_PARAM, "1")
        if creates:
            # create_uid / write_uid stay empty, as in core's generation of codes: each foreign key
            # is checked row by row (a quarter of the insert time); the import's log says who
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO distribution_code (name, kind, product_id, lot_id, member_id, territory_id, level,
                                                   state, date_sold, company_id, create_date, write_date)
                    SELECT code, 'unit', product, lot, member, territory, level, state, sold, %(company)s,
                           %(now)s, %(now)s
                      FROM unnest(%(codes)s::varchar[], %(products)s::int[], %(lots)s::int[], %(members)s::int[],
                                  %(territories)s::int[], %(levels)s::int[], %(states)s::varchar[],
                                  %(sold)s::timestamp[])
                           AS new(code, product, lot, member, territory, level, state, sold)
                        ON CONFLICT (name) DO NOTHING
                 RETURNING id, name
                    """,
                    company=job.company_id.id,
                    now=now,
                    codes=[row.values["code"] for row in creates],
                    products=[row.refs["product_id"] for row in creates],
                    lots=[row.refs.get("lot_id") for row in creates],
                    members=[row.refs.get("member_id") for row in creates],
                    territories=[row.refs["territory_id"] for row in creates],
                    levels=[row.refs["level"] for row in creates],
                    states=[row.refs["state"] for row in creates],
                    sold=[date_of(row) if row.refs["state"] == "sold" else None for row in creates],
                )
            )
            ids = {name: code_id for code_id, name in self.env.cr.fetchall()}
            for row in creates:
                row.target_id = ids.get(row.values["code"])
                if not row.target_id:  # inserted meanwhile by another transaction
                    row.reject(self.env._("The code %(code)s already exists.", code=row.values["code"]))
        if updates:
            finals = [row.refs["final"] for row in updates]
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE distribution_code c
                       SET member_id = u.member, territory_id = u.territory, level = u.level, state = u.state,
                           lot_id = u.lot,
                           date_sold = CASE WHEN u.state = 'sold' THEN COALESCE(c.date_sold, u.sold) END,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(members)s::int[], %(territories)s::int[], %(levels)s::int[],
                                  %(states)s::varchar[], %(lots)s::int[], %(sold)s::timestamp[])
                           AS u(id, member, territory, level, state, lot, sold)
                     WHERE c.id = u.id
                    """,
                    uid=self.env.uid,
                    now=now,
                    ids=[row.target_id for row in updates],
                    members=[final["member"] for final in finals],
                    territories=[final["territory"] for final in finals],
                    levels=[final["level"] for final in finals],
                    states=[final["state"] for final in finals],
                    lots=[final["lot"] for final in finals],
                    sold=[date_of(row) for row in updates],
                )
            )
        bound = [
            row for row in creates + updates
            if row.target_id and row.refs.get("member_id") and (row.action == "create" or row.refs.get("bind"))
        ]
        if bound:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO distribution_code_binding (code_id, member_id, territory_id, level, date, company_id,
                                                           create_uid, create_date, write_uid, write_date)
                    SELECT code, member, territory, level, date, %(company)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(codes)s::int[], %(members)s::int[], %(territories)s::int[], %(levels)s::int[],
                                  %(dates)s::timestamp[])
                           AS new(code, member, territory, level, date)
                        ON CONFLICT (code_id, level) DO NOTHING
                    """,
                    company=job.company_id.id,
                    uid=self.env.uid,
                    now=now,
                    codes=[row.target_id for row in bound],
                    members=[row.refs["member_id"] for row in bound],
                    territories=[row.refs["territory_id"] for row in bound],
                    levels=[row.refs["level"] for row in bound],
                    dates=[date_of(row) for row in bound],
                )
            )
        self.env["distribution.code"].invalidate_model()
        self.env["distribution.code.binding"].invalidate_model()
