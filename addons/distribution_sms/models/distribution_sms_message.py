import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .distribution_sms_provider import SmsGatewayError, normalize_cn_mobile

_logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
RETRY_MINUTES = 5  # first retry after 5 minutes, then 10, 20, 40 ...
CRON_BATCH = 100


class DistributionSmsMessage(models.Model):
    """One text message to one number, and what became of it.

    Messages are queued (``outgoing``) and sent by the cron *Send queued SMS*,
    which a new message triggers at once: each message is sent under a row
    lock and its result committed before the next one, so that two workers,
    or a retry and a button, never send the same message twice. A message the
    gateway did not take is retried with a growing delay until it is sent or
    the maximum number of attempts is reached (``failed``); a refusal that
    sending again cannot change (invalid number) fails at once.
    """

    _name = "distribution.sms.message"
    _description = "Text Message (SMS)"
    _order = "id desc"
    _rec_name = "number"

    number = fields.Char(required=True, readonly=True, help="Mainland China mobile number, 11 digits.")
    body = fields.Text(required=True, readonly=True, help="The text as the recipient reads it.")
    template_code = fields.Char(
        readonly=True, help="Template of the gateway (Aliyun-style gateways send templates, not free text)."
    )
    template_params = fields.Text(readonly=True, help="JSON values of the template's variables.")
    state = fields.Selection(
        [
            ("outgoing", "Queued"),
            ("sent", "Sent"),
            ("error", "Retrying"),
            ("failed", "Failed"),
            ("cancel", "Cancelled"),
        ],
        default="outgoing",
        required=True,
        readonly=True,
        index=True,
    )
    provider = fields.Char(string="Gateway", readonly=True)
    provider_reference = fields.Char(string="Gateway Reference", readonly=True, copy=False)
    error_message = fields.Text(string="Last Error", readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    date_last_attempt = fields.Datetime(string="Last Attempt", readonly=True)
    date_next_attempt = fields.Datetime(string="Next Attempt", readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    res_model = fields.Char(string="Related Document Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Related Document", model_field="res_model", readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, readonly=True)

    _state_due_idx = models.Index("(state, date_next_attempt) WHERE state IN ('outgoing', 'error')")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            number = normalize_cn_mobile(vals.get("number"))
            if not number:
                raise UserError(self.env._("%(number)s is not a mainland China mobile number.",
                                           number=vals.get("number") or "—"))
            vals["number"] = number
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _send_later(self):
        """Have the cron send these messages now, outside the current transaction."""
        self.env.ref("distribution_sms.ir_cron_sms_send")._trigger()

    def _lock_sendable(self):
        """The messages of self still to be sent, locked for this transaction;
        those another worker is sending right now are skipped."""
        if not self:
            return self
        self.flush_recordset(["state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM distribution_sms_message
                    WHERE id = ANY(%s) AND state IN ('outgoing', 'error')
                      FOR UPDATE SKIP LOCKED""",
                self.ids,
            )
        )
        locked = self.browse(row[0] for row in rows)
        locked.invalidate_recordset()
        return locked

    def _send(self):
        """Send the messages of self that are still queued or to retry (a
        sent, failed or cancelled message is never sent again). In a cron run
        each result is committed at once."""
        ICP = self.env["ir.config_parameter"].sudo()
        max_attempts = int(ICP.get_param("distribution_sms.max_attempts") or DEFAULT_MAX_ATTEMPTS)
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for message in self:
            # one row lock per message: held while the gateway is called, released by the commit
            locked = message._lock_sendable()
            if not locked:
                continue
            now = fields.Datetime.now()
            vals = {"attempt_count": locked.attempt_count + 1, "date_last_attempt": now}
            try:
                provider, code = self.env["distribution.sms.provider"]._get_provider()
                vals["provider"] = code
                reference = provider._send_sms(locked)
            except SmsGatewayError as error:
                retry = error.retry and vals["attempt_count"] < max_attempts
                vals.update(
                    state="error" if retry else "failed",
                    error_message=str(error),
                    date_next_attempt=retry and now + timedelta(minutes=RETRY_MINUTES * 2 ** (vals["attempt_count"] - 1)),
                )
                _logger.info("SMS %s to %s not sent (%s): %s", locked.id, locked.number,
                             vals["state"], error)
            else:
                vals.update(state="sent", provider_reference=reference, date_sent=now, error_message=False,
                            date_next_attempt=False)
            locked.write(vals)
            locked._on_sms_state_changed()
            if in_cron:
                self.env["ir.cron"]._commit_progress(1)
        return True

    def _on_sms_state_changed(self):
        """Hook for the addons that queue messages: called after each attempt."""
        return True

    @api.model
    def _cron_send(self):
        """Send the queued messages and the failed attempts whose retry is due."""
        due = self.search(
            [
                ("state", "in", ("outgoing", "error")),
                "|", ("date_next_attempt", "=", False), ("date_next_attempt", "<=", fields.Datetime.now()),
            ],
            order="id",
            limit=CRON_BATCH,
        )
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(remaining=len(due))
        due._send()
        if len(due) == CRON_BATCH:
            self.env.ref("distribution_sms.ir_cron_sms_send")._trigger()

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_retry(self):
        """Queue failed messages again (a sent message is never sent twice)."""
        if self.filtered(lambda m: m.state not in ("failed", "cancel")):
            raise UserError(self.env._("Only failed or cancelled messages can be sent again."))
        self.write({"state": "outgoing", "attempt_count": 0, "date_next_attempt": False})
        self._send_later()
        return True

    def action_cancel(self):
        if self.filtered(lambda m: m.state == "sent"):
            raise UserError(self.env._("A message already sent cannot be cancelled."))
        self.write({"state": "cancel", "date_next_attempt": False})
        self._on_sms_state_changed()
        return True

    def action_open_document(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
