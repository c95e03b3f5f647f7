import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

from odoo.tests import TransactionCase


def _expected_signature(params, secret, method):
    """Aliyun's documented V1 signature, written independently of the addon's."""
    def enc(value):
        return quote(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    query = "&".join(enc(k) + "=" + enc(params[k]) for k in sorted(params))
    to_sign = method + "&" + enc("/") + "&" + enc(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeSmsGateway:
    """A real HTTP server on 127.0.0.1 that answers like Aliyun's SendSms:
    it checks the signature with ``secret``, records every request, and
    answers with the queued ``responses`` ((http status, JSON dict) pairs),
    then ``{"Code": "OK", "BizId": ...}``."""

    def __init__(self, secret="test-secret"):
        self.secret = secret
        self.requests = []
        self.responses = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                signature = params.pop("Signature", "")
                if signature != _expected_signature(params, gateway.secret, "POST"):
                    status, answer = 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
                elif gateway.responses:
                    status, answer = gateway.responses.pop(0)
                else:
                    status, answer = 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(gateway.requests) + 1}"}
                gateway.requests.append(params)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SmsGatewayCommon(TransactionCase):
    """Configures the Aliyun-style gateway against a local fake server
    (``cls.gateway``); other addons' tests import it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeSmsGateway().start()
        cls.addClassCleanup(cls.gateway.stop)
        cls.env["ir.config_parameter"].sudo().set_param("distribution_sms.provider", "aliyun")
        cls.set_gateway_params(
            aliyun_endpoint=cls.gateway.url,
            aliyun_access_key_id="test-key",
            aliyun_access_key_secret=cls.gateway.secret,
            aliyun_sign_name="华夏优品",
            aliyun_template_code="SMS_000001",
            max_attempts=3,
        )

    @classmethod
    def set_gateway_params(cls, **params):
        ICP = cls.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            ICP.set_param(f"distribution_sms.{key}", value)

    def setUp(self):
        super().setUp()
        self.gateway.requests.clear()
        self.gateway.responses.clear()
