"""Set-based look-ups shared by the import targets: products, members, territories and
tiers by code or name, one query per call whatever the number of rows."""

import unicodedata

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.distribution_core.tools.codes import normalize_code


def normalise_name(text):
    """A name or a path as compared: half-width, lower case, blanks collapsed and
    path parts joined by " / " ("华东/ 浙江" and "华东 / 浙江" are the same)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " / ".join(" ".join(part.split()) for part in text.split("/") if part.strip())


def translations(value):
    """Every translation of a translatable name read with SQL (a dict), or the plain text."""
    if isinstance(value, dict):
        return [text for text in value.values() if text]
    return [value] if value else []


class DistributionImportTarget(models.AbstractModel):
    _inherit = "distribution.import.target"

    @api.model
    def _lookup_products(self, job, codes):
        """{code: tuple of product.product ids} of the products of the job's company (or
        shared) whose internal reference is the code, compared the way core compares
        product codes (half-width, no blanks, case-insensitive); archived ones included."""
        wanted = {normalize_code(code): code for code in codes if code}
        result = {code: () for code in codes if code}
        if not wanted:
            return result
        self.env["product.product"].flush_model(["default_code", "product_tmpl_id"])
        self.env["product.template"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, pp.default_code
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE upper(regexp_replace(pp.default_code, '\\s', '', 'g')) = ANY(%(codes)s)
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
              ORDER BY pp.id
                """,
                codes=list(wanted),
                company=job.company_id.id,
            )
        )
        found = {}
        for product_id, default_code in self.env.cr.fetchall():
            code = wanted.get(normalize_code(default_code))
            if code is not None:
                found.setdefault(code, []).append(product_id)
        for code in result:
            result[code] = tuple(found.get(code, ()))
        return result

    @api.model
    def _lookup_members(self, job, codes):
        """{code: member id or None} of the job's company's members, by their code
        (normalised as core stores it)."""
        wanted = {normalize_code(code): code for code in codes if code}
        result = dict.fromkeys((code for code in codes if code), None)
        if not wanted:
            return result
        self.env["distribution.member"].flush_model(["code", "company_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, code FROM distribution_member WHERE code = ANY(%s) AND company_id = %s",
                list(wanted),
                job.company_id.id,
            )
        )
        for member_id, code in self.env.cr.fetchall():
            result[wanted[code]] = member_id
        return result

    @api.model
    def _lookup_by_code_or_name(self, refs, records):
        """{ref: tuple of ids} for refs naming records [(id, code, names, complete name)]: by
        code first, then by complete name, then by name in any language."""
        by_code, by_path, by_name = {}, {}, {}
        for record_id, code, names, complete_name in records:
            if code:
                by_code.setdefault(normalize_code(code), set()).add(record_id)
            if complete_name:
                by_path.setdefault(normalise_name(complete_name), set()).add(record_id)
            for name in translations(names):
                by_name.setdefault(normalise_name(name), set()).add(record_id)
        result = {}
        for ref in refs:
            if not ref:
                continue
            ids = by_code.get(normalize_code(ref)) or by_path.get(normalise_name(ref)) or by_name.get(
                normalise_name(ref)
            )
            result[ref] = tuple(sorted(ids or ()))
        return result

    @api.model
    def _lookup_territories(self, job, refs):
        """{ref: tuple of territory ids} by code, complete name ("华东 / 浙江") or name."""
        refs = {ref for ref in refs if ref}
        if not refs:
            return {}
        self.env["distribution.territory"].flush_model(["code", "name", "complete_name", "company_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, code, name, complete_name
                  FROM distribution_territory
                 WHERE active AND (company_id IS NULL OR company_id = %s)
                """,
                job.company_id.id,
            )
        )
        return self._lookup_by_code_or_name(refs, self.env.cr.fetchall())

    @api.model
    def _lookup_tiers(self, job, refs):
        """{ref: tuple of tier ids} by code or name (in any language)."""
        refs = {ref for ref in refs if ref}
        if not refs:
            return {}
        self.env["distribution.tier"].flush_model(["code", "name", "company_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, code, name, NULL
                  FROM distribution_tier
                 WHERE active AND (company_id IS NULL OR company_id = %s)
                """,
                job.company_id.id,
            )
        )
        return self._lookup_by_code_or_name(refs, self.env.cr.fetchall())

    @api.model
    def _pick_territory(self, row, found, ref):
        """The territory id ``found`` (from :meth:`_lookup_territories`) gives for the row's
        reference, or None with the row's error: unknown, or several territories of that name."""
        ids = found.get(ref, ())
        if len(ids) == 1:
            return ids[0]
        row.errors.append(
            self.env._("Several territories are named %(ref)s: give its code or complete name.", ref=ref)
            if ids else self.env._("Unknown territory %(ref)s.", ref=ref)
        )
        return None

    @api.model
    def _pick_tier(self, row, found, ref):
        """The tier id ``found`` (from :meth:`_lookup_tiers`) gives for the row's reference, or
        None with the row's error: unknown, or several tiers of that name."""
        ids = found.get(ref, ())
        if len(ids) == 1:
            return ids[0]
        row.errors.append(
            self.env._("Several tiers are named %(ref)s: give its code.", ref=ref)
            if ids else self.env._("Unknown tier %(ref)s.", ref=ref)
        )
        return None

    @api.model
    def _fold_resolved_duplicates(self, job, rows, key_of, label):
        """Rows whose resolved key (``key_of(row)``, None: no key) is the key of an earlier
        row: rejected as duplicates of it, or folded into it (later non-empty values
        win), per the profile's policy for duplicates in the file. For keys the job's
        own check cannot see: composite keys, or codes normalised by the target."""
        merge = job.profile_id.dup_file_policy == "merge"
        first_of = {}
        for row in rows:
            if not row.live:
                continue
            key = key_of(row)
            if key is None:
                continue
            first = first_of.setdefault(key, row)
            if first is row:
                continue
            if merge:
                first.values.update((name, value) for name, value in row.values.items() if value not in (None, ""))
                first.refs.update(row.refs)
                row.action = "merge"
                row.merged_into = first.index
                row.message = self.env._("Merged into row %(row)s.", row=first.index)
            else:
                row.errors.append(
                    self.env._("Duplicate of row %(row)s (same %(field)s).", row=first.index, field=label)
                )
