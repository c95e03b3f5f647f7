from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionHttpCommon


@tagged("post_install", "-at_install")
class TestPortalIsolation(DistributionHttpCommon):
    """Each portal user sees its own company and its whole subtree, never a
    sibling's, a parent's, or a parent's other children."""

    def test_members_visible_exactly(self):
        self.assertSubtreeVisibility("distribution.member", self.members, ["name"])

    def test_invoices_visible_exactly(self):
        self.assertSubtreeVisibility("account.move", self.invoices, ["amount_total"])

    def test_partners_visible_exactly(self):
        companies = {key: m.partner_id for key, m in self.members.items()}
        self.assertSubtreeVisibility("res.partner", companies, ["name", "vat"])

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
