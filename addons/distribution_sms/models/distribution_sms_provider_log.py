import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class DistributionSmsProviderLog(models.AbstractModel):
    """A gateway that sends nothing: the message is written to the server log
    and counts as sent. For demo databases, tests and trials."""

    _name = "distribution.sms.provider.log"
    _inherit = "distribution.sms.provider"
    _description = "SMS Gateway: Log Only"

    @api.model
    def _send_sms(self, message):
        _logger.info("SMS (log only) to %s: %s", message.number, message.body)
        return f"log-{message.id}"
