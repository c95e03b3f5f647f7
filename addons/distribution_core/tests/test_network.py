from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DistributionCommon


@tagged("post_install", "-at_install")
class TestChannelNetwork(DistributionCommon):
    def _new_member(self, name, tier, parent=None, territory=None, code=None, vat=None, state="active"):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "vat": vat})
        return self.env["distribution.member"].create(
            {
                "partner_id": partner.id,
                "code": code or name.replace(" ", "")[:10],
                "tier_id": tier.id,
                "parent_id": parent.id if parent else False,
                "territory_id": territory.id if territory else False,
                "state": state,
            }
        )

    def test_subtree_queries(self):
        Member = self.env["distribution.member"]
        subtree = Member.search([("id", "child_of", self.members["rd_zj"].id)])
        self.assertEqual(subtree, self.members["rd_zj"] | self.members["dl_hz"] | self.members["st_hz"])
        self.assertEqual(self.members["st_hz"].depth, 4)
        self.assertEqual(
            self.members["st_hz"].path_display,
            f"{self.env.company.name} › Alpha General Agent › Zhejiang Distributor › Hangzhou Dealer › Hangzhou Store",
        )
        self.assertEqual(self.members["rd_zj"].descendant_count, 2)
        self.assertEqual(self.members["rd_zj"].child_count, 1)
        self.assertEqual(self.members["ga"].descendant_count, 5)
        # the partner knows its membership, and so do its invoices
        self.assertEqual(self.members["dl_hz"].partner_id.channel_member_id, self.members["dl_hz"])
        self.assertEqual(self.invoices["dl_hz"].channel_member_id, self.members["dl_hz"])
        self.assertEqual(self.members["dl_hz"].invoice_count, 1)

    def test_cycle_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be placed under itself or under one of its own sub-members"):
            self.members["rd_zj"].parent_id = self.members["st_hz"]
        with self.assertRaisesRegex(ValidationError, "cannot be placed under itself"):
            self.members["ga"].parent_id = self.members["ga"]

    def test_parent_cycles_found_level_by_level(self):
        """Partners, members and territories find their parent cycles with a query per level
        of the tree (primary-key lookups, whatever the size of the table): a cycle through
        the records is refused; records under a loop they are not part of are not flagged,
        as with Odoo's recursive query."""
        Partner = self.env["res.partner"]
        company = Partner.create({"name": "Cycle Co", "is_company": True})
        contact = Partner.create({"name": "Cycle contact", "parent_id": company.id})
        grandchild = Partner.create({"name": "Cycle grandchild", "parent_id": contact.id})
        with self.assertRaisesRegex(ValidationError, "recursive Partner hierarchies"):
            company.parent_id = grandchild
        with self.assertRaisesRegex(ValidationError, "recursive Partner hierarchies"):
            company.parent_id = company
        with self.assertRaisesRegex(ValidationError, "inside one of its own sub-territories"):
            self.terr_east.parent_id = self.terr_hz
        # a loop written below the ORM: only its own records are in a cycle
        self.env.cr.execute("UPDATE res_partner SET parent_id = %s WHERE id = %s", [contact.id, company.id])
        Partner.invalidate_model(["parent_id"])
        below = Partner.create({"name": "Under the loop", "is_company": True})
        self.env.cr.execute("UPDATE res_partner SET parent_id = %s WHERE id = %s", [grandchild.id, below.id])
        self.assertTrue(company._has_cycle())
        self.assertTrue((below | contact)._has_cycle())
        self.assertFalse(below._has_cycle())
        for records in (company, below, contact, below | contact):
            self.assertEqual(records._has_cycle(), models.BaseModel._has_cycle(records), "the same answer as Odoo's")
        # a chain of members four tiers deep: one query per tier
        store = self.members["st_hz"]
        with self.assertQueryCount(4):  # the store's 3 ancestors, then the general agent's missing parent
            self.assertFalse(store._has_cycle())

    def test_tier_order_refused(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"Nanjing Dealer \(Dealer \(test\)\) cannot sit under Hangzhou Store \(Store \(test\)\): "
            "a member must sit under a higher tier",
        ):
            self.members["dl_nj"].parent_id = self.members["st_hz"]
        with self.assertRaisesRegex(ValidationError, "a member must sit under a higher tier"):
            self._new_member("Second Dealer", self.tier_dl, parent=self.members["dl_hz"], code="DL2")
        # moving a member to a tier at or below its sub-members' tier is refused too
        with self.assertRaisesRegex(ValidationError, "its sub-member Hangzhou Store is of tier Store"):
            self.members["dl_hz"].tier_id = self.tier_st

    def test_territory_conflict_names_member(self):
        # Hangzhou lies inside Zhejiang, which belongs to the Zhejiang distributor
        with self.assertRaisesRegex(
            ValidationError,
            r"Territory East \(test\) / Zhejiang / Hangzhou is exclusive for tier Regional Distributor \(test\) "
            r"and overlaps East \(test\) / Zhejiang, which belongs to \[RD_ZJ\] Zhejiang Distributor",
        ):
            self._new_member("Intruder", self.tier_rd, parent=self.members["ga"], territory=self.terr_hz)
        # the same territory is fine for a non-exclusive tier (stores), and for an application
        store = self._new_member("Second Store", self.tier_st, parent=self.members["dl_hz"], territory=self.terr_hz)
        self.assertEqual(store.state, "active")
        applicant = self._new_member(
            "Applicant", self.tier_rd, parent=self.members["ga"], territory=self.terr_hz, state="application"
        )
        with self.assertRaisesRegex(ValidationError, "which belongs to \\[RD_ZJ\\] Zhejiang Distributor"):
            applicant.action_activate()
        # once the holder is terminated, the territory is free again
        (self.members["st_hz"] | store)._action_terminate("closed")
        self.members["dl_hz"]._action_terminate("closed")
        self.members["rd_zj"]._action_terminate("contract ended")
        applicant.action_activate()
        self.assertEqual(applicant.state, "active")

    def test_code_normalised_and_unique(self):
        member = self._new_member("Full Width", self.tier_st, parent=self.members["dl_hz"], code=" ｓｔ－０９ ｈｚ ")
        self.assertEqual(member.code, "ST-09HZ")
        with self.assertRaisesRegex(ValidationError, "The code ST-09HZ is already used by member Full Width"):
            self._new_member("Other", self.tier_st, parent=self.members["dl_hz"], code="st-09hz")
        found = self.env["distribution.member"].name_search("ST-09")
        self.assertEqual([r[0] for r in found], [member.id], "members are found by code too")

    def test_duplicate_vat_names_member(self):
        with self.assertRaisesRegex(
            ValidationError, r"The tax ID 91330100DL0000001X is already registered for member \[DL_HZ\] Hangzhou Dealer"
        ):
            self._new_member("Copycat", self.tier_st, parent=self.members["dl_hz"], vat="91330100DL0000001X", code="CC")

    def test_lifecycle(self):
        store = self.members["st_hz"]
        wizard_action = store.action_suspend()
        wizard = Form(
            self.env["distribution.reason.wizard"].with_context(**wizard_action["context"])
        )
        wizard.reason = "Sold below the resale floor"
        wizard.save().action_confirm()
        self.assertEqual(store.state, "suspended")
        self.assertEqual(store.date_suspended, fields.Date.today())
        self.assertEqual(store.state_reason, "Sold below the resale floor")
        store.action_activate()
        self.assertEqual(store.state, "active")
        self.assertFalse(store.state_reason)
        with self.assertRaisesRegex(UserError, "still supplies 1 sub-member"):
            self.members["dl_hz"]._action_terminate("closing")
        store._action_terminate("Shop closed")
        self.assertEqual((store.state, store.date_terminated), ("terminated", fields.Date.today()))
        with self.assertRaisesRegex(UserError, "Only an active member can be suspended"):
            store._action_suspend("again")
        with self.assertRaisesRegex(UserError, "terminate it instead of deleting it"):
            self.members["dl_nj"].unlink()

    def test_channel_user_manages_own_members(self):
        as_user = self.env["distribution.member"].with_user(self.channel_user)
        # reads the whole channel
        self.assertEqual(len(as_user.search([("id", "in", [m.id for m in self.members.values()])])), 6)
        # changes only the member it manages
        as_user.browse(self.members["dl_hz"].id).write({"state_reason": "visited"})
        with self.assertRaises(AccessError):
            as_user.browse(self.members["dl_nj"].id).write({"state_reason": "visited"})
        with self.assertRaises(AccessError):
            self.env["distribution.tier"].with_user(self.channel_user).create({"name": "Nope"})

    def test_territory_matching_and_coverage(self):
        Territory = self.env["distribution.territory"]
        zj = self.terr_zj.state_ids
        self.assertEqual(Territory._match_address(self.env.ref("base.cn"), zj, "Hangzhou"), self.terr_hz)
        self.assertEqual(Territory._match_address(self.env.ref("base.cn"), zj, "Ningbo"), self.terr_zj)
        self.assertTrue(self.terr_hz.covered)
        self.assertEqual(self.terr_hz.member_count, 2)  # the dealer and the store
        empty = Territory.create({"name": "Ningbo", "parent_id": self.terr_zj.id, "territory_type": "city"})
        uncovered = Territory.search([("covered", "=", False), ("id", "child_of", self.terr_east.id)])
        self.assertIn(empty, uncovered)
        self.assertNotIn(self.terr_hz, uncovered)
        with self.assertRaisesRegex(ValidationError, "cannot be inside one of its own sub-territories"):
            self.terr_east.parent_id = self.terr_hz
        with self.assertRaisesRegex(ValidationError, "the zip range starts"):
            Territory.create({"name": "Bad zip", "zip_from": "310099", "zip_to": "310000"})

    def test_channel_users_land_in_the_channel_app(self):
        """The web client opens the first root menu a user sees: for channel
        staff that is the Channel app, not Discuss."""
        for user in (self.channel_user, self.channel_manager):
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
            first_app = menus[menus["root"]["children"][0]]
            self.assertEqual(
                first_app["xmlid"], "distribution_core.menu_distribution_root", f"{user.login} lands in {first_app['name']}"
            )
