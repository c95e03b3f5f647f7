import re

from odoo import api, models

MOBILE_CN = re.compile(r"^1[3-9]\d{9}$")


class SmsGatewayError(Exception):
    """A gateway refused or could not take a message.

    ``retry``: whether sending the same message again later may succeed
    (network error, throttling, gateway down) or not (invalid number).
    """

    def __init__(self, message, retry=True):
        super().__init__(message)
        self.retry = retry


def normalize_cn_mobile(number):
    """A mainland China mobile number as the gateways want it (11 digits), or
    False: spaces, dashes, brackets and the +86 / 0086 prefix are dropped."""
    digits = re.sub(r"[^\d+]", "", number or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix):]
            break
    return digits if MOBILE_CN.match(digits) else False


class DistributionSmsProvider(models.AbstractModel):
    """The gateway contract: one concrete abstract model per gateway, named
    ``distribution.sms.provider.<code>``, with ``<code>`` added to the
    selection of ``res.config.settings.dms_sms_provider``. The gateway in use
    is the one chosen in the settings (``distribution_sms.provider``)."""

    _name = "distribution.sms.provider"
    _description = "SMS Gateway"

    @api.model
    def _get_provider(self):
        """The gateway model chosen in the settings (the log-only one by default)."""
        code = self.env["ir.config_parameter"].sudo().get_param("distribution_sms.provider") or "log"
        model = f"distribution.sms.provider.{code}"
        if model not in self.env:
            raise SmsGatewayError(self.env._("The SMS gateway %(code)s is not installed.", code=code), retry=False)
        return self.env[model], code

    @api.model
    def _send_sms(self, message):
        """Send one ``distribution.sms.message``; return the gateway's reference of
        the message. Raise ``SmsGatewayError`` when the gateway does not take it."""
        raise NotImplementedError()

    @api.model
    def _get_param(self, key, default=False):
        return self.env["ir.config_parameter"].sudo().get_param(f"distribution_sms.{key}", default)
