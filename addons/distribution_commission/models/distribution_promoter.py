import secrets
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# referral codes: no 0/O, 1/I/L to be read aloud or typed from a poster
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class DistributionPromoter(models.Model):
    """A contact who shares a referral link and earns a commission on the goods the people he
    brought in buy (level 1), and on those of the promoters he recruited (level 2, never deeper)."""

    _name = "distribution.promoter"
    _description = "Promoter"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(related="partner_id.name", store=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="restrict", index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    code = fields.Char(
        string="Referral Code", required=True, copy=False, index=True, readonly=True,
        default=lambda self: self._new_code(),
    )
    parent_id = fields.Many2one(
        "distribution.promoter", string="Recruited by", index=True, tracking=True,
        help="Earns the level-2 commission on this promoter's customers.",
    )
    child_ids = fields.One2many("distribution.promoter", "parent_id", string="Recruited Promoters")
    state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended")], default="active", required=True, tracking=True
    )
    referral_url = fields.Char(compute="_compute_referral_url")
    customer_ids = fields.One2many("res.partner", "channel_referrer_id", string="Referred Customers")
    customer_count = fields.Integer(compute="_compute_customer_count")
    payout_method = fields.Selection(
        [("bank", "Bank transfer"), ("alipay", "Alipay"), ("wechat", "WeChat Pay")], default="bank", tracking=True
    )
    bank_account = fields.Char(help="Bank, branch and account number.")
    alipay_account = fields.Char()
    wechat_account = fields.Char(string="WeChat Account")
    withholding_rate = fields.Float(
        string="Withholding Tax (%)", help="Withheld from each withdrawal and owed to the tax office."
    )
    commission_ids = fields.One2many("distribution.commission", "promoter_id", string="Commissions")
    withdrawal_ids = fields.One2many("distribution.commission.withdrawal", "promoter_id", string="Withdrawals")
    amount_frozen = fields.Monetary(string="Frozen", compute="_compute_balances")
    amount_available = fields.Monetary(string="Available", compute="_compute_balances")
    amount_withdrawn = fields.Monetary(string="Withdrawn", compute="_compute_balances")
    amount_reversed = fields.Monetary(string="Reversed", compute="_compute_balances")
    amount_requested = fields.Monetary(
        string="Requested", compute="_compute_balances", help="In withdrawal requests not paid yet."
    )
    amount_withdrawable = fields.Monetary(
        string="Withdrawable", compute="_compute_balances", help="Available minus the open withdrawal requests."
    )

    _code_unique = models.Constraint("UNIQUE(code)", "Referral codes are unique.")
    _partner_unique = models.Constraint("UNIQUE(partner_id, company_id)", "This contact is already a promoter.")

    @api.model
    def _new_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))

    def _compute_referral_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for promoter in self:
            promoter.referral_url = f"{base}/r/{promoter.code}" if promoter.code else False

    def _compute_customer_count(self):
        counts = dict(self.env["res.partner"]._read_group([("channel_referrer_id", "in", self.ids)], ["channel_referrer_id"], ["__count"]))
        for promoter in self:
            promoter.customer_count = counts.get(promoter, 0)

    def _compute_balances(self):
        """The balances of all the promoters in two grouped reads."""
        Commission = self.env["distribution.commission"].sudo()
        sums = defaultdict(float)  # (promoter id, state, kind): amount
        for promoter, state, kind, amount in Commission._read_group(
            [("promoter_id", "in", self.ids)], ["promoter_id", "state", "kind"], ["amount:sum"]
        ):
            sums[promoter.id, state, kind] = amount
        requested = dict(
            self.env["distribution.commission.withdrawal"].sudo()._read_group(
                [("promoter_id", "in", self.ids), ("state", "in", ("submitted", "approved"))],
                ["promoter_id"],
                ["amount:sum"],
            )
        )
        kinds = ("commission", "reversal", "clawback")
        for promoter in self:
            pid = promoter.id
            promoter.amount_frozen = sum(sums[pid, "frozen", kind] for kind in kinds)
            promoter.amount_available = sum(sums[pid, "available", kind] for kind in kinds)
            promoter.amount_withdrawn = sum(sums[pid, "withdrawn", kind] for kind in kinds)
            # reversed before release (the refunded part) and clawed back after it
            promoter.amount_reversed = (
                sum(sums[pid, "reversed", kind] for kind in kinds)
                - sums[pid, "available", "clawback"] - sums[pid, "withdrawn", "clawback"]
            )
            promoter.amount_requested = requested.get(promoter, 0.0)
            promoter.amount_withdrawable = promoter.currency_id.round(
                promoter.amount_available - promoter.amount_requested
            )

    @api.constrains("parent_id")
    def _check_parent(self):
        for promoter in self:
            if promoter.parent_id == promoter or promoter._has_cycle():
                raise ValidationError(self.env._("A promoter cannot recruit himself, even indirectly."))

    def action_view_commissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_commission.distribution_commission_action")
        action["domain"] = [("promoter_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Referred Customers"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("channel_referrer_id", "=", self.id)],
        }

    @api.model
    def _for_user(self, user=None):
        """The promoter of the (portal) user, or an empty recordset."""
        user = user or self.env.user
        return self.sudo().search(
            [("partner_id", "in", (user.partner_id | user.partner_id.commercial_partner_id).ids)], limit=1
        ).with_env(self.env)
