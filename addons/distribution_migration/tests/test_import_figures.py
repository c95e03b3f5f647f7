from unittest.mock import patch

import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.distribution_core.tools.codes import normalize_code

from ..tools.cleaning import CodeRules, clean_code
from .common import MigrationCommon

#: stored fields that differ between any two records, whoever creates them
_OWN = {"id", "create_date", "create_uid", "write_date", "write_uid"}


@tagged("post_install", "-at_install")
class TestImportFigures(MigrationCommon):
    """What an import leaves behind equals what the ORM would have: every stored field of the
    member, its company and its contact, and the territories' figures whatever happens to the
    batches."""

    def _store(self, code, name, vat=None, territory=None, state="active"):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "vat": vat})
        return self.env["distribution.member"].create({
            "partner_id": partner.id, "code": code, "tier_id": self.tier_st.id, "parent_id": self.rd.id,
            "territory_id": (territory or self.terr_hz).id, "state": state,
        })

    def assertTerritoryFigures(self, expected):
        """Stored member counts and coverage of the territories equal a count of their active members
        (and the numbers expected)."""
        Member = self.env["distribution.member"]
        self.env.invalidate_all()
        for territory, count in expected.items():
            actual = Member.search_count([("territory_id", "=", territory.id), ("state", "=", "active")])
            self.assertEqual(actual, count, f"{territory.name}: active members")
            self.assertEqual((territory.member_count, territory.covered), (count, bool(count)),
                             f"{territory.name}: stored figures")

    # ------------------------------------------------------------------
    # Territory figures
    # ------------------------------------------------------------------
    def test_territory_figures_after_merges_updates_and_a_refused_batch(self):
        """Updates (a member moved, a member suspended), a merge (a new code with a stored member's tax
        ID, moving it), creations, a batch the database refuses and writes again in halves, and a
        pre-commit hook registered in every batch (as mail tracking or base_vat do): the territories'
        counts and coverage are right at the end (they were parked in the transaction's pre-commit
        data before, which the batches' savepoints emptied: every territory stayed at its old count)."""
        moved = self._store("F-MOVE", "Moving store")
        self._store("F-SUSP", "Suspended store")
        merged = self._store("F-MERGE", "Merged store", vat="91330100FMERGE001X")
        self._store("F-STAY", "Staying store", territory=self.terr_js)
        self.assertTerritoryFigures({self.terr_hz: 3, self.terr_js: 1, self.terr_zj: 1, self.terr_east: 1})
        rows = [
            ["code", "name", "tier", "parent", "territory", "vat", "status"],
            ["F-MOVE", "Moving store", "MST", "MIG-RD", "MJS", "", "正常"],  # update: Hangzhou -> Jiangsu
            ["F-SUSP", "Suspended store", "MST", "MIG-RD", "MHZ", "", "暂停"],  # update: suspended
            ["F-NEW-M", "Merged store", "MST", "MIG-RD", "MJS", "91330100FMERGE001X", "正常"],  # merge: -> Jiangsu
        ] + [[f"F-N{i}", f"New store {i}", "MST", "MIG-RD", "MHZ" if i % 2 else "MJS", "", "正常"] for i in range(1, 9)]
        Member = self.env["distribution.member"]
        Target = type(self.env["distribution.import.target.member"])
        Job = type(self.env["distribution.import.job"])
        write = Target._write

        def take_codes(target, job, rows_):
            # two codes taken meanwhile: their batch is refused, then written again in halves
            for code in ("F-N3", "F-N6"):
                Member.create({
                    "partner_id": self.env["res.partner"].create({"name": f"Other {code}", "is_company": True}).id,
                    "code": code, "tier_id": self.tier_st.id, "territory_id": self.terr_zj.id, "state": "active",
                })
            self.env.flush_all()

        def write_with_hook(target, job, batch):
            target.env.cr.precommit.add(lambda: None)  # run (and emptied) by the batch's savepoint
            return write(target, job, batch)

        with patch.object(Target, "_before_write", take_codes, create=True), \
                patch.object(Target, "_write", write_with_hook), patch.object(Job, "_import_batch_size", 4):
            job = self._import(self._csv(rows))
        self.assertEqual(self._counts(job), {"read": 11, "create": 6, "update": 2, "unchanged": 0, "merge": 1,
                                             "reject": 2}, self._reasons(job))
        self.assertEqual(sorted(self._reasons(job)), [7, 10])
        self.assertEqual((moved.territory_id, merged.territory_id), (self.terr_js, self.terr_js))
        # Hangzhou: 3 - moved - suspended - merged + F-N1, N5, N7 (N3 refused) = 3
        # Jiangsu: 1 + moved + merged + F-N2, N4, N8 (N6 refused) = 6; Zhejiang: the RD + the 2 taken codes
        self.assertTerritoryFigures({self.terr_hz: 3, self.terr_js: 6, self.terr_zj: 3, self.terr_east: 1})

    def test_territory_figures_when_a_whole_file_is_refused_then_imported(self):
        """A batch refused down to single rows leaves the counts as they were; the same file imported
        again afterwards counts its members."""
        rows = [["code", "name", "tier", "territory"], ["F-A", "Store A", "MST", "MJS"], ["F-B", "Store B", "MST", "MJS"]]
        Target = type(self.env["distribution.import.target.member"])

        def refuse(target, job, batch):
            raise ValueError("refused by the test")

        with patch.object(Target, "_write", refuse):
            job = self._import(self._csv(rows))
        self.assertEqual(job.rows_reject, 2)
        self.assertTerritoryFigures({self.terr_js: 0})
        job = self._import(self._csv(rows))
        self.assertEqual(job.rows_create, 2)
        self.assertTerritoryFigures({self.terr_js: 2})

    # ------------------------------------------------------------------
    # Codes
    # ------------------------------------------------------------------
    def test_one_code_normaliser_for_core_and_migration(self):
        """The migration cleans codes with core's normaliser; member codes end in core's form (upper
        case) whatever the profile's case, so that no twin differing only in case can exist."""
        for text in (" ｓｔ－０９ ｈｚ ", "Kh 0\t01", "abc", "ＡＢＣ１２３"):
            self.assertEqual(clean_code(text, CodeRules.make()), normalize_code(text))
        self.profile.code_case = "keep"
        job = self._import(self._csv([["code", "name", "tier", "parent"], ["mig-low1", "Lower store", "MST", "mig-rd"]]))
        self.assertEqual(job.rows_create, 1, self._reasons(job))
        member = self._member("MIG-LOW1")
        self.assertEqual((member.code, member.parent_id), ("MIG-LOW1", self.rd))
        # core refuses the same code in another case, naming the member ...
        with self.assertRaisesRegex(ValidationError, "The code MIG-LOW1 is already used by member Lower store"):
            self.env["distribution.member"].create({
                "partner_id": self.env["res.partner"].create({"name": "Twin", "is_company": True}).id,
                "code": "Mig-Low1", "tier_id": self.tier_st.id,
            })
        # ... and so does the database, whoever writes (the unique index is on upper(code))
        with self.assertRaisesRegex(psycopg2.IntegrityError, "distribution_member_code_upper_unique"), \
                self.env.cr.savepoint():
            self.env.cr.execute("UPDATE distribution_member SET code = 'mig-rd' WHERE id = %s", [member.id],
                                log_exceptions=False)
        # a lower-case profile, the key in another case: the same member, updated
        self.profile.code_case = "lower"
        job = self._import(self._csv([["code", "name", "tier"], ["Mig-Low1", "Renamed store", "MST"]]))
        self.assertEqual(self._counts(job)["update"], 1, self._reasons(job))
        self.assertEqual(member.name, "Renamed store")
        self.assertEqual(self.env["distribution.member"].search_count([("code", "=ilike", "mig-low1")]), 1)

    # ------------------------------------------------------------------
    # Field by field
    # ------------------------------------------------------------------
    def _snapshot(self, member, prefix):
        """Every stored field of the member, its company and its contact, with this twin's own
        values (its prefix in texts, its records' ids) replaced by what the other twin has."""
        partner = member.partner_id
        contact = partner.child_ids
        self.assertEqual(len(contact), 1)
        roles = {("distribution.member", member.id): "member", ("res.partner", partner.id): "company",
                 ("res.partner", contact.id): "contact"}
        snapshot = {}
        for role, record in (("member", member), ("company", partner), ("contact", contact)):
            for name, field in record._fields.items():
                if not field.store or name in _OWN:
                    continue
                if field.type == "properties":
                    self.env.cr.execute(f'SELECT "{name}" FROM "{record._table}" WHERE id = %s', [record.id])
                    value = self.env.cr.fetchone()[0]
                elif name == "parent_path":
                    value = record.parent_path.replace(f"{member.id}/", "member/")
                else:
                    value = record[name]
                    if field.relational:
                        value = sorted(str(roles.get((r._name, r.id), r.id)) for r in value)
                    elif field.type == "datetime":
                        value = bool(value)  # set at the moment of creation
                    elif isinstance(value, str):
                        value = value.replace(prefix, "<twin>")
                snapshot[f"{role}.{name}"] = value
        return snapshot

    def test_imported_member_equals_orm_member_field_by_field(self):
        """A member imported by the SQL writer and one created through the ORM (company, contact,
        member) with the same values: every stored field of the three records is equal, whatever
        modules are installed (run it with base_vat and website too:
        `DMS_TEST_TAGS=/distribution_migration scripts/dms test distribution_migration base_vat website`),
        with partner properties defined (defaults filled as the ORM does) and a tier pricelist."""
        definition = self.env["properties.base.definition"]._get_definition_for_property_field("res.partner", "properties")
        definition.properties_definition = [
            {"name": "grade", "type": "char", "string": "Grade", "default": "B"},
            {"name": "size", "type": "selection", "string": "Size", "selection": [["s", "S"], ["l", "L"]],
             "default": "l"},
            {"name": "vip", "type": "boolean", "string": "VIP"},
        ]
        self.tier_st.pricelist_id = self.env["product.pricelist"].create({"name": "Mig twin prices"})
        job = self._import(self._csv([
            ["code", "name", "tier", "parent", "territory", "vat", "phone", "email", "street", "city", "contact",
             "status", "credit limit"],
            ["SQLTWIN", "Twin SQLTWIN Co", "MST", "MIG-RD", "MHZ", "91330100SQLTWIN01X", "13800138055",
             "twin@example.cn", "人民路 1 号", "杭州市", "Contact SQLTWIN", "正常", "1000"],
        ]))
        self.assertEqual(job.rows_create, 1, self._reasons(job))
        imported = self._member("SQLTWIN")
        partner = self.env["res.partner"].create({
            "name": "Twin ORMTWIN Co", "is_company": True, "vat": "91330100ORMTWIN01X", "phone": imported.phone,
            "email": "twin@example.cn", "street": "人民路 1 号", "city": "杭州市",
        })
        self.env["res.partner"].create({"name": "Contact ORMTWIN", "parent_id": partner.id})
        created = self.env["distribution.member"].create({
            "partner_id": partner.id, "code": "ORMTWIN", "tier_id": self.tier_st.id, "parent_id": self.rd.id,
            "territory_id": self.terr_hz.id, "state": "active", "credit_limit": 1000.0,
        })
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(imported, "SQLTWIN"), self._snapshot(created, "ORMTWIN"))
        self.env.cr.execute("SELECT properties FROM res_partner WHERE id = %s", [imported.partner_id.id])
        self.assertEqual(self.env.cr.fetchone()[0], {"grade": "B", "size": "l"})
        self.assertEqual(imported.partner_id.property_product_pricelist, self.tier_st.pricelist_id)

    # ------------------------------------------------------------------
    # An interrupted import
    # ------------------------------------------------------------------
    def test_interrupted_import_says_how_far_it_got(self):
        """A run stopped after its second batch (as a worker stopped by its time limit) leaves, written
        in transactions of their own, how far it got; the job says so. Run again, the import completes
        without duplicating anything and the message goes."""
        rows = [["code", "name", "tier", "parent", "territory"]] + [
            [f"I-{i}", f"Interrupted store {i}", "MST", "MIG-RD", "MHZ"] for i in range(1, 8)
        ]
        job = self._job(self._csv(rows))
        Job = type(job)
        write_batch = Job._write_batch
        written = []

        def stop_after_two(job_, target, batch):
            if len(written) == 2:
                raise KeyboardInterrupt("worker stopped")  # not an error of the batch: nothing retries it
            written.append(batch)
            return write_batch(job_, target, batch)

        # the run's progress goes through another cursor (here: the test's, in test mode)
        with self.enter_registry_test_mode(), patch.object(Job, "_write_batch", stop_after_two), \
                patch.object(Job, "_import_batch_size", 3):
            stopped = False
            try:  # (not assertRaises: its savepoint would undo the progress written meanwhile)
                job.action_import()
            except KeyboardInterrupt:
                stopped = True
            self.assertTrue(stopped, "the import was stopped after its second batch")
        self.env.invalidate_all()
        self.assertEqual(job.state, "draft")
        run = job.run_ids
        self.assertEqual(len(run), 1)
        self.assertEqual((run.rows_total, run.rows_done, run.batches_total, run.batches_done, run.last_row),
                         (7, 6, 3, 2, 7))
        self.assertIn("6 of 7 rows were written (2 of 3 batches, up to row 7 of the file", job.interrupted_message)
        with patch.object(Job, "_import_batch_size", 3), self.enter_registry_test_mode():
            job.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.rows_create + job.rows_update, 7, self._reasons(job))
        self.assertEqual(self.env["distribution.member"].search_count([("code", "=like", "I-%")]), 7)
        self.assertFalse(job.interrupted_message)
        # (the test keeps what the stopped run wrote: here the run again has only the last row left to write)
        self.assertEqual((job.run_ids[:1].rows_total, job.run_ids[:1].rows_done), (1, 1))
