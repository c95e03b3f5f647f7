import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests

from odoo import api, models

from .distribution_sms_provider import SmsGatewayError

_logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
TIMEOUT = 15
# refusals that sending again will not change
PERMANENT_CODES = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.MOBILE_COUNT_OVER_LIMIT"}


def _percent_encode(value):
    """RFC 3986 encoding as the Aliyun RPC signature wants it."""
    return quote(str(value), safe="~")


def aliyun_signature(params, secret, method="POST"):
    """Signature (V1, HMAC-SHA1) of an Aliyun RPC request: the sorted, encoded
    parameters, signed with ``secret + "&"``."""
    canonical = "&".join(f"{_percent_encode(k)}={_percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{_percent_encode('/')}&{_percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class DistributionSmsProviderAliyun(models.AbstractModel):
    """Alibaba Cloud SMS (阿里云短信, ``SendSms`` of the ``dysmsapi`` RPC API,
    version 2017-05-25), which most Chinese SMS resellers imitate: a POST of
    signed form parameters, a JSON answer whose ``Code`` is ``OK`` when the
    gateway accepted the message. The endpoint is configurable (a reseller, a
    regional endpoint, or a local test server)."""

    _name = "distribution.sms.provider.aliyun"
    _inherit = "distribution.sms.provider"
    _description = "SMS Gateway: Aliyun-style HTTP API"

    @api.model
    def _prepare_aliyun_params(self, message):
        access_key = self._get_param("aliyun_access_key_id")
        sign_name = self._get_param("aliyun_sign_name")
        template_code = message.template_code or self._get_param("aliyun_template_code")
        if not (access_key and self._get_param("aliyun_access_key_secret") and sign_name and template_code):
            raise SmsGatewayError(
                self.env._(
                    "The Aliyun SMS gateway is not configured: set the AccessKey ID and secret, the signature "
                    "name and the template code in Settings → General Settings → SMS Gateway."
                ),
                retry=False,
            )
        template_params = message.template_params or json.dumps({"content": message.body}, ensure_ascii=False)
        return {
            "AccessKeyId": access_key,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": str(message.id),
            "PhoneNumbers": message.number,
            "RegionId": self._get_param("aliyun_region_id") or "cn-hangzhou",
            "SignName": sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "TemplateParam": template_params,
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    @api.model
    def _send_sms(self, message):
        params = self._prepare_aliyun_params(message)
        params["Signature"] = aliyun_signature(params, self._get_param("aliyun_access_key_secret"))
        endpoint = self._get_param("aliyun_endpoint") or DEFAULT_ENDPOINT
        try:
            response = requests.post(endpoint, data=params, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise SmsGatewayError(self.env._("SMS gateway not reachable: %(error)s", error=error)) from error
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        code = answer.get("Code")
        if code == "OK":
            return answer.get("BizId") or answer.get("RequestId") or ""
        if not code:
            raise SmsGatewayError(
                self.env._("SMS gateway answered HTTP %(status)s without a result.", status=response.status_code)
            )
        raise SmsGatewayError(
            self.env._("SMS gateway refused the message: %(code)s %(reason)s", code=code,
                       reason=answer.get("Message") or ""),
            retry=code not in PERMANENT_CODES,
        )
