from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionHttpCommon


@tagged("post_install", "-at_install")
class TestPortalIsolation(DistributionHttpCommon):
    """Each portal user sees its own company and its whole subtree, never a
    sibling's, a parent's, or a parent's other children."""

    EXPECTED = {
        "ga": {"ga", "rd_zj", "rd_js", "dl_hz", "dl_nj", "st_hz"},
        "rd_zj": {"rd_zj", "dl_hz", "st_hz"},
        "rd_js": {"rd_js", "dl_nj"},
        "dl_hz": {"dl_hz", "st_hz"},
        "dl_nj": {"dl_nj"},
        "st_hz": {"st_hz"},
    }

    def _keys(self, records, mapping):
        reverse = {rec.id: key for key, rec in mapping.items()}
        return {reverse[r.id] for r in records if r.id in reverse}

    def test_members_visible_exactly(self):
        all_ids = [m.id for m in self.members.values()]
        for key, expected in self.EXPECTED.items():
            with self.subTest(user=key):
                Member = self.env["distribution.member"].with_user(self.users[key])
                self.assertEqual(self._keys(Member.search([("id", "in", all_ids)]), self.members), expected)
                for other in set(self.members) - expected:
                    with self.assertRaises(AccessError):
                        Member.browse(self.members[other].id).read(["name"])

    def test_invoices_visible_exactly(self):
        all_ids = [i.id for i in self.invoices.values()]
        for key, expected in self.EXPECTED.items():
            with self.subTest(user=key):
                Move = self.env["account.move"].with_user(self.users[key])
                self.assertEqual(self._keys(Move.search([("id", "in", all_ids)]), self.invoices), expected)
                for other in set(self.invoices) - expected:
                    with self.assertRaises(AccessError):
                        Move.browse(self.invoices[other].id).read(["amount_total"])

    def test_partners_visible_exactly(self):
        companies = {key: m.partner_id for key, m in self.members.items()}
        all_ids = [p.id for p in companies.values()]
        for key, expected in self.EXPECTED.items():
            with self.subTest(user=key):
                Partner = self.env["res.partner"].with_user(self.users[key])
                self.assertEqual(self._keys(Partner.search([("id", "in", all_ids)]), companies), expected)
                for other in set(companies) - expected:
                    with self.assertRaises(AccessError):
                        Partner.browse(companies[other].id).read(["name", "vat"])

    def test_portal_cannot_change_its_place(self):
        member = self.members["dl_hz"].with_user(self.users["dl_hz"])
        for vals in (
            {"tier_id": self.tier_rd.id},
            {"parent_id": self.members["ga"].id},
            {"territory_id": self.terr_zj.id},
            {"state": "active"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                member.write(vals)
        with self.assertRaises(AccessError):
            self.members["st_hz"].with_user(self.users["dl_hz"]).write({"territory_id": self.terr_zj.id})
        with self.assertRaises(AccessError):
            self.env["distribution.member"].with_user(self.users["dl_hz"]).create(
                {"partner_id": self.users["dl_hz"].partner_id.id, "code": "X", "tier_id": self.tier_st.id}
            )

    def test_portal_invites_under_itself_only(self):
        Invitation = self.env["distribution.invitation"].with_user(self.users["dl_hz"])
        invitation = Invitation.create({"name": "New store", "tier_id": self.tier_st.id})
        self.assertEqual(invitation.inviter_member_id, self.members["dl_hz"], "defaults to the portal user's member")
        self.assertTrue(invitation.url.endswith(f"/dist/join/{invitation.sudo().token}"))
        with self.assertRaises(AccessError):
            Invitation.create({"name": "Under my sibling", "tier_id": self.tier_st.id,
                               "inviter_member_id": self.members["dl_nj"].id})
        with self.assertRaises(AccessError):
            Invitation.create({"name": "Under my parent", "tier_id": self.tier_dl.id,
                               "inviter_member_id": self.members["rd_zj"].id})
        # the other dealer does not see this invitation
        with self.assertRaises(AccessError):
            invitation.with_user(self.users["dl_nj"]).read(["name"])
        # applications are not for the portal
        with self.assertRaises(AccessError):
            self.env["distribution.application"].with_user(self.users["dl_hz"]).search([])
