from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._dms_set_channel_home()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._dms_set_channel_home()
        return result

    def _dms_set_channel_home(self):
        """Channel users land in the Channel app after login, not in Discuss (Odoo's default): a user
        who joins the channel groups without a home action of his own gets the Channel app's first
        page (the members). A home action chosen for him is kept; administrators (who set up every
        app) keep Odoo's default."""
        action = self.env.ref("distribution_core.distribution_member_action", raise_if_not_found=False)
        group = self.env.ref("distribution_core.group_channel_user", raise_if_not_found=False)
        if not action or not group:
            return
        system = self.env.ref("base.group_system")
        users = self.sudo().filtered(
            lambda user: not user.action_id and not user.share and group in user.all_group_ids
            and system not in user.all_group_ids
        )
        if users:
            users.write({"action_id": action.id})
