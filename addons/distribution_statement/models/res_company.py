from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dms_statement_reminder_days = fields.Integer(
        string="Statement Reminder (days)",
        default=7,
        help="Remind the member of a statement neither confirmed nor disputed after this many days (0: never).",
    )
    dms_statement_user_id = fields.Many2one(
        "res.users",
        string="Statement Accountant",
        domain=lambda self: self._statement_accountant_domain(),
        help="The responsible accountant of the statement runs and their statements (scheduled runs included): "
        "answers their disputes.",
    )

    @api.model
    def _statement_accountant_domain(self):
        return [("share", "=", False), ("all_group_ids", "in", self.env.ref("account.group_account_invoice").ids)]

    @api.model
    def _is_statement_accountant(self, user):
        """A real person with invoicing rights: not OdooBot, not a portal user."""
        return bool(
            user and user.active and not user.share and user.id != SUPERUSER_ID
            and user.has_group("account.group_account_invoice")
        )

    @api.constrains("dms_statement_user_id")
    def _check_statement_user(self):
        for company in self:
            if company.dms_statement_user_id and not self._is_statement_accountant(company.dms_statement_user_id):
                raise ValidationError(
                    self.env._("%s is not an accountant: choose a user with invoicing rights.",
                               company.dms_statement_user_id.name)
                )
