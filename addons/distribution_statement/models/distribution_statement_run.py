from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class DistributionStatementRun(models.Model):
    _name = "distribution.statement.run"
    _description = "Statement Run"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("New"), copy=False, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1),
    )
    date_to = fields.Date(
        string="Period End",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - timedelta(days=1),
    )
    scope = fields.Selection(
        [("all", "All members"), ("tier", "A channel tier"), ("territory", "A sales territory"), ("members", "Chosen members")],
        default="all",
        required=True,
    )
    tier_id = fields.Many2one("distribution.tier", string="Channel Tier")
    territory_id = fields.Many2one("distribution.territory", string="Sales Territory")
    member_ids = fields.Many2many("distribution.member", string="Members")
    user_id = fields.Many2one(
        "res.users", string="Responsible Accountant", default=lambda self: self._default_user_id(),
        domain=lambda self: self.env["res.company"]._statement_accountant_domain(),
        help="Disputes of these statements are assigned to this user (default: the Statement Accountant of the "
        "Accounting settings).",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True, tracking=True)
    statement_ids = fields.One2many("distribution.statement", "run_id", string="Statements")
    statement_count = fields.Integer(compute="_compute_statement_count")
    last_run_summary = fields.Char(readonly=True)

    _dates = models.Constraint("CHECK(date_to >= date_from)", "The period must end after it starts.")

    @api.model
    def _default_user_id(self):
        company = self.env.company
        if company.dms_statement_user_id:
            return company.dms_statement_user_id
        users = self.env["res.users"]
        return self.env.user if company._is_statement_accountant(self.env.user) else users

    @api.constrains("user_id")
    def _check_user_id(self):
        for run in self:
            if run.user_id and not self.env["res.company"]._is_statement_accountant(run.user_id):
                raise ValidationError(
                    self.env._("%s is not an accountant: choose a user with invoicing rights.", run.user_id.name)
                )

    @api.onchange("date_to")
    def _onchange_date_to(self):
        if self.date_to and (not self.date_from or self.date_from > self.date_to):
            self.date_from = self.date_to.replace(day=1)

    def _compute_statement_count(self):
        counts = dict(
            self.env["distribution.statement"]._read_group([("run_id", "in", self.ids)], ["run_id"], ["__count"])
        )
        for run in self:
            run.statement_count = counts.get(run, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "user_id" not in vals:
                # the accountant of the run's company (the default only knows the user's current company)
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["user_id"] = company.dms_statement_user_id.id or self._default_user_id().id
            if vals.get("name", self.env._("New")) == self.env._("New"):
                # the run is named after its period's year, like its statements
                period_end = vals.get("date_to") or self._fields["date_to"].default(self)
                vals["name"] = self.env["ir.sequence"].with_context(
                    ir_sequence_date=fields.Date.to_string(fields.Date.to_date(period_end))
                ).next_by_code("distribution.statement.run") or "/"
        return super().create(vals_list)

    def _members(self):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id), ("state", "in", ("active", "suspended"))]
        if self.scope == "tier":
            domain.append(("tier_id", "=", self.tier_id.id))
        elif self.scope == "territory":
            domain.append(("territory_id", "child_of", self.territory_id.id))
        elif self.scope == "members":
            return self.member_ids
        return self.env["distribution.member"].search(domain)

    def action_run(self):
        for run in self:
            members = run._members()
            if not members:
                raise UserError(self.env._("No member matches this run."))
            if not run.user_id:
                run.user_id = run.company_id.dms_statement_user_id
            if not run.user_id:
                raise UserError(
                    self.env._(
                        "Choose the responsible accountant of the run, or set the Statement Accountant in the "
                        "Accounting settings: the members' disputes go to this person."
                    )
                )
            result = self.env["distribution.statement"]._generate(
                members, run.date_from, run.date_to, run.company_id, run=run
            )
            run.write(
                {
                    "state": "done",
                    "last_run_summary": self.env._(
                        "%(new)s new, %(versions)s new versions, %(unchanged)s unchanged, "
                        "%(skipped)s members without entries nor balance",
                        new=len(result["new"]), versions=len(result["versions"]), unchanged=len(result["unchanged"]),
                        skipped=len(result["skipped"]),
                    ),
                }
            )
        return self.action_view_statements() if len(self) == 1 else True

    def action_send(self):
        statements = self.statement_ids.filtered(lambda s: s.state == "draft")
        if not statements:
            raise UserError(self.env._("Every statement of this run was already sent."))
        statements.action_send()
        return True

    def action_view_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_statement.distribution_statement_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_current": 1}
        return action
