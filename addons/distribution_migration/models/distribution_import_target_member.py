import functools
from collections import defaultdict, namedtuple

from odoo import api, models
from odoo.tools import SQL, float_compare

from ..tools.cleaning import CleaningError, CodeRules
from .distribution_import_field import normalise_header

#: member states as legacy files write them (compared lower-case, blanks removed)
STATE_WORDS = {
    "active": "active",
    "application": "application",
    "suspended": "suspended",
    "terminated": "terminated",
    "正常": "active",
    "启用": "active",
    "有效": "active",
    "合作中": "active",
    "在用": "active",
    "申请": "application",
    "申请中": "application",
    "待审核": "application",
    "待审批": "application",
    "暂停": "suspended",
    "冻结": "suspended",
    "停用": "suspended",
    "终止": "terminated",
    "已终止": "terminated",
    "解约": "terminated",
    "注销": "terminated",
}
PARTNER_KEYS = ("name", "vat", "phone", "email", "street", "city")
MEMBER_KEYS = ("tier_id", "parent_id", "territory_id", "state", "credit_limit")


#: a member as stored, with what the import compares
DbMember = namedtuple(
    "DbMember",
    "id code partner_id tier_id tier_seq parent_id parent_path territory_id state credit_limit "
    "name vat phone email street city contact_id contact_name",
)
Tier = namedtuple("Tier", "id seq exclusive")


class DistributionImportTargetMember(models.AbstractModel):
    """Channel members: a company (res.partner) and its distribution.member, keyed by
    the normalised member code.

    - tier by name (any installed language) or code; territory by code, complete
      name or (unique) name; parent by member code, in the database or anywhere in
      the file (order does not matter: rows are written parents first); a parent
      cycle, an unknown parent or a parent of a tier not higher than the member's
      rejects the row, and so does a row whose parent row is rejected;
    - the checks of core's constraints are made set-based before anything is
      written: unique code, tax ID registered for one member only, parent of a
      higher tier, no cycle, exclusive territories of the tier;
    - new members are created with parameterised SQL (see :meth:`_create_sql`);
      existing ones are updated with the ORM (tracked in their chatter): the writing
      is in distribution_import_target_member_write.py.
    """

    _name = "distribution.import.target.member"
    _inherit = "distribution.import.target"
    _description = "Import Target: Channel Members"
    _target_models = ("res.partner", "distribution.member")
    _insert_empty_computes = {"res.partner": ("peppol_eas", "peppol_endpoint")}
    #: members inserted per statement within a batch: the values of the next chunk are built
    #: while the database inserts one (about a second per 5,000 members, mostly foreign-key checks)
    _insert_chunk_size = 1000

    @api.model
    def _secondary_keys(self):
        return ("vat", "phone")

    @api.model
    def _code_rules(self, job, field, rules):
        """Member codes (the key and the parent's) are cleaned by core's normaliser, upper case and
        half-width whatever the profile's case: core stores codes so and compares them without
        case, so a code kept in lower case would become a twin of the one core would create.
        The profile's prefixes and zero padding still apply."""
        return CodeRules.make(case="upper", halfwidth=True, pad_width=rules.pad_width, prefix_map=rules.prefix_map)

    # ------------------------------------------------------------------
    # Resolve
    # ------------------------------------------------------------------
    @api.model
    def _resolve(self, job, rows):
        if not rows:
            return
        _ = self.env._
        company = job.company_id
        self.env.flush_all()
        tier_ids = self._lookup_tiers(job, {row.values.get("tier") for row in rows})
        territories = self._lookup_territories(job, {row.values.get("territory") for row in rows})
        tiers = {
            tier.id: Tier(tier.id, tier.sequence, tier.exclusive_territory)
            for tier in self.env["distribution.tier"].browse({id_ for ids in tier_ids.values() for id_ in ids})
        }
        by_code = {row.values["code"]: row for row in rows}
        parent_codes = {row.values["parent"] for row in rows if row.values.get("parent")}
        db = self._fetch_members(company, codes=set(by_code) | parent_codes)
        normalised = functools.lru_cache(maxsize=4096)(normalise_header)  # states repeat
        for row in rows:
            values, refs = row.values, row.refs
            refs["db"] = db.get(values["code"])
            if "tier" in values:
                tier_id = self._pick_tier(row, tier_ids, values["tier"])
                if tier_id:
                    refs["tier"] = tiers[tier_id]
            if "territory" in values:
                territory_id = self._pick_territory(row, territories, values["territory"])
                if territory_id:
                    refs["territory_id"] = territory_id
            if "state" in values:
                state = STATE_WORDS.get(normalised(values["state"]))
                if state:
                    refs["state"] = state
                else:
                    row.errors.append(_("Unknown member status %(state)s.", state=values["state"]))
            parent_code = values.get("parent")
            if parent_code:
                if parent_code == values["code"]:
                    row.errors.append(_("A member cannot be its own parent."))
                elif parent_code in by_code:
                    refs["parent_row"] = by_code[parent_code]
                elif parent_code in db:
                    refs["parent_id"] = db[parent_code].id
                else:
                    row.errors.append(_("Unknown parent member %(code)s.", code=parent_code))
        ancestors = self._fetch_ancestors(db)
        self._check_cycles(rows, by_code, db, ancestors)
        self._check_tiers(rows, db, ancestors)
        self._compute_depths(rows)

    @api.model
    def _fetch_members(self, company, codes=None, ids=None):
        """{code: DbMember} of the company's members with these codes (or ids): one query."""
        # codes compared without case, as core does (its unique index is on upper(code))
        condition = SQL("upper(m.code) = ANY(%s)", list(codes)) if codes is not None else SQL("m.id = ANY(%s)", list(ids))
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.code, m.partner_id, m.tier_id, t.sequence, m.parent_id, m.parent_path,
                       m.territory_id, m.state, m.credit_limit,
                       p.name, p.vat, p.phone, p.email, p.street, p.city, c.id, c.name
                  FROM distribution_member m
                  JOIN distribution_tier t ON t.id = m.tier_id
                  JOIN res_partner p ON p.id = m.partner_id
             LEFT JOIN LATERAL (
                        SELECT id, name FROM res_partner c
                         WHERE c.parent_id = p.id AND c.type = 'contact' AND c.active
                      ORDER BY c.id LIMIT 1
                       ) c ON TRUE
                 WHERE m.company_id = %s AND %s
                """,
                company.id,
                condition,
            )
        )
        result = {}
        for record in self.env.cr.fetchall():
            member = DbMember(*record[:9], float(record[9] or 0.0), *record[10:])
            result[member.code.upper()] = member
        return result

    @api.model
    def _fetch_ancestors(self, db):
        """{id: (code, parent_id, tier sequence)} of the stored members in ``db`` and all their ancestors."""
        ids = {int(i) for member in db.values() for i in (member.parent_path or "").split("/") if i}
        ids |= {member.id for member in db.values()}
        if not ids:
            return {}
        self.env.cr.execute(
            SQL(
                """SELECT m.id, m.code, m.parent_id, t.sequence FROM distribution_member m
                   JOIN distribution_tier t ON t.id = m.tier_id WHERE m.id = ANY(%s)""",
                list(ids),
            )
        )
        return {id_: (code, parent_id, seq) for id_, code, parent_id, seq in self.env.cr.fetchall()}

    @api.model
    def _check_cycles(self, rows, by_code, db, ancestors):
        """Reject the rows whose parent chain (the file's parents over the stored ones) loops."""
        code_of = {id_: code for id_, (code, _p, _s) in ancestors.items()}
        stored_parent = {code: code_of.get(parent_id) for code, parent_id, _s in ancestors.values()}

        def parent_of(code):
            row = by_code.get(code)
            if row is not None and "parent" in row.values:
                return row.values["parent"] if not row.errors else None
            return stored_parent.get(code)

        safe = set()
        for row in rows:
            if row.errors or not row.values.get("parent"):
                continue
            path, on_path, code = [], set(), row.values["code"]
            while code is not None and code not in safe:
                if code in on_path:
                    cycle = path[path.index(code):]
                    text = " → ".join([*cycle, code])
                    for member_code in cycle:
                        cycle_row = by_code.get(member_code)
                        if cycle_row is not None and not cycle_row.errors:
                            cycle_row.errors.append(self.env._("Parent cycle: %(cycle)s.", cycle=text))
                    break
                path.append(code)
                on_path.add(code)
                code = parent_of(code)
            safe.update(path)

    @api.model
    def _check_tiers(self, rows, db, ancestors):
        """A member sits under a member of a higher tier (a lower sequence), and a
        member changing tier stays above its stored sub-members."""
        _ = self.env._
        changing = {}
        for row in rows:
            if row.errors:
                continue
            tier = row.refs.get("tier")
            member = row.refs["db"]
            seq = tier.seq if tier else (member.tier_seq if member else None)
            if seq is None:
                continue
            parent_row = row.refs.get("parent_row")
            if parent_row is not None:
                parent_tier = parent_row.refs.get("tier")
                parent_member = parent_row.refs.get("db")
                parent_seq = parent_tier.seq if parent_tier else (parent_member.tier_seq if parent_member else None)
                parent_name = parent_row.values["code"]
            else:
                parent_id = row.refs.get("parent_id") or (member.parent_id if member and "parent" not in row.values
                                                           else None)
                parent_seq = ancestors[parent_id][2] if parent_id in ancestors else None
                parent_name = ancestors[parent_id][0] if parent_id in ancestors else ""
            if parent_seq is not None and parent_seq >= seq:
                row.errors.append(
                    _("Parent %(parent)s is not of a higher tier than this member.", parent=parent_name)
                )
            if member and tier and tier.id != member.tier_id:
                changing[member.id] = (row, seq)
        if not changing:
            return
        in_file = {row.values["code"] for row in rows}
        self.env.cr.execute(
            SQL(
                """SELECT m.parent_id, m.code, t.sequence FROM distribution_member m
                   JOIN distribution_tier t ON t.id = m.tier_id WHERE m.parent_id = ANY(%s)""",
                list(changing),
            )
        )
        for parent_id, code, child_seq in self.env.cr.fetchall():
            row, seq = changing[parent_id]
            if code not in in_file and child_seq <= seq and not row.errors:
                row.errors.append(
                    _("Its sub-member %(child)s would not be of a lower tier any more.", child=code)
                )

    @api.model
    def _compute_depths(self, rows):
        """refs["depth"]: how many parents of the row are rows of the file."""
        for row in rows:
            chain, node = [], row
            while node is not None and "depth" not in node.refs and node not in chain:
                chain.append(node)
                node = node.refs.get("parent_row")
            depth = node.refs["depth"] + 1 if node is not None and "depth" in node.refs else 0
            for node in reversed(chain):
                node.refs["depth"] = depth
                depth += 1

    # ------------------------------------------------------------------
    # Match
    # ------------------------------------------------------------------
    @api.model
    def _match(self, job, rows):
        if not rows:
            return
        _ = self.env._
        company = job.company_id
        merge = job.profile_id.dup_db_policy == "merge"
        by_vat, by_phone, code_of = self._secondary_index(job)
        new_member, no_change = _("New member."), _("No change.")
        candidates = {}
        for row in rows:
            member = row.refs["db"]
            vat, phone = row.values.get("vat"), row.values.get("phone")
            if member:
                others = by_vat.get(vat, set()) - {member.id} if vat else set()
                if others:
                    row.errors.append(
                        _("Tax ID %(vat)s is already registered for member %(member)s.",
                          vat=vat, member=code_of[min(others)])
                    )
                continue
            found = (by_vat.get(vat, set()) if vat else set()) | (by_phone.get(phone, set()) if phone else set())
            if not found:
                if "tier" not in row.refs:
                    row.errors.append(_("A new member needs a tier."))
                if not row.values.get("name"):
                    row.errors.append(_("A new member needs a name."))
                if not row.errors:
                    row.action, row.message = "create", new_member
            elif len(found) > 1:
                row.errors.append(
                    _("Tax ID or phone matches several members: %(members)s.",
                      members=", ".join(sorted(code_of[id_] for id_ in found)))
                )
            elif not merge:
                row.errors.append(
                    _("Same tax ID or phone as member %(member)s.", member=code_of[next(iter(found))])
                )
            else:
                candidates[row] = next(iter(found))
        merged = self._fetch_members(company, ids=set(candidates.values())) if candidates else {}
        merged_by_id = {member.id: member for member in merged.values()}
        for row, member_id in candidates.items():
            row.refs["db"] = merged_by_id[member_id]
            row.refs["merged"] = True
        for row in rows:
            member = row.refs["db"]
            if row.errors or not member:
                continue
            row.target_id = member.id
            changes = self._changes(row, member)
            row.refs["changes"] = changes
            if row.refs.get("merged"):
                if any(changes):
                    row.action = "merge"
                    row.message = _("Merged into member %(member)s (same tax ID or phone).", member=member.code)
                else:  # merged by an earlier import: nothing left to do
                    row.action = "unchanged"
                    row.message = _("Same as member %(member)s: no change.", member=member.code)
            elif any(changes):
                row.action, row.message = "update", _("Updates member %(member)s.", member=member.code)
            else:
                row.action, row.message = "unchanged", no_change
        while self._reject_orphans(rows) + self._check_exclusive_territories(job, rows):
            pass

    @api.model
    def _secondary_index(self, job):
        """({tax ID: member ids}, {phone: member ids}, {member id: code}) of the company's
        members, their stored values normalised the way the file's are."""
        field_model = self.env["distribution.import.field"]
        cleaners = {}
        for key in ("vat", "phone"):
            field = field_model.search([("target", "=", "member"), ("key", "=", key)], limit=1)
            cleaners[key] = job._cleaner(field) if field else str.strip
        self.env.cr.execute(
            SQL(
                """SELECT m.id, m.code, p.vat, p.phone FROM distribution_member m
                   JOIN res_partner p ON p.id = m.partner_id WHERE m.company_id = %s""",
                job.company_id.id,
            )
        )
        by_vat, by_phone, code_of = defaultdict(set), defaultdict(set), {}
        for member_id, code, vat, phone in self.env.cr.fetchall():
            code_of[member_id] = code
            for index, key, value in ((by_vat, "vat", vat), (by_phone, "phone", phone)):
                if value and value.strip():
                    try:
                        value = cleaners[key](value)
                    except CleaningError:
                        value = value.strip()
                    index[value].add(member_id)
        return by_vat, by_phone, code_of

    @api.model
    def _changes(self, row, member):
        """(member field names, {partner field: value}, contact name or None) that the row changes."""
        values, refs = row.values, row.refs
        member_keys = []
        if "tier" in refs and refs["tier"].id != member.tier_id:
            member_keys.append("tier_id")
        if "parent" in values:
            parent_row = refs.get("parent_row")
            if parent_row is not None:
                parent_member = parent_row.refs.get("db")
                if parent_member is None or parent_member.id != member.parent_id:
                    member_keys.append("parent_id")
            elif refs.get("parent_id") != member.parent_id:
                member_keys.append("parent_id")
        if "territory_id" in refs and refs["territory_id"] != member.territory_id:
            member_keys.append("territory_id")
        if "state" in refs and refs["state"] != member.state:
            member_keys.append("state")
        if "credit_limit" in values and float_compare(values["credit_limit"], member.credit_limit, 2):
            member_keys.append("credit_limit")
        partner_vals = {
            key: values[key] for key in PARTNER_KEYS if key in values and values[key] != (getattr(member, key) or "")
        }
        contact = values.get("contact")
        if contact is not None and contact == (member.contact_name or ""):
            contact = None
        return member_keys, partner_vals, contact

    @api.model
    def _reject_orphans(self, rows):
        """Reject the rows whose parent row is rejected; the number rejected."""
        count = 0
        for row in sorted(rows, key=lambda r: r.refs.get("depth", 0)):
            parent_row = row.refs.get("parent_row")
            if not row.errors and parent_row is not None and parent_row.errors:
                row.reject(self.env._("Its parent (row %(row)s) is rejected.", row=parent_row.index))
                count += 1
        return count

    @api.model
    def _check_exclusive_territories(self, job, rows):
        """Reject the active or suspended rows of an exclusive tier whose territory overlaps
        (contains or lies within) the territory of another member of that tier, stored or
        earlier in the file; the number rejected."""
        exclusive_tiers = {
            tier.id for tier in self.env["distribution.tier"].with_context(active_test=False).search(
                [("exclusive_territory", "=", True)]
            )
        }
        claims = []
        for row in rows:
            if row.errors:
                continue
            member = row.refs["db"]
            tier = row.refs["tier"].id if "tier" in row.refs else member.tier_id
            territory = row.refs.get("territory_id") or (member.territory_id if member else None)
            state = row.refs.get("state") or (member.state if member else "active")
            if territory and tier in exclusive_tiers and state in ("active", "suspended"):
                claims.append((row, tier, territory))
        if not claims:
            return 0
        in_file = {row.refs["db"].id for row in rows if row.refs["db"] and not row.errors}
        self.env.cr.execute(
            SQL(
                """SELECT m.id, m.code, m.tier_id, m.territory_id FROM distribution_member m
                    WHERE m.company_id = %s AND m.state IN ('active', 'suspended') AND m.tier_id = ANY(%s)
                      AND m.territory_id IS NOT NULL""",
                job.company_id.id,
                list({tier for _row, tier, _t in claims}),
            )
        )
        taken = {}
        for member_id, code, tier, territory in self.env.cr.fetchall():
            if member_id not in in_file:
                taken.setdefault((tier, territory), (code, member_id))
        paths = self._territory_paths()
        related_cache = {}
        count = 0
        for row, tier, territory in claims:
            related = related_cache.get(territory)
            if related is None:
                path = paths.get(territory, "")
                related = {int(i) for i in path.split("/") if i}
                related |= {tid for tid, other in paths.items() if other.startswith(path)} if path else set()
                related_cache[territory] = related
            member_id = row.refs["db"].id if row.refs["db"] else None
            clash = next(
                (taken[(tier, t)][0] for t in related
                 if (tier, t) in taken and (member_id is None or taken[(tier, t)][1] != member_id)),
                None,
            )
            if clash:
                row.reject(
                    self.env._(
                        "The territory is exclusive for this tier and overlaps the territory of %(other)s.",
                        other=clash,
                    )
                )
                count += 1
            else:
                taken.setdefault((tier, territory), (self.env._("row %(row)s", row=row.index), member_id))
        return count

    @api.model
    def _territory_paths(self):
        territories = self.env["distribution.territory"].with_context(active_test=False).search([])
        return {territory.id: territory.parent_path or "" for territory in territories}
