import functools
import json
import re
from collections import defaultdict, namedtuple

from odoo import api, models
from odoo.tools import SQL, email_normalize, float_compare, groupby, split_every

from ..tools.cleaning import CleaningError, CodeRules
from .import_field import normalise_header

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

_SIMPLE_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

_UNFORMATTED = object()


def _email_normalized(email):
    """What mail's email_normalized computes (email_normalize, not strict), with a fast
    path for plain ASCII addresses, which it only lower-cases."""
    if not email:
        return None
    if _SIMPLE_EMAIL.match(email):
        return email.lower()
    return email_normalize(email, strict=False) or None


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
      existing ones are updated with the ORM (tracked in their chatter).
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

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------
    @api.model
    def _order_for_write(self, job, rows):
        return sorted(rows, key=lambda row: row.refs.get("depth", 0))

    @api.model
    def _write(self, job, rows):
        for _depth, group in groupby(rows, key=lambda row: row.refs.get("depth", 0)):
            group = [row for row in group if not row.errors]
            for row in group:
                parent_row = row.refs.get("parent_row")
                if parent_row is not None and (parent_row.errors or not parent_row.target_id):
                    row.reject(self.env._("Its parent (row %(row)s) is not imported.", row=parent_row.index))
            creates = [row for row in group if row.action == "create" and not row.errors]
            updates = [row for row in group if row.action in ("update", "merge") and not row.errors]
            if creates:
                if self.env.context.get("distribution_import_orm"):
                    self._create_orm(job, creates)
                else:
                    self._create_sql(job, creates)
            if updates:
                self._write_updates(job, updates)
        # a territory counts its members again over all of them at each flush: counted once, after the
        # last batch (see _after_write), instead of once per batch (the territories of a file are
        # touched by all). Only the territories the rows account for are put off: _after_write
        # recounts them from the rows themselves, which outlive the batch's savepoint, its retries
        # and the pre-commit hooks a flush runs (nothing is parked in the transaction's data).
        territories = self._row_territories(rows)
        tocompute = self.env.transaction.tocompute
        for field in self._territory_count_fields():
            ids = tocompute.get(field)
            if ids:
                ids -= territories
                if not ids:
                    del tocompute[field]
        self.env.flush_all()
        self.env.invalidate_all()

    @api.model
    def _territory_count_fields(self):
        Territory = self.env["distribution.territory"]
        return [Territory._fields["member_count"], Territory._fields["covered"]]

    @api.model
    def _row_territories(self, rows):
        """Ids of the territories whose member counts writing these rows may change: the row's
        territory and, for an existing member, the one it had."""
        territories = set()
        for row in rows:
            territories.add(row.refs.get("territory_id"))
            member = row.refs.get("db")
            if member:
                territories.add(member.territory_id)
        territories.discard(None)
        territories.discard(False)
        return territories

    @api.model
    def _after_write(self, job, rows):
        result = super()._after_write(job, rows)
        # every territory a written row touched, whatever happened to the batches: a batch refused
        # and written again in halves, or savepoints that ran pre-commit hooks, lose nothing here
        territories = self.env["distribution.territory"].browse(self._row_territories(rows)).exists()
        if territories:
            for field in self._territory_count_fields():
                self.env.add_to_compute(field, territories)
            self.env.flush_all()
        return result

    @api.model
    def _parent_id(self, row):
        parent_row = row.refs.get("parent_row")
        if parent_row is not None:
            return parent_row.target_id
        if "parent" in row.values:
            return row.refs.get("parent_id")
        member = row.refs.get("db")
        return member.parent_id if member else None

    @api.model
    def _member_vals(self, row, keys):
        """The distribution.member values of the row for these field names."""
        vals = {}
        refs, values = row.refs, row.values
        for key in keys:
            if key == "tier_id":
                vals[key] = refs["tier"].id
            elif key == "parent_id":
                vals[key] = self._parent_id(row) or False
            elif key == "territory_id":
                vals[key] = refs["territory_id"]
            elif key == "state":
                vals[key] = refs["state"]
            elif key == "credit_limit":
                vals[key] = values["credit_limit"]
        state = vals.get("state")
        today = self._today()
        if state in ("active", "suspended", "terminated") and not (refs.get("db") and refs["db"].state != "application"):
            vals["date_activated"] = today
        if state in ("suspended", "terminated"):
            vals[f"date_{state}"] = today
        return vals

    @api.model
    def _create_sql(self, job, rows):
        """Create the members of the rows with one INSERT of companies, their contacts and
        members per chunk of ``_insert_chunk_size`` rows (see ``_bulk_insert_chunks``: the
        database inserts a chunk while the values of the next one are built), computing
        beforehand what the ORM's create of core would, so that nothing is rewritten
        afterwards:

        - partners: commercial partner, complete name, commercial company name, share
          flag, normalised email, sanitised phone (E.164 with the company's country, as
          phone_validation does), language of the contacts (their company's), no
          employee, no salesperson; contacts get the company's tax ID and address (the
          commercial and address sync of ``res.partner``);
        - members: ``parent_path`` from the parents' paths, name and tier sequence
          (related fields), date_applied / date_activated / date_suspended /
          date_terminated by state (core's create), the channel pricelist (core's
          ``_apply_channel_pricelist``, see :meth:`_new_member_pricelists`) on the
          member and, company-dependent, on its partner and contact;
        - ``partner.channel_member_id``: the three INSERTs are one statement, so the
          partner may refer to its member;
        - whatever stored computed field of another module the values above do not
          cover is computed by the ORM on flush (like territory member counts), except
          the peppol fields of account_edi_ubl_cii (derived from the partner's country:
          these partners have none); the partner properties get the defaults of their
          definition (see :meth:`_new_partner_properties`), as the ORM's create gives them.

        No chatter message or follower is created (as with mail_create_nolog and
        mail_create_nosubscribe); core's constraints on parent, tier and exclusive
        territory were checked set-based by ``_resolve`` and ``_match``."""
        Member = self.env["distribution.member"]
        Partner = self.env["res.partner"]
        company = job.company_id
        today = self._today()
        manager = self.env.user.id if not self.env.user.share else None
        contact_rows = [row for row in rows if row.values.get("contact")]
        partner_ids = self._reserve_ids("res.partner", len(rows) + len(contact_rows))
        member_ids = self._reserve_ids("distribution.member", len(rows))
        for row, member_id, partner_id in zip(rows, member_ids, partner_ids, strict=False):
            row.target_id = member_id
            row.refs["partner_id"] = partner_id
        # parents' paths: those of parents created by an earlier batch (kept on their rows), those of
        # parents in this batch (computed below, parents first), else the stored ones (flushed)
        paths = {}
        for row in rows:
            parent_row = row.refs.get("parent_row")
            if parent_row is not None and parent_row.refs.get("parent_path"):
                paths[parent_row.target_id] = parent_row.refs["parent_path"]
        stored_parents = {self._parent_id(row) for row in rows} - {None, False}
        stored_parents -= {row.target_id for row in rows}
        stored_parents -= paths.keys()
        if stored_parents:
            Member.flush_model(["parent_id", "parent_path"])
            self.env.cr.execute(
                SQL("SELECT id, parent_path FROM distribution_member WHERE id = ANY(%s)", list(stored_parents))
            )
            paths.update(self.env.cr.fetchall())
        pricelists = self._new_member_pricelists(
            company, {(row.refs["tier"].id, row.refs.get("territory_id")) for row in rows}
        )
        extra = {}  # stored computed fields of optional modules, as their computes would set them
        if "employee" in Partner._fields:
            extra["employee"] = False
        if "properties" in Partner._fields:
            extra["properties"] = self._new_partner_properties()
        sanitize = "phone_sanitized" in Partner._fields
        country = company.country_id
        lang = Partner.default_get(["lang"]).get("lang")
        contact_lang = lang or self.env.lang
        for row, contact_id in zip(contact_rows, partner_ids[len(rows):], strict=True):
            row.refs["contact_id"] = contact_id
        # everything read from the database or the ORM is read here: the values are built below
        # while the database inserts the previous chunk (see _bulk_insert_chunks); formatting
        # phones there only reads the country's code and calling code, read now
        phones = {}
        if sanitize and country:
            country.fetch(["code", "phone_code"])

        def sanitized(phone):
            number = phones.get(phone, _UNFORMATTED)
            if number is _UNFORMATTED:
                number = phones[phone] = Partner._phone_format_number(
                    phone, country, force_format="E164", raise_exception=False
                ) or None
            return number

        company_id = company.id

        def chunks():
            for chunk in split_every(self._insert_chunk_size, rows, list):
                companies, contacts, members = [], [], []
                for row in chunk:
                    values, refs = row.values, row.refs
                    name, email, phone = values["name"], values.get("email"), values.get("phone")
                    partner_id = refs["partner_id"]
                    tier, territory_id = refs["tier"], refs.get("territory_id")
                    pricelist = pricelists.get((tier.id, territory_id))
                    refs["pricelist"] = pricelist and json.dumps({str(company_id): pricelist})
                    vals = {
                        "name": name,
                        "is_company": True,
                        "vat": values.get("vat"),
                        "phone": phone,
                        "email": email,
                        "street": values.get("street"),
                        "city": values.get("city"),
                        "commercial_partner_id": partner_id,
                        "complete_name": name,
                        "commercial_company_name": name,
                        "partner_share": True,
                        "email_normalized": _email_normalized(email),
                        "channel_member_id": row.target_id,  # inserted in the same statement
                        "lang": lang,
                        "user_id": None,
                        "company_registry": None,
                        "specific_property_product_pricelist": refs["pricelist"],
                        **extra,
                    }
                    if sanitize:
                        vals["phone_sanitized"] = sanitized(phone) if phone else None
                    companies.append(vals)
                    parent_id = self._parent_id(row) or None
                    path = f"{paths[parent_id] if parent_id else ''}{row.target_id}/"
                    paths[row.target_id] = refs["parent_path"] = path
                    state = refs.get("state") or "active"
                    members.append(
                        {
                            "partner_id": partner_id,
                            "code": values["code"],
                            "name": name,
                            "tier_id": tier.id,
                            "tier_sequence": tier.seq,
                            "parent_id": parent_id,
                            "parent_path": path,
                            "territory_id": territory_id,
                            "manager_id": manager,
                            "company_id": company_id,
                            "state": state,
                            "date_applied": today,
                            "date_activated": today if state != "application" else None,
                            "date_suspended": today if state == "suspended" else None,
                            "date_terminated": today if state == "terminated" else None,
                            "credit_limit": values.get("credit_limit") or 0.0,
                            "pricelist_id": pricelist,
                        }
                    )
                    if not values.get("contact"):
                        continue
                    vals = {
                        "name": values["contact"],
                        "parent_id": partner_id,
                        "is_company": False,
                        "type": "contact",
                        # commercial and address fields synchronised from the company, as the ORM does
                        "vat": values.get("vat"),
                        "street": values.get("street"),
                        "city": values.get("city"),
                        "commercial_partner_id": partner_id,
                        "complete_name": f"{name}, {values['contact']}",
                        "commercial_company_name": name,
                        "partner_share": True,
                        "email_normalized": None,
                        "channel_member_id": None,
                        "lang": contact_lang,
                        "user_id": None,
                        "company_registry": None,
                        "specific_property_product_pricelist": refs["pricelist"],
                        **extra,
                    }
                    if sanitize:
                        vals["phone_sanitized"] = None
                    contacts.append(vals)
                yield [
                    (companies, [row.refs["partner_id"] for row in chunk]),
                    (contacts, [row.refs["contact_id"] for row in chunk if row.values.get("contact")]),
                    (members, [row.target_id for row in chunk]),
                ]

        skip = ("parent_id", "tier_id", "territory_id", "state")
        self._bulk_insert_chunks(
            [
                ("res.partner", ()),
                # a contact under a company inserted with it cannot close a cycle of parents
                ("res.partner", ("parent_id",)),
                ("distribution.member", skip),
            ],
            chunks(),
        )

    @api.model
    def _new_partner_properties(self):
        """The partner properties (``properties``) the ORM's create gives every new partner, as
        stored: the default values of the properties defined for partners (None without any
        default). Computed once per batch, the same for every partner."""
        # sudo: the definition is read as the ORM's compute reads it (the importer may not read it)
        Partner = self.env["res.partner"].sudo()
        field = Partner._fields["properties"]
        if field.type != "properties" or not field.definition_record:
            return None
        container = Partner.new({})[field.definition_record]
        values = field._add_default_values(Partner.env, {field.name: {}, field.definition_record: container})
        values = field.convert_to_cache(values, Partner.browse()) if values else None
        return field.convert_to_column(values, Partner.browse()) if values else None  # (as the ORM: {} is NULL)

    @api.model
    def _new_member_pricelists(self, company, combos):
        """{(tier id, territory id): pricelist id or None} for new members of the company.

        Mirrors ``distribution.pricelist.rule._pricelists_for_members`` (the same rules,
        the same order of preference, the tier's pricelist as fallback) for members that
        have no rule of their own, as a new member cannot have one yet: one search for
        the whole batch instead of a write per member."""
        Rule = self.env["distribution.pricelist.rule"].sudo()
        date = self._today()
        tier_ids = list({tier_id for tier_id, _t in combos})
        rules = Rule.search(
            [
                ("company_id", "=", company.id),
                "|", ("date_start", "=", False), ("date_start", "<=", date),
                "|", ("date_end", "=", False), ("date_end", ">=", date),
                ("member_id", "=", False),
                "|", ("tier_id", "=", False), ("tier_id", "in", tier_ids),
            ]
        )
        tiers = {tier.id: tier for tier in self.env["distribution.tier"].sudo().browse(tier_ids)}
        territories = self.env["distribution.territory"].sudo().browse(list({t for _tier, t in combos if t}))
        chains = {t.id: {int(i) for i in (t.parent_path or "").split("/") if i} for t in territories}
        result = {}
        for tier_id, territory_id in combos:
            chain = chains.get(territory_id, set())
            best, best_key = None, None
            for rule in rules:
                if rule.tier_id and rule.tier_id.id != tier_id:
                    continue
                if rule.territory_id and rule.territory_id.id not in chain:
                    continue
                territory_depth = (rule.territory_id.parent_path or "").count("/")
                key = (rule.priority, False, territory_depth, bool(rule.tier_id), -rule.sequence, -rule.id)
                if best_key is None or key > best_key:
                    best, best_key = rule, key
            pricelist = best.pricelist_id if best else tiers[tier_id].pricelist_id
            result[(tier_id, territory_id)] = pricelist.id or None
        return result

    @api.model
    def _create_orm(self, job, rows):
        """The same as :meth:`_create_sql` with the ORM's create (slower: kept for
        comparison and measured by the timing script)."""
        Partner = self.env["res.partner"].with_context(tracking_disable=True, mail_notrack=True)
        partners = Partner.create(
            [
                {
                    "name": row.values["name"],
                    "is_company": True,
                    "vat": row.values.get("vat"),
                    "phone": row.values.get("phone"),
                    "email": row.values.get("email"),
                    "street": row.values.get("street"),
                    "city": row.values.get("city"),
                }
                for row in rows
            ]
        )
        contact_rows = [(row, partner) for row, partner in zip(rows, partners, strict=True) if row.values.get("contact")]
        if contact_rows:
            Partner.create([{"name": row.values["contact"], "parent_id": partner.id} for row, partner in contact_rows])
        members = self.env["distribution.member"].with_context(tracking_disable=True, mail_notrack=True).create(
            [
                {
                    "partner_id": partner.id,
                    "code": row.values["code"],
                    "tier_id": row.refs["tier"].id,
                    "parent_id": self._parent_id(row) or False,
                    "territory_id": row.refs.get("territory_id") or False,
                    "company_id": job.company_id.id,
                    "state": row.refs.get("state") or "active",
                    "credit_limit": row.values.get("credit_limit") or 0.0,
                }
                for row, partner in zip(rows, partners, strict=True)
            ]
        )
        for row, member in zip(rows, members, strict=True):
            row.target_id = member.id

    @api.model
    def _write_updates(self, job, rows):
        """Update existing members with the ORM (their chatter tracks the changes)."""
        Member = self.env["distribution.member"]
        Partner = self.env["res.partner"]
        members = Member.browse([row.target_id for row in rows])
        members.mapped("partner_id")  # prefetch
        new_contacts = []
        for row, member in zip(rows, members, strict=True):
            member_keys, partner_vals, contact = row.refs["changes"]
            if partner_vals:
                member.partner_id.write(partner_vals)
            if member_keys:
                member.write(self._member_vals(row, member_keys))
            if contact is not None:
                stored = row.refs["db"]
                if stored.contact_id:
                    Partner.browse(stored.contact_id).write({"name": contact})
                else:
                    new_contacts.append({"name": contact, "parent_id": member.partner_id.id})
        if new_contacts:
            Partner.create(new_contacts)
