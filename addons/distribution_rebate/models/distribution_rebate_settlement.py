import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger
from odoo.tools.sql import column_exists

from odoo.addons.distribution_approval.tools import ENGINE

# namespace of the advisory locks taken while a computation is being settled
SETTLEMENT_LOCK = 7_260_501


class DistributionRebateSettlement(models.Model):
    """What a member is paid for one agreement and period: the earned amount of the
    computation minus what earlier settlements of the same period already paid."""

    _name = "distribution.rebate.settlement"
    _description = "Rebate Settlement"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    _state_from = ["draft"]
    _state_to = ["approved", "posted"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False
    _dms_approval = True  # channel approval reinforcements (distribution_approval)
    _dms_approval_fields = ("amount", "earned_to_date", "previously_settled", "partner_id")
    _dms_approval_on_change = "refuse"

    name = fields.Char(required=True, copy=False, readonly=True, default="/")
    computation_id = fields.Many2one(
        "distribution.rebate.computation", required=True, ondelete="restrict", index=True, readonly=True
    )
    agreement_id = fields.Many2one(related="computation_id.agreement_id", store=True, index=True)
    member_id = fields.Many2one(related="computation_id.member_id", store=True, index=True)
    channel_member_id = fields.Many2one(related="computation_id.member_id", string="Channel Member")
    partner_id = fields.Many2one(related="computation_id.partner_id", store=True)
    company_id = fields.Many2one(related="computation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="computation_id.currency_id")
    date_from = fields.Date(related="computation_id.date_from", store=True)
    date_to = fields.Date(related="computation_id.date_to", store=True)
    date = fields.Date(string="Settlement Date", required=True, default=fields.Date.context_today, readonly=True)
    sequence = fields.Integer(string="Settlement No.", readonly=True, help="The n-th settlement of the period.")
    basis = fields.Float(
        string="Basis Settled", digits=(16, 2), readonly=True,
        help="The period's basis this settlement paid on: what its frozen invoice lines sum to.",
    )
    earned_to_date = fields.Monetary(readonly=True, help="What the period had earned when this settlement was made.")
    previously_settled = fields.Monetary(readonly=True, help="Paid by earlier settlements of the same period.")
    amount = fields.Monetary(
        readonly=True,
        help="Earned to date minus previously settled. Negative when the period earned less after it was "
        "settled (goods returned late): the difference is billed back to the member.",
    )
    state = fields.Selection(
        [("draft", "To Approve"), ("approved", "Approved"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    move_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False, index=True)
    reversal_move_id = fields.Many2one("account.move", string="Reversal", readonly=True, copy=False)

    # the n-th settlement of a period is made once (two runs that read the same settlements
    # make the same number), and a period has one settlement waiting for approval at most
    _one_per_number = models.UniqueIndex(
        "(computation_id, sequence) WHERE state != 'cancelled'", "This period was already settled by this run."
    )
    _one_open = models.UniqueIndex(
        "(computation_id) WHERE state IN ('draft', 'approved')", "This period already has a settlement to approve."
    )

    def init(self):
        """Settlements made before they were numbered, and documents settled before the DMS marked
        its own (an update): numbered and marked now, on their lines too."""
        self.env.cr.execute(
            """
            UPDATE distribution_rebate_settlement s SET sequence = n.number
              FROM (SELECT id, row_number() OVER (PARTITION BY computation_id ORDER BY id) AS number
                      FROM distribution_rebate_settlement) n
             WHERE n.id = s.id AND s.sequence IS NULL
            """
        )
        self.env.cr.execute(
            """
            UPDATE account_move m SET dms_origin = 'rebate_settlement'
              FROM distribution_rebate_settlement s
             WHERE m.id IN (s.move_id, s.reversal_move_id) AND m.dms_origin IS NULL
            """
        )
        if self.env.cr.rowcount and column_exists(self.env.cr, "account_move_line", "dms_origin"):
            self.env.cr.execute(
                """
                UPDATE account_move_line l SET dms_origin = m.dms_origin
                  FROM account_move m
                 WHERE m.id = l.move_id AND m.dms_origin = 'rebate_settlement' AND l.dms_origin IS NULL
                """
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("distribution.rebate.settlement") or "/"
        return super().create(vals_list)

    def _dms_review_context(self):
        member = self.member_id
        return {"member": member, "manager": member.manager_id, "territory": member.territory_id,
                "parent": member.parent_id}

    # ------------------------------------------------------------------
    # Creating settlements, once
    # ------------------------------------------------------------------
    @api.model
    def _lock(self, computation):
        """Only one transaction settles a computation at a time: the others are told so."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [SETTLEMENT_LOCK, computation.id])
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._("%(name)s is being settled by someone else right now; try again in a moment.",
                           name=computation.display_name)
            )

    @api.model
    def _settle(self, computations):
        """Create the settlement of each computation for what it earned and was not paid yet, or for
        what it was overpaid (earned went down after a settlement: goods returned late), which is
        billed back to the member. Running it again creates nothing and an open settlement is never
        doubled. The computations are computed again first, in this transaction: the amount paid
        and the invoice lines frozen as its basis are read from the same lines."""
        created = self.browse()
        computations = computations.sudo()
        for computation in computations:
            self._lock(computation)
        computations._recompute()
        for computation in computations:
            settlements = computation.settlement_ids.filtered(lambda s: s.state != "cancelled")
            if settlements.filtered(lambda s: s.state in ("draft", "approved")):
                continue
            currency = computation.currency_id
            earned = computation.amount
            settled = computation.amount_settled
            amount = currency.round(earned - settled)
            if currency.is_zero(amount):
                continue
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    settlement = self.create(
                        {
                            "computation_id": computation.id,
                            "sequence": max(settlements.mapped("sequence"), default=0) + 1,
                            "basis": computation.basis,
                            "earned_to_date": earned,
                            "previously_settled": settled,
                            "amount": amount,
                        }
                    )
            except psycopg2.errors.UniqueViolation:
                continue  # settled already (concurrent run)
            computation._freeze_lines()
            settlement._dms_request_or_pass()
            created |= settlement
        return created.with_env(self.env)

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------
    def action_approve(self):
        for settlement in self:
            if settlement.state != "draft":
                raise UserError(self.env._("%(name)s is not waiting for approval.", name=settlement.name))
        ready = self._dms_review_or_pass()
        if ready:
            if not self.env.user.has_group("distribution_core.group_channel_manager"):
                raise UserError(self.env._("Only a Channel Manager can approve rebate settlements."))
            ready._post()
        return True

    def _dms_on_validated(self):
        self.sudo()._post()

    def _dms_on_rejected(self):
        """A reviewer refused the amount: the settlement is Cancelled (nothing is credited), the
        reviewer's reason in its chatter, and the period is free for the next settlement run to
        settle again. The reviews stay as the record of the decision."""
        self.filtered(lambda s: s.state == "draft").with_context(dms_keep_reviews=ENGINE).sudo().action_cancel()
        return super()._dms_on_rejected()

    def _post(self):
        """Approved: the credit note (or vendor bill) is created and posted."""
        for settlement in self:
            agreement = settlement.agreement_id
            if not agreement.expense_account_id:
                raise UserError(
                    self.env._("Set the rebate expense account of %(agreement)s (or of the company).",
                               agreement=agreement.name)
                )
            amount = settlement.amount
            if agreement.settlement_mode == "vendor_bill":
                move_type = "in_invoice" if amount > 0 else "in_refund"
            else:
                move_type = "out_refund" if amount > 0 else "out_invoice"
            if amount > 0:
                label = self.env._(
                    "Rebate %(agreement)s, %(date_from)s – %(date_to)s",
                    agreement=agreement.name, date_from=settlement.date_from, date_to=settlement.date_to,
                )
            else:
                label = self.env._(
                    "Rebate %(agreement)s, %(date_from)s – %(date_to)s: overpaid, billed back",
                    agreement=agreement.name, date_from=settlement.date_from, date_to=settlement.date_to,
                )
            move = self.env["account.move"].sudo().with_company(settlement.company_id).create(
                {
                    "move_type": move_type,
                    "partner_id": settlement.partner_id.id,
                    "invoice_date": settlement.date,
                    "date": settlement.date,
                    "invoice_origin": settlement.name,
                    "ref": label,
                    "dms_origin": "rebate_settlement",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1.0,
                                "price_unit": abs(amount),
                                "account_id": agreement.expense_account_id.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
            settlement.with_context(skip_validation_check=True, dms_tier_engine=ENGINE).write({"state": "posted", "move_id": move.id})
            settlement.message_post(body=self.env._("Settled by %(move)s.", move=move._get_html_link()))

    def action_cancel(self):
        """Cancel; a posted credit note is reversed (and reconciled with its reversal)."""
        for settlement in self:
            if settlement.state == "cancelled":
                continue
            if settlement.move_id and settlement.move_id.state == "posted":
                reversal = settlement.move_id.sudo()._reverse_moves(
                    [{"date": fields.Date.context_today(self), "ref": self.env._("Cancel %(name)s", name=settlement.name)}],
                    cancel=True,
                )
                settlement.reversal_move_id = reversal
            settlement.with_context(skip_validation_check=True, dms_tier_engine=ENGINE).write({"state": "cancelled"})
        return True
