"""Anti-diversion demo (防窜货): the history of the demo codes, which must be computed.

The batches and their codes are demo records (``demo/distribution_diversion_demo.xml``,
``demo/distribution.code.csv``); ``demo/distribution_diversion_history.xml`` then calls
``distribution.code.batch._demo_build_history``, which runs ``build`` here, once:

* the two batches of 100 unit codes (乌龙茶 and 每日坚果) all supplied to the East
  distributor RD001 two months ago, most of them passed on to its dealers DL001 (杭州),
  DL002 (宁波) and DL003 (江苏) six weeks ago;
* about a hundred scans over the last six weeks: stores checking the goods of
  their own region, consumers on the public page, a few unknown codes, a few
  units scanned again after they were sold;
* three units seen outside their region (窜货), hence three incidents: one
  confirmed with a penalty, one dismissed, one still under investigation.

Deterministic (``random.Random(10)``, the code texts are fixed in the CSV); dates are relative to
today. A plain module, not a model: nothing of the demo is registered in a production database.
"""

import logging
import random
from datetime import timedelta

from odoo import fields
from odoo.tools import plaintext2html

from .unit_codes import generate_codes

_logger = logging.getLogger(__name__)

DEMO_CONTEXT = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}

# (batch index, first code, last code + 1, dealer): codes passed on from RD001 to a dealer
DEALER_SHARES = [
    (0, 0, 60, "DL001"),
    (0, 60, 90, "DL002"),
    (1, 0, 50, "DL001"),
    (1, 50, 80, "DL003"),
]
# stores that check the goods of their dealer, by dealer (all in the dealer's territory)
STORES_OF = {"DL001": ["ST001", "ST002"], "DL002": ["ST004", "ST005"], "DL003": ["ST006"], "RD001": ["ST001", "ST004"]}
# (dealer of the code, store where it was seen, days ago, decision): 窜货
DIVERTED = [
    ("DL001", "ST008", 30, "confirm"),  # 杭州 goods in 广州
    ("DL002", "ST006", 18, "dismiss"),  # 宁波 goods in 南京
    ("DL003", "ST010", 4, None),  # 江苏 goods in 深圳
]
PENALTY = 2000.0


def build(env, batch_ids):
    """Deliver, scan and open the incidents of the codes of the demo batches (once)."""
    hq = env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
    batches = env["distribution.code.batch"].browse(batch_ids).exists()
    if not hq or not batches:
        return True
    Code = env["distribution.code"]
    codes_by_batch = [Code.search([("batch_id", "=", batch.id)], order="id") for batch in batches]
    if any(codes.filtered("level") for codes in codes_by_batch):
        return True  # already delivered: the history was built
    rng = random.Random(10)
    env = env(context=dict(env.context, allowed_company_ids=hq.ids, **DEMO_CONTEXT))
    members = {
        member.code: member
        for member in env["distribution.member"].search([("company_id", "=", hq.id), ("code", "!=", False)])
    }
    now = fields.Datetime.now()
    codes_by_batch = [codes.with_env(env) for codes in codes_by_batch]
    holders = _bind(env, codes_by_batch, members, now)
    diverted = _scans(env, rng, holders, members, now)
    incidents = _incidents(env, diverted, now)
    _logger.info(
        "Anti-diversion demo: %s codes delivered, %s incidents", sum(len(codes) for codes in codes_by_batch),
        len(incidents),
    )
    return True


def _bind(env, codes_by_batch, members, now):
    """All codes delivered to RD001 two months ago, then shares of them to its dealers six
    weeks ago (distribution.code._bind: one INSERT and one UPDATE per delivery).
    Returns {member code: the codes bound to it now}."""
    Code = env["distribution.code"]
    everything = Code.union(*codes_by_batch)
    everything._bind(members["RD001"])
    holders = {"RD001": everything}
    for batch, start, stop, dealer_code in DEALER_SHARES:
        codes = codes_by_batch[batch][start:stop]
        codes._bind(members[dealer_code])
        holders[dealer_code] = holders.get(dealer_code, Code) | codes
        holders["RD001"] -= codes
    # delivered in the past, not now
    env.cr.execute(
        """
        UPDATE distribution_code_binding
           SET date = CASE WHEN level = %s THEN %s ELSE %s END
         WHERE code_id = ANY(%s)
        """,
        [members["RD001"].depth, now - timedelta(days=60), now - timedelta(days=45), everything.ids],
    )
    env["distribution.code.binding"].invalidate_model(["date"])
    return holders


def _scans(env, rng, holders, members, now):
    """About a hundred scans: stores checking the goods of their own region, consumers
    on the public page, codes scanned again after the unit was sold, unknown and
    mistyped codes, and three units seen outside their region (窜货).
    Returns {member code of the diverted unit's holder: the unit}."""
    Scan = env["distribution.code.scan"]
    portal_users = {
        user.partner_id.commercial_partner_id: user
        for user in env["res.users"].search(
            [("share", "=", True), ("partner_id.commercial_partner_id", "in",
                                    [member.partner_id.id for member in members.values()])]
        )
    }
    env.flush_all()
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM distribution_code_scan")
    first_id = env.cr.fetchone()[0] + 1
    dates = []

    public_user = env.ref("base.public_user")

    def scan(text, days, store_code=None):
        """A consumer on the public page (no place known), or a check at a store: by the
        store's portal user if it has one, else by its channel manager on a market
        inspection (市场巡检)."""
        store = members[store_code] if store_code else None
        if not store:
            scan_type, user = "public", public_user
        elif store.partner_id in portal_users:
            scan_type, user = "portal", portal_users[store.partner_id]
        else:
            scan_type, user = "backend", store.manager_id or env.user
        Scan.with_user(user).sudo()._record_scan(
            text, scan_type, member=store,
            ip_address=None if store else f"116.62.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        )
        dates.append(now - timedelta(days=days, minutes=rng.randint(0, 600)))

    # stores check the goods of their region when they receive them
    checked = {}
    for holder, count in (("DL001", 30), ("DL002", 15), ("DL003", 12), ("RD001", 8)):
        codes = holders[holder].sorted("id")
        checked[holder] = codes.browse(rng.sample(codes.ids, count))
        for code in checked[holder]:
            scan(code.name, rng.randint(5, 44), rng.choice(STORES_OF[holder]))
    # consumers check what they bought: genuine, no place known
    everything = env["distribution.code"].union(*holders.values())
    for code in everything.browse(rng.sample(everything.ids, 15)):
        scan(code.name, rng.randint(1, 40))
    # sold units; a few scanned again by someone who was offered them "new"
    sold = env["distribution.code"].union(*checked.values())[:20]
    sold.write({"state": "sold", "date_sold": now - timedelta(days=3)})
    for code in sold[:5]:
        scan(code.name, rng.randint(0, 2))
    # codes the brand never issued (copies) and mistyped ones
    for _i in range(4):
        scan(generate_codes(1)[0], rng.randint(1, 40))
    for text in ("HX-2024-0001", "12345678"):
        scan(text, rng.randint(1, 40))
    # 窜货: units of a dealer's region checked by a store elsewhere
    diverted = {}
    for holder, store_code, days, _decision in DIVERTED:
        unit = (holders[holder] - everything.filtered(lambda c: c.state == "sold")).sorted("id")[-1]
        diverted[holder] = unit
        scan(unit.name, days, store_code)
    # the scans happened over the last weeks, not now
    env.flush_all()
    env.cr.execute("SELECT id FROM distribution_code_scan WHERE id >= %s ORDER BY id", [first_id])
    scan_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        UPDATE distribution_code_scan s
           SET date = v.date
          FROM unnest(%s::int[], %s::timestamp[]) AS v(id, date)
         WHERE s.id = v.id
        """,
        [scan_ids, dates[: len(scan_ids)]],
    )
    env["distribution.code.scan"].invalidate_model(["date"])
    return diverted


def _incidents(env, diverted, now):
    """The incidents of the diverted units, dated as their scans: the first confirmed with
    a penalty, the second dismissed, the third still under investigation."""
    Incident = env["distribution.diversion.incident"]
    env.cr.execute(
        """
        UPDATE distribution_diversion_incident i
           SET date = s.date, create_date = s.date
          FROM distribution_code_scan s
         WHERE s.id = i.scan_id AND i.code_id = ANY(%s)
        """,
        [[unit.id for unit in diverted.values()]],
    )
    Incident.invalidate_model(["date", "create_date"])
    root = env.ref("base.partner_root")
    for holder, _store, days, decision in DIVERTED:
        incident = Incident.search([("code_id", "=", diverted[holder].id)], limit=1)
        # the evidence was written when the scan was recorded, today: told again as of the scan's date
        evidence = plaintext2html(incident._evidence_text(incident.user_id))
        incident.message_ids.filtered(lambda m: m.author_id == root and m.message_type == "comment").write(
            {"body": evidence, "date": incident.date}
        )
        incident.activity_ids.write({"note": evidence})
        if decision == "confirm":
            incident._confirm(PENALTY, "经销商承认将 50 箱货物低价转给广州批发商，按协议扣罚。")
        elif decision == "dismiss":
            incident._dismiss("门店从本区域经销商调货用于展示，非窜货销售。")
        if decision:
            incident.date_decided = now - timedelta(days=max(days - 5, 0))
    return Incident.search([("code_id", "in", [unit.id for unit in diverted.values()])])
