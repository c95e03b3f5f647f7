from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionCommon


@tagged("post_install", "-at_install")
class TestChannelUserScopes(DistributionCommon):
    """A channel user acts only inside the members and territories he manages, on create, write,
    unlink and every button; a channel manager decides everywhere.

    ``east`` manages the Zhejiang territory (its distributor, dealer and store), Jiangsu is another
    region to him; ``channel_user`` is the channel manager of the Hangzhou dealer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_territory_manager()
        cls.Member = cls.env["distribution.member"].with_user(cls.east)

    def _new_member_vals(self, parent, territory, name="New store"):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        return {"partner_id": partner.id, "code": name.upper().replace(" ", "-"), "tier_id": self.tier_st.id,
                "parent_id": parent.id if parent else False, "territory_id": territory.id if territory else False}

    def test_member_create_only_inside_own_part(self):
        # under a member of its territory, in its territory: accepted, and the new member is his
        mine = self.Member.create(self._new_member_vals(self.members["rd_zj"], self.terr_hz))
        self.assertEqual(mine.sudo().manager_id, self.east)
        for parent, territory in (
            (self.members["rd_js"], self.terr_js),  # under the other region's distributor
            (self.members["rd_js"], self.terr_hz),  # under it, even in a territory of his own
            (self.members["rd_zj"], self.terr_nj),  # under his distributor, into another region
            (False, self.terr_js),  # directly under HQ, in another region
            (False, False),  # directly under HQ, nowhere
        ):
            with self.subTest(parent=parent, territory=territory), self.assertRaises(AccessError):
                self.Member.create(self._new_member_vals(parent, territory, name=f"Elsewhere {territory and territory.id}"))
        self.assertFalse(self.env["distribution.member"].search([("parent_id", "=", self.members["rd_js"].id),
                                                                 ("name", "like", "Elsewhere")]))
        # the channel manager places members anywhere
        other = self.env["distribution.member"].with_user(self.channel_manager).create(
            self._new_member_vals(self.members["rd_js"], self.terr_nj, name="Placed by manager")
        )
        self.assertEqual(other.parent_id, self.members["rd_js"])

    def test_member_write_cannot_move_out(self):
        mine = self.Member.create(self._new_member_vals(self.members["rd_zj"], self.terr_hz))
        for vals in ({"parent_id": self.members["rd_js"].id}, {"territory_id": self.terr_nj.id},
                     {"parent_id": False, "territory_id": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
        self.assertEqual(mine.sudo().parent_id, self.members["rd_zj"])
        # another region's member: no change, no button, no deletion
        theirs = self.members["dl_nj"].with_user(self.east)
        for action in (
            lambda: theirs.write({"state_reason": "visited"}),
            lambda: theirs.write({"manager_id": self.east.id}),
            lambda: theirs.write({"tier_id": self.tier_rd.id}),
            lambda: theirs._action_suspend("no reason"),
            lambda: theirs.unlink(),
        ):
            with self.assertRaises(AccessError):
                action()
        self.assertEqual(self.members["dl_nj"].state, "active")
        # the Hangzhou dealer's own channel manager may not hand it to another region either
        with self.assertRaises(AccessError):
            self.members["dl_hz"].with_user(self.channel_user).write({"parent_id": self.members["rd_js"].id})
        self.members["dl_hz"].with_user(self.channel_user).write({"state_reason": "visited"})

    def test_invitation_only_inside_own_part(self):
        Invitation = self.env["distribution.invitation"].with_user(self.east)
        mine = Invitation.create({"name": "Zhejiang store", "tier_id": self.tier_st.id,
                                  "inviter_member_id": self.members["rd_zj"].id, "territory_id": self.terr_hz.id})
        for vals in (
            {"inviter_member_id": self.members["rd_js"].id},  # under another region's distributor
            {"inviter_member_id": self.members["rd_zj"].id, "territory_id": self.terr_nj.id},  # into it
            {"inviter_member_id": False, "territory_id": False},  # directly under HQ, anywhere
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Invitation.create(dict({"name": "Elsewhere", "tier_id": self.tier_st.id}, **vals))
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
        self.assertEqual(mine.inviter_member_id, self.members["rd_zj"])
