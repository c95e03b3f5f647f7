import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.distribution_approval.tools import ENGINE

# namespace of the advisory locks taken while a promoter's balance is being drawn on
WITHDRAWAL_LOCK = 7_260_502


class DistributionCommissionWithdrawal(models.Model):
    """A promoter asks for (part of) his available commission (提现): approved through the approval
    engine, it becomes a vendor bill, and the commissions it pays move from available to withdrawn."""

    _name = "distribution.commission.withdrawal"
    _description = "Commission Withdrawal"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    _state_from = ["submitted"]
    _state_to = ["approved", "paid"]
    _cancel_state = "rejected"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = ("amount", "withholding_rate", "promoter_id", "partner_id")
    _dms_approval_on_change = "refuse"

    name = fields.Char(required=True, copy=False, readonly=True, default="/")
    promoter_id = fields.Many2one("distribution.promoter", required=True, readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="promoter_id.partner_id", store=True)
    company_id = fields.Many2one(related="promoter_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, readonly=True)
    withholding_rate = fields.Float(string="Withholding Tax (%)", readonly=True)
    withholding_amount = fields.Monetary(compute="_compute_net", store=True)
    net_amount = fields.Monetary(string="Net Paid", compute="_compute_net", store=True)
    payout_method = fields.Selection(
        [("bank", "Bank transfer"), ("alipay", "Alipay"), ("wechat", "WeChat Pay")], readonly=True
    )
    payout_account = fields.Char(string="Pay to", readonly=True)
    state = fields.Selection(
        [("submitted", "To Approve"), ("approved", "Approved"), ("paid", "Paid"), ("rejected", "Rejected")],
        default="submitted", required=True, tracking=True, index=True,
    )
    move_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False)
    commission_ids = fields.One2many("distribution.commission", "withdrawal_id", string="Commissions Paid")

    @api.depends("amount", "withholding_rate")
    def _compute_net(self):
        for withdrawal in self:
            withholding = withdrawal.currency_id.round(withdrawal.amount * withdrawal.withholding_rate / 100.0)
            withdrawal.withholding_amount = withholding
            withdrawal.net_amount = withdrawal.amount - withholding

    def init(self):
        """Commission bills made before the DMS marked its own (an update): marked now."""
        self.env.cr.execute(
            """
            UPDATE account_move m SET dms_origin = 'commission'
              FROM distribution_commission_withdrawal w
             WHERE m.id = w.move_id AND m.dms_origin IS NULL
            """
        )

    @api.model
    def _request(self, promoter, amount):
        """A withdrawal request, checked against the balance under a lock on the promoter: while one
        request is being made, another one for the same promoter is refused, and once it is
        committed the next one sees it (never an overdraft)."""
        promoter = promoter.sudo()
        busy = self.env._("Another withdrawal of yours is being made right now; try again in a moment.")
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [WITHDRAWAL_LOCK, promoter.id])
        if not self.env.cr.fetchone()[0]:
            raise UserError(busy)
        # The balance is read from this transaction's snapshot, which may be older than a request
        # committed meanwhile (REPEATABLE READ): the lock alone would not show it. So the promoter's
        # row is locked and written before the balance is read: a transaction that started before
        # another request of the promoter was committed fails here with a serialization error,
        # and is run again (Odoo retries it) on a snapshot that sees that request.
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM distribution_promoter WHERE id = %s FOR NO KEY UPDATE NOWAIT", [promoter.id]
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(busy) from None
        self.env.cr.execute("UPDATE distribution_promoter SET write_date = write_date WHERE id = %s", [promoter.id])
        self.env["distribution.commission"].flush_model()
        self.env["distribution.commission.withdrawal"].flush_model()
        promoter.invalidate_recordset()
        currency = promoter.currency_id
        amount = currency.round(amount or 0.0)
        minimum = promoter.company_id.dms_commission_min_withdrawal
        if amount <= 0 or amount < minimum:
            raise UserError(self.env._("The minimum withdrawal is %s.", currency.format(minimum)))
        if currency.compare_amounts(amount, promoter.amount_withdrawable) > 0:
            raise UserError(
                self.env._("You can withdraw at most %s.", currency.format(max(promoter.amount_withdrawable, 0.0)))
            )
        account = {"bank": promoter.bank_account, "alipay": promoter.alipay_account,
                   "wechat": promoter.wechat_account}.get(promoter.payout_method)
        if not account:
            raise UserError(self.env._("Set the account the money goes to first."))
        withdrawal = self.sudo().create(
            {
                "name": self.env["ir.sequence"].sudo().next_by_code("distribution.commission.withdrawal") or "/",
                "promoter_id": promoter.id,
                "amount": amount,
                "withholding_rate": promoter.withholding_rate,
                "payout_method": promoter.payout_method,
                "payout_account": account,
            }
        )
        withdrawal._dms_request_or_pass()
        return withdrawal

    def action_approve(self):
        self.check_access("write")
        for withdrawal in self:
            if withdrawal.state != "submitted":
                raise UserError(self.env._("%s is not waiting for approval.", withdrawal.name))
        ready = self._dms_review_or_pass()
        if ready:
            if not self.env.user.has_group("account.group_account_invoice"):
                raise UserError(self.env._("Only an accountant can approve a withdrawal."))
            ready.sudo()._pay()
        return True

    def _dms_on_validated(self):
        self.sudo()._pay()

    def _dms_on_rejected(self):
        """A reviewer refused it (back office or My Approvals): the request is rejected and no
        longer holds the promoter's money."""
        # the reviews stay: they are the decision (who refused, why), not a request to redo
        self._dms_decided_write({"state": "rejected"})
        for withdrawal in self:
            withdrawal.message_post(
                body=self.env._("Rejected: %(reason)s", reason=withdrawal.dms_rejection_reason or "-")
            )


    def action_reject(self):
        self.check_access("write")
        for withdrawal in self:
            if withdrawal.state != "submitted":
                raise UserError(self.env._("Only a request waiting for approval can be rejected."))
        self.with_context(skip_validation_check=True, dms_tier_engine=ENGINE).write({"state": "rejected"})
        return True

    def _pay(self):
        """The vendor bill (commission expense, less the withholding tax), posted; the available
        commissions are marked withdrawn, the oldest first (one is split if it is larger)."""
        for withdrawal in self:
            company = withdrawal.company_id
            if not company.dms_commission_expense_account_id:
                raise UserError(self.env._("Set the commission expense account in the accounting settings."))
            if withdrawal.withholding_amount and not company.dms_commission_withholding_account_id:
                raise UserError(self.env._("Set the withholding tax account in the accounting settings."))
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [WITHDRAWAL_LOCK, withdrawal.promoter_id.id])
            label = self.env._("Commission withdrawal %s", withdrawal.name)
            lines = [
                Command.create({"name": label, "quantity": 1, "price_unit": withdrawal.amount,
                                "account_id": company.dms_commission_expense_account_id.id, "tax_ids": [Command.clear()]})
            ]
            if withdrawal.withholding_amount:
                lines.append(
                    Command.create({"name": self.env._("Withholding tax %s%%", withdrawal.withholding_rate),
                                    "quantity": 1, "price_unit": -withdrawal.withholding_amount,
                                    "account_id": company.dms_commission_withholding_account_id.id,
                                    "tax_ids": [Command.clear()]})
                )
            values = {
                "move_type": "in_invoice",
                "partner_id": withdrawal.partner_id.id,
                "invoice_date": fields.Date.context_today(self),
                "ref": withdrawal.name,
                "invoice_origin": withdrawal.name,
                "invoice_line_ids": lines,
                "dms_origin": "commission",
            }
            if company.dms_commission_journal_id:
                values["journal_id"] = company.dms_commission_journal_id.id
            move = self.env["account.move"].with_company(company).create(values)
            move.action_post()
            withdrawal._allocate()
            withdrawal.with_context(skip_validation_check=True, dms_tier_engine=ENGINE).write({"state": "paid", "move_id": move.id})
            withdrawal.message_post(body=self.env._("Paid by %s.", move._get_html_link()))

    def _allocate(self):
        """Mark available commissions withdrawn for the amount (clawbacks first, then the oldest)."""
        self.ensure_one()
        Commission = self.env["distribution.commission"]
        available = Commission.search(
            [("promoter_id", "=", self.promoter_id.id), ("state", "=", "available")], order="amount, release_date, id"
        )
        remaining = self.amount
        currency = self.currency_id
        taken = Commission
        for commission in available.sorted(lambda c: (c.amount >= 0, c.release_date or c.date, c.id)):
            if currency.compare_amounts(remaining, 0) <= 0:
                break
            if currency.compare_amounts(commission.amount, remaining) > 0:
                # the rest stays available as a part of the same commission: what its goods earned
                # (base, quantity) stays on the commission, which a refund reverses once
                rest = currency.round(commission.amount - remaining)
                commission.copy({"amount": rest, "state": "available", "withdrawal_id": False,
                                 "origin_id": commission.origin_id.id,
                                 "split_from_id": (commission.split_from_id or commission).id,
                                 "quantity": 0.0, "base_amount": 0.0})
                commission.amount = remaining
            remaining = currency.round(remaining - commission.amount)
            taken |= commission
        if currency.compare_amounts(remaining, 0) > 0:
            raise UserError(self.env._("Not enough available commission for %s.", self.name))
        taken.write({"state": "withdrawn", "withdrawal_id": self.id})
