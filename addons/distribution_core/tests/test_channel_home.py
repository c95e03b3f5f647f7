from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import DistributionHttpCommon


@tagged("post_install", "-at_install")
class TestChannelHome(DistributionHttpCommon):
    """A channel user lands in the Channel app after login (Odoo's default is Discuss) (#29)."""

    def test_channel_users_land_in_the_channel_app(self):
        members = self.env.ref("distribution_core.distribution_member_action")
        # a new channel manager, and an existing internal user who becomes a channel user
        manager = new_test_user(self.env, login="home_manager", groups="distribution_core.group_channel_manager")
        self.assertEqual(manager.action_id.id, members.id)
        clerk = new_test_user(self.env, login="home_clerk", groups="base.group_user")
        self.assertFalse(clerk.action_id)
        clerk.write({"group_ids": [Command.link(self.env.ref("distribution_core.group_channel_user").id)]})
        self.assertEqual(clerk.action_id.id, members.id)
        # what the web client opens first after login: the session it is given names the home action
        self.authenticate("home_manager", "home_manager")
        self.assertRegex(self.url_open("/odoo").text, rf'"home_action_id": {members.id}\b')
        # a home action chosen for a user is his; a portal user or an administrator keeps Odoo's default
        discuss = self.env.ref("mail.action_discuss")
        chosen = new_test_user(self.env, login="home_chosen", groups="base.group_user", action_id=discuss.id)
        chosen.write({"group_ids": [Command.link(self.env.ref("distribution_core.group_channel_manager").id)]})
        self.assertEqual(chosen.action_id.id, discuss.id)
        admin = new_test_user(self.env, login="home_admin",
                              groups="base.group_system,distribution_core.group_channel_manager")
        self.assertFalse(admin.action_id)
        self.assertFalse(self.users["dl_hz"].action_id)
