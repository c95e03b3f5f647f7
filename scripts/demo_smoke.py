#!/usr/bin/env python3
"""Every demo login does its job: a headless Chromium logs in as each login of
config/demo-logins.txt through /web/login and opens that role's landing pages.

    demo_smoke.py --url http://127.0.0.1:8069 --db dms_demo [--logins config/demo-logins.txt]

Per role (told by the line's text):
* back office (channel manager/user, admin): the web client loads its home action;
* portal: /my, then every card shown on it (after its counters came), then /my/earnings
  for a promoter;
* store staff: the login lands in the point of sale of the store (/pos/ui), which loads;
* anyone: the public scan page of one demo unit code.

A page fails on an HTTP status >= 400 (the page or any request it makes), an uncaught
JavaScript error or console error, an Odoo error dialog, or not reaching its ready state
within --timeout seconds (an upper bound for a busy machine, not a wait: every step waits
for the page's own ready condition). Each failure is printed with the login and the page;
the exit status is the number of failures (capped at 100).

Drives Chromium through the Chrome DevTools protocol (websocket-client, which Odoo needs
anyway); Chromium is $CHROMIUM or the first of chromium, chromium-browser, google-chrome.
The browser is in the demo users' time zone (Asia/Shanghai): Odoo sets a user's time zone
from the browser's at the first login, so a browser in UTC would leave every demo user in UTC.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client
from urllib.parse import urljoin, urlparse

import websocket

# The demo users' time zone (distribution_core's demo/res_users*.xml), the browser's too.
TIME_ZONE = "Asia/Shanghai"

# Console messages that are not errors of the page under test.
IGNORED_CONSOLE = (
    "Failed to load resource: net::ERR_ABORTED",  # a request cancelled by a navigation
)


def parse_logins(path):
    """[(login, password, role text)] of config/demo-logins.txt, admin first.

    A line is ``login / password — role``; ``also a, b`` at its end names more logins of the
    same role whose password is their login."""
    logins = [("admin", "admin", "administrator, back office")]
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = re.match(r"^(\S+)\s*/\s*(\S+)\s*[—-]+\s*(.*)$", line)
            if not match:
                raise SystemExit(f"{path}: cannot read the line {line!r} (expected 'login / password — role')")
            login, password, role = match.groups()
            logins.append((login, password, role))
            also = re.search(r"\balso\s+([\w, ]+)$", role)
            if also:
                for other in filter(None, (name.strip() for name in also.group(1).split(","))):
                    logins.append((other, other, role))
    return logins


def role_of(role_text):
    text = role_text.lower()
    if "store staff" in text or "pos of store" in text:
        return "pos"
    if "portal" in text:
        return "portal"
    return "backend"


class Browser:
    """A minimal synchronous Chrome DevTools protocol client of one page."""

    def __init__(self, chromium, timeout):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="dms-smoke-")
        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--mute-audio",
             "--window-size=1366,900", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, TZ=TIME_ZONE),
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"{chromium} did not start (no DevTools port)")
            time.sleep(0.1)
        port = open(port_file).read().split("\n")[0].strip()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
        self.next_id = 0
        self.events = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")
        # the page's Intl time zone, which Odoo's login page puts in its `tz` cookie
        self.call("Emulation.setTimezoneOverride", timezoneId=TIME_ZONE)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _receive(self, deadline):
        self.ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self.events.append(message)
        return message

    def call(self, method, **params):
        self.next_id += 1
        call_id = self.next_id
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message and message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise TimeoutError(f"no answer to {method}")

    def pump(self, seconds):
        """Take the events that arrive during `seconds` (no waiting once nothing more comes)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._receive(deadline)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            return None
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=None):
        """Poll a JS condition until it is truthy; returns its value, or None at the timeout."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            self.pump(0.25)
        return None

    def wait_network_idle(self, quiet=0.5):
        """Until no request has been in flight for `quiet` seconds (or the timeout)."""
        inflight = set()
        seen = len(self.events)
        deadline = time.monotonic() + self.timeout
        idle_since = time.monotonic()
        while time.monotonic() < deadline:
            self.pump(0.1)
            for event in self.events[seen:]:
                method, params = event["method"], event.get("params", {})
                if method == "Network.requestWillBeSent":
                    inflight.add(params["requestId"])
                elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                    inflight.discard(params["requestId"])
            if len(self.events) > seen:
                seen = len(self.events)
                idle_since = time.monotonic()
            # long-polling (bus) requests never finish: count only what started recently
            if not inflight or time.monotonic() - idle_since >= quiet * 6:
                if time.monotonic() - idle_since >= quiet:
                    return True
        return False


class Smoke:
    def __init__(self, args):
        self.args = args
        self.base = args.url.rstrip("/")
        self.failures = []
        self.checked = 0
        chromium = args.chromium or next(
            (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
            None,
        )
        if not chromium:
            raise SystemExit("no Chromium found (set CHROMIUM)")
        self.browser = Browser(chromium, args.timeout)

    # ----------------------------------------------------------- checks --
    def fail(self, login, page, why):
        self.failures.append((login, page, why))
        print(f"FAIL  {login:<16} {page}: {why}", flush=True)

    def ok(self, login, page, note=""):
        print(f"ok    {login:<16} {page}{'  ' + note if note else ''}", flush=True)

    def problems(self, since):
        """HTTP errors, JS errors and console errors among the events since index `since`."""
        found = []
        for event in self.browser.events[since:]:
            method, params = event["method"], event.get("params", {})
            if method == "Network.responseReceived":
                response = params["response"]
                url = response.get("url", "")
                if response.get("status", 0) >= 400 and urlparse(url).netloc == urlparse(self.base).netloc:
                    found.append(f"HTTP {response['status']} on {url[len(self.base):] or '/'}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = (details.get("exception") or {}).get("description") or details.get("text")
                found.append(f"JS error: {str(text).splitlines()[0]}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                if not any(ignored in text for ignored in IGNORED_CONSOLE):
                    found.append(f"console error: {text.splitlines()[0] if text else '?'}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                text = params["entry"].get("text", "")
                # HTTP statuses are reported above, with the URL
                if not text.startswith("Failed to load resource") and not any(i in text for i in IGNORED_CONSOLE):
                    found.append(f"browser error: {text.splitlines()[0]}")
        return list(dict.fromkeys(found))

    def open(self, login, path, ready, label=None):
        """Navigate to path, wait for the JS condition `ready`, report what went wrong."""
        label = label or path
        since = len(self.browser.events)
        self.browser.call("Page.navigate", url=urljoin(self.base + "/", path.lstrip("/")))
        return self.settle(login, label, ready, since)

    def settle(self, login, label, ready, since):
        self.checked += 1
        value = self.browser.wait_for(f"(() => {{ try {{ const v = ({ready}); return typeof v === 'string' ? v : !!v; }} catch (e) {{ return false; }} }})()")
        self.browser.wait_network_idle()
        problems = self.problems(since)
        dialog = self.browser.evaluate(
            "(() => { const d = document.querySelector('.o_error_dialog, .modal .o_dialog_error, .o_notification.border-danger, .o_notification_bar.bg-danger');"
            " return d ? d.innerText.replace(/\\s+/g, ' ').slice(0, 200) : ''; })()"
        )
        if dialog:
            problems.append(f"error shown: {dialog}")
        if not value:
            where = self.browser.evaluate("location.pathname + location.search") or "?"
            title = self.browser.evaluate("document.title") or ""
            problems.append(f"not ready within {self.args.timeout}s (at {where}, title {title!r}; waited for {ready})")
        if problems:
            for problem in problems:
                self.fail(login, label, problem)
        else:
            self.ok(login, label, value if isinstance(value, str) else "")
        return value if not problems else None

    # ------------------------------------------------------------ login --
    def login(self, login, password):
        self.browser.call("Network.clearBrowserCookies")
        if not self.open(login, f"/web/login?db={self.args.db}", "document.querySelector('form.oe_login_form input[name=login]')",
                         label="/web/login"):
            return False
        since = len(self.browser.events)
        self.browser.evaluate(
            "(() => { const f = document.querySelector('form.oe_login_form');"
            f" f.querySelector('input[name=login]').value = {json.dumps(login)};"
            f" f.querySelector('input[name=password]').value = {json.dumps(password)};"
            " f.submit(); return true; })()"
        )
        landed = self.settle(
            login, "/web/login (submit)",
            "!location.pathname.startsWith('/web/login') && document.readyState === 'complete' && location.pathname", since,
        )
        if not landed:
            error = self.browser.evaluate("(document.querySelector('.alert-danger') || {}).innerText")
            if error:
                self.fail(login, "/web/login", f"login refused: {error.strip()}")
            return None
        return landed

    # ------------------------------------------------------------ roles --
    WEBCLIENT_READY = (
        "document.querySelector('.o_web_client .o_main_navbar') && document.querySelector('.o_web_client .o_action_manager > *')"
        " && !document.querySelector('.o_web_client .o_loading_indicator, .o_blockUI') && location.pathname"
    )
    POS_READY = (
        "location.pathname.startsWith('/pos/ui') && document.querySelector('.pos')"
        " && document.querySelector('.pos .pos-topheader, .pos .pos-content')"
        " && !document.querySelector('.pos .loader:not(.d-none), .o_pos_loading') && 'pos ' + location.search"
    )

    def check_backend(self, login, landed):
        if not landed.startswith(("/odoo", "/web")):
            self.fail(login, landed, "a back-office login should land in the web client (/odoo)")
            return
        self.open(login, "/odoo", self.WEBCLIENT_READY)

    def check_pos(self, login, landed):
        """Store staff land in their store's point of sale (via /odoo and their home action)."""
        if not self.settle(login, f"{landed} → /pos/ui (after login)", self.POS_READY, len(self.browser.events)):
            return
        names = self.browser.evaluate(
            "[...new Set(Array.from(document.querySelectorAll('.product-list .product-name'))"
            ".map(e => e.innerText.trim()))].slice(0, 500)"
        ) or []
        if names:
            self.check_catalogue(login, "POS products", names, "name")

    def check_portal(self, login, role_text):
        cards = self.open(
            login, "/my",
            # ready once the counters came (spinner gone) and the cards they reveal are shown: a portal
            # user always has some (addresses, security), so an empty list only means "not yet" (the
            # navigation from the login's own /my could be read before the new page ran its counters)
            "document.readyState === 'complete' && document.querySelector('.o_portal_my_home')"
            " && !document.querySelector('.o_portal_doc_spinner')"
            " && (cards => cards.length && JSON.stringify(cards))(Array.from(document.querySelectorAll("
            "'.o_portal_my_home .o_portal_index_card:not(.d-none) a[href]')).map(a => a.getAttribute('href')))",
        )
        if not cards:
            return
        links = [href for href in json.loads(cards) if href.startswith("/") and not href.startswith("/web/session")]
        if not links:
            self.fail(login, "/my", "no card shown")
        for href in dict.fromkeys(links):
            self.open(login, href, "document.readyState === 'complete' && document.querySelector('#wrap, main, .o_portal_wrap')",
                      label=f"/my card {href}")
            if href == "/my/channel/order":
                codes = self.browser.evaluate(
                    "Array.from(document.querySelectorAll('.o_channel_catalogue .o_channel_product')).map(li => li.dataset.code)"
                ) or []
                self.check_catalogue(login, "/my/channel/order catalogue", codes, "default_code")
        if "promoter" in role_text.lower() and "/my/earnings" not in links:
            self.open(login, "/my/earnings", "document.querySelector('.o_portal_earnings')")

    def check_scan(self):
        code = self.demo_code()
        if not code:
            self.fail("(public)", "/dist/scan", "no demo unit code found")
            return
        self.browser.call("Network.clearBrowserCookies")
        label = "/dist/scan/<demo code>"
        if not self.open("(public)", f"/dist/scan/{code}",
                         "document.readyState === 'complete' && location.pathname === '/dist/scan' && document.querySelector('main')",
                         label=label):
            return
        # the page speaks for the brand that issued the code: its name in the footer, its logo in the header
        self.checked += 1
        company_id, company_name = self.rpc("distribution.code", "search_read", [("name", "=", code)],
                                            fields=["company_id"])[0]["company_id"]
        shown = self.browser.evaluate(
            "[(document.querySelector('.o_footer_copyright_name') || {}).innerText || '',"
            " (document.querySelector('header .navbar-brand img') || {}).getAttribute?.('src') || '']"
        ) or ["", ""]
        if company_name not in shown[0] or f"company={company_id}" not in shown[1]:
            self.fail("(public)", label, f"the page does not bear the brand {company_name}: footer {shown[0]!r}, logo {shown[1]!r}")
        else:
            self.ok("(public)", label, f"bears the brand {company_name}")

    def rpc(self, model, method, *args, **kwargs):
        if not getattr(self, "_uid", None):
            common = xmlrpc.client.ServerProxy(f"{self.base}/xmlrpc/2/common", allow_none=True)
            self._uid = common.authenticate(self.args.db, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(f"{self.base}/xmlrpc/2/object", allow_none=True)
        return models.execute_kw(self.args.db, self._uid, "admin", model, method, list(args), kwargs)

    def channel_products(self):
        """{field: values} of the products of the channel catalogue of the admin's company (HQ)."""
        if getattr(self, "_channel", None) is None:
            user = self.rpc("res.users", "search_read", [("login", "=", "admin")], fields=["company_id"])[0]
            company = self.rpc("res.company", "read", [user["company_id"][0]], fields=["channel_categ_id"])[0]
            categ = company.get("channel_categ_id")
            products = self.rpc(
                "product.product", "search_read", [("categ_id", "child_of", categ[0])],
                fields=["default_code", "barcode", "name"], context={"lang": "zh_CN", "active_test": False},
            ) if categ else []
            self._channel = {
                "default_code": {code for p in products for code in (p["default_code"], p["barcode"]) if code},
                "name": {p["name"] for p in products},
            } if categ else {}
        return self._channel

    def check_catalogue(self, login, label, shown, field):
        """Only channel products among what a member or a till is offered."""
        self.checked += 1
        channel = self.channel_products()
        if not channel:
            self.fail(login, label, "the HQ company has no Channel Catalogue (Settings → Sales)")
            return
        others = [value for value in shown if value and value not in channel[field]]
        if others:
            self.fail(login, label, f"{len(others)} products outside the channel catalogue: {', '.join(others[:8])}")
        elif not shown:
            self.fail(login, label, "no product offered")
        else:
            self.ok(login, label, f"{len(shown)} channel products")

    def demo_code(self):
        found = self.rpc("distribution.code", "search_read", [("state", "!=", "sold")], fields=["name"], limit=1,
                         order="id")
        return found[0]["name"] if found else None

    def run(self):
        logins = parse_logins(self.args.logins)
        if self.args.only:
            logins = [entry for entry in logins if entry[0] in self.args.only]
        started = time.monotonic()
        try:
            for login, password, role_text in logins:
                role = role_of(role_text)
                landed = self.login(login, password)
                if not landed:
                    continue
                if role == "pos":
                    self.check_pos(login, landed)
                elif role == "portal":
                    self.check_portal(login, role_text)
                else:
                    self.check_backend(login, landed)
            self.check_scan()
        finally:
            self.browser.close()
        print(f"demo smoke: {len(logins)} logins, {self.checked} pages, {len(self.failures)} failures "
              f"in {time.monotonic() - started:.0f}s", flush=True)
        return min(len(self.failures), 100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--logins", default=os.path.join(os.path.dirname(__file__), "..", "config", "demo-logins.txt"))
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM"))
    parser.add_argument("--only", nargs="*", help="check only these logins")
    sys.exit(Smoke(parser.parse_args()).run())


if __name__ == "__main__":
    main()
