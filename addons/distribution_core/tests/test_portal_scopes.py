from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DistributionCommon


@tagged("post_install", "-at_install")
class TestPortalScopes(DistributionCommon):
    """A portal user changes only what its own portal pages let it change, and reads nothing of
    another region through a record it may read."""

    def _invitation(self, user_key="dl_hz", **vals):
        Invitation = self.env["distribution.invitation"].with_user(self.users[user_key])
        return Invitation.create(dict({"name": "New store", "tier_id": self.tier_st.id}, **vals))

    def test_invitation_cannot_be_repointed_over_rpc(self):
        invitation = self._invitation()
        for vals in (
            {"inviter_member_id": self.members["rd_js"].id},
            {"territory_id": self.terr_nj.id},
            {"max_uses": 1000000},
            {"expiry_date": "2099-12-31 00:00:00"},
            {"tier_id": self.tier_dl.id},
            {"name": "renamed"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                invitation.write(vals)
        self.assertRecordValues(invitation.sudo(), [{
            "inviter_member_id": self.members["dl_hz"].id, "territory_id": False, "max_uses": 1, "name": "New store",
        }])
        # nor deleted (the portal cannot), and a channel manager still changes it
        with self.assertRaises(AccessError):
            invitation.unlink()
        invitation.with_user(self.channel_manager).write({"max_uses": 50})
        self.assertEqual(invitation.max_uses, 50)

    def test_invitation_created_within_bounds_only(self):
        # what the portal form offers: its own territory or below, up to 100 uses, the default expiry
        invitation = self._invitation(territory_id=self.terr_hz.id, max_uses=100)
        self.assertEqual(invitation.sudo().inviter_member_id, self.members["dl_hz"])
        for vals, error in (
            ({"territory_id": self.terr_nj.id}, AccessError),  # another region
            ({"territory_id": self.terr_zj.id}, AccessError),  # its parent's territory, above its own
            ({"max_uses": 1000000}, ValidationError),
            ({"max_uses": 10 ** 12}, ValidationError),  # would not even fit the column
            ({"expiry_date": fields.Datetime.now() + timedelta(days=30000)}, ValidationError),
            ({"inviter_member_id": self.members["rd_js"].id}, AccessError),
        ):
            with self.subTest(vals=vals), self.assertRaises(error):
                self._invitation(**vals)

