"""How the member import writes, apart from how it resolves and matches the rows
(distribution_import_target_member.py): parents before children, new members with
parameterised SQL (partners, members, their contacts and pricelists), existing ones through
the ORM so that their chatter tracks the change."""

import json
import re

from odoo import api, models
from odoo.tools import SQL, email_normalize, groupby, split_every

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


class DistributionImportTargetMember(models.AbstractModel):
    _inherit = "distribution.import.target.member"

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
