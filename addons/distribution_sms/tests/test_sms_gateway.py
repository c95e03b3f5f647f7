from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_sms.models.distribution_sms_provider import normalize_cn_mobile
from odoo.addons.distribution_sms.models.distribution_sms_provider_aliyun import aliyun_signature

from .common import SmsGatewayCommon


@tagged("post_install", "-at_install")
class TestSmsGateway(SmsGatewayCommon):
    def _queue(self, number="+86 138-0013-8000", body="【华夏优品】春茶节 9 折"):
        return self.env["distribution.sms.message"].create({"number": number, "body": body})

    def test_signature_matches_aliyun_documented_example(self):
        # the example of Aliyun's "SendSms" signature documentation (GET, secret testSecret)
        params = {
            "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
            "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
            "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
        }
        self.assertEqual(aliyun_signature(params, "testSecret", method="GET"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=")

    def test_numbers_normalised_and_invalid_refused(self):
        self.assertEqual(normalize_cn_mobile("+86 138-0013-8000"), "13800138000")
        self.assertEqual(normalize_cn_mobile("0086 13800138000"), "13800138000")
        self.assertFalse(normalize_cn_mobile("0571-88888888"), "a landline cannot receive SMS")
        self.assertFalse(normalize_cn_mobile("12800138000"))
        self.assertEqual(self._queue().number, "13800138000")
        with self.assertRaises(UserError):
            self._queue(number="0571-88888888")

    def test_sent_through_signed_request(self):
        message = self._queue()
        self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.provider, "aliyun")
        self.assertEqual(message.provider_reference, "biz-1")
        self.assertEqual(message.attempt_count, 1)
        self.assertTrue(message.date_sent)
        [request] = self.gateway.requests
        self.assertEqual(request["PhoneNumbers"], "13800138000")
        self.assertEqual(request["SignName"], "华夏优品")
        self.assertEqual(request["TemplateCode"], "SMS_000001")
        self.assertEqual(request["OutId"], str(message.id))
        self.assertIn("春茶节", request["TemplateParam"])
        # sent once, never again: neither by the cron nor by a button
        self.env["distribution.sms.message"]._cron_send()
        message._send()
        self.assertEqual(len(self.gateway.requests), 1)
        with self.assertRaises(UserError):
            message.action_retry()

    def test_gateway_down_retried_later_until_sent(self):
        self.gateway.responses += [(500, {}), (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"})]
        message = self._queue()
        start = fields.Datetime.now()
        with freeze_time(start):
            self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(message.state, "error")
        self.assertIn("HTTP 500", message.error_message)
        self.assertEqual(message.date_next_attempt, start + timedelta(minutes=5))
        with freeze_time(start + timedelta(minutes=4)):
            self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(len(self.gateway.requests), 1, "not retried before its time")
        with freeze_time(start + timedelta(minutes=6)):
            self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(message.state, "error")
        self.assertIn("isv.BUSINESS_LIMIT_CONTROL", message.error_message)
        self.assertEqual(message.date_next_attempt, start + timedelta(minutes=16), "then after 10 minutes")
        with freeze_time(start + timedelta(minutes=17)):
            self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.attempt_count, 3)
        self.assertEqual(len(self.gateway.requests), 3)

    def test_gives_up_after_max_attempts_and_on_permanent_refusal(self):
        self.gateway.responses += [(503, {})] * 3
        message = self._queue()
        now = fields.Datetime.now()
        for minutes in (0, 6, 17):
            with freeze_time(now + timedelta(minutes=minutes)):
                self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(message.state, "failed", "3 attempts configured")
        with freeze_time(now + timedelta(days=1)):
            self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(len(self.gateway.requests), 3)

        self.gateway.responses.append((200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}))
        refused = self._queue(number="13900139000")
        refused._send()
        self.assertEqual(refused.state, "failed", "an invalid number is not retried")
        self.assertIn("非法手机号", refused.error_message)
        # an administrator may send a failed message again, deliberately
        refused.action_retry()
        self.assertEqual(refused.state, "outgoing")
        self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(refused.state, "sent")

    def test_wrong_secret_is_an_error_not_a_success(self):
        self.set_gateway_params(aliyun_access_key_secret="not-the-secret")
        message = self._queue()
        message._send()
        self.assertEqual(message.state, "error")
        self.assertIn("SignatureDoesNotMatch", message.error_message)

    def test_not_configured_fails_with_what_to_fix(self):
        self.set_gateway_params(aliyun_sign_name="")
        message = self._queue()
        message._send()
        self.assertEqual(message.state, "failed")
        self.assertIn("signature name", message.error_message)
        self.assertFalse(self.gateway.requests)

    def test_state_read_again_under_lock(self):
        """Another worker sent the message after this one read it: not sent twice."""
        message = self._queue()
        self.assertEqual(message.state, "outgoing")  # in this transaction's cache
        self.env.cr.execute("UPDATE distribution_sms_message SET state = 'sent' WHERE id = %s", [message.id])
        message._send()
        self.assertFalse(self.gateway.requests)
        message.invalidate_recordset()
        self.assertEqual(message.state, "sent")

    def test_log_only_gateway(self):
        self.env["ir.config_parameter"].sudo().set_param("distribution_sms.provider", "log")
        message = self._queue()
        message._send()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.provider, "log")
        self.assertEqual(message.provider_reference, f"log-{message.id}")
        self.assertFalse(self.gateway.requests)

    def test_only_administrators_read_messages(self):
        message = self._queue()
        user = new_test_user(self.env, login="sms_plain_user", groups="base.group_user")
        with self.assertRaises(AccessError):
            message.with_user(user).read(["number"])
