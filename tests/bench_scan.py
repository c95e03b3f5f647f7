"""Anti-diversion benchmark (issue #10): code generation and code scans.

Scan part — measured: scans through the public HTTP endpoint `/dist/scan/<code>?format=json` with
10,000,000 codes stored, against an Odoo server started by this script in multi-worker mode
(--workers=2, loopback, a free port). Target: >= 300 scans/s with p99 <= 50 ms, reported as
ratio = max(300 / rate, p99 / 50 ms), target <= 1.

- The 10,000,000 codes are inserted with SQL (INSERT ... SELECT over generate_series), bound in
  turn to 4 members of 4 territories, plus 20,000 real codes (from the addon's generator, with
  their check character) that the client scans: every scan goes through the unique index of the
  10 million names.
- The client is bounded: CONCURRENCY threads, each one request at a time, for DURATION seconds
  after a warm-up. Mix: 85% codes without location, 9% with a location in the bound territory
  (geolocation lookup), 1% with a location outside it (20 codes: an incident opens once per
  code, later scans join it), 5% well-formed unknown codes (404).
- Rate limit: left ON at its default (60 scans per address per minute, counted in the database);
  the client spreads its requests over 4,000 loopback source addresses (127.0.x.y) as many
  scanners would, so the limit's query runs on every request and no address reaches it (a 429
  fails the bench). Where binding 127.0.x.y is impossible the limit is switched off with the
  `distribution_diversion.scan_rate_limit` = 0 parameter, and the output says so.

- Server: `odoo-bin -d <db>` without a --db-filter, as a single-database deployment runs: with a
  filter, Odoo lists the databases from PostgreSQL on every request (one more connection and
  query per scan). The long-polling (gevent) worker must start: with `python -m odoo` it cannot
  (its child is spawned from `odoo/__main__.py` and fails on a relative import, then respawns in a
  loop that eats a core), so the script runs `$ODOO_BIN` (set by `make bench`) when there is one.
- Baseline, measured in the same run by the same client: Odoo's floor, `/web/health` (a route that
  does nothing: no authentication, no database work beyond Odoo's own per-request checks). The
  load client, Odoo's workers and PostgreSQL share the machine's cores, so the floor says what
  any Odoo route can reach here; `of_floor` is the scan rate as a fraction of it.

The data is committed (the server is another process) and deleted at the end (the database of
`make bench` is thrown away anyway).
"""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time

from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

N_CODES = int(os.environ.get("BENCH_SCAN_CODES", 10_000_000))
N_SAMPLE = 20_000
N_OUTSIDE = 20
WORKERS = int(os.environ.get("BENCH_SCAN_WORKERS", 2))
CONCURRENCY = 8
WARMUP = 3.0
DURATION = float(os.environ.get("BENCH_SCAN_DURATION", 20))
FLOOR_DURATION = 10.0
N_ADDRESSES = 4000
TARGET_RATE = 300.0
TARGET_P99_MS = 50.0
PREFIX = "BENCHSCAN"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_scan_data(env):
    """Territories with areas, 4 bound members, N_CODES codes; returns the scan plan's inputs."""
    from odoo.addons.distribution_diversion.tools.unit_codes import generate_codes

    cr = env.cr
    kept = reuse_scan_data(env)
    if kept:
        return kept
    Territory = env["distribution.territory"]
    region = Territory.create({"name": f"{PREFIX} region", "territory_type": "custom"})
    territories = Territory.create(
        [{"name": f"{PREFIX} city {i}", "territory_type": "custom", "parent_id": region.id} for i in range(4)]
    )
    # city i: latitude 20 + i .. 20.9 + i, longitude 100 .. 101
    env["distribution.territory.area"].create(
        [{"territory_id": t.id, "lat_min": 20 + i, "lat_max": 20.9 + i, "lon_min": 100.0, "lon_max": 101.0}
         for i, t in enumerate(territories)]
    )
    tier = env["distribution.tier"].create(
        {"name": f"{PREFIX} dealers", "code": "BSD", "sequence": 990, "exclusive_territory": False}
    )
    partners = env["res.partner"].create([{"name": f"{PREFIX} dealer {i}", "is_company": True} for i in range(4)])
    members = env["distribution.member"].create(
        [{"partner_id": p.id, "code": f"BSD{i}", "tier_id": tier.id, "territory_id": t.id, "state": "active"}
         for i, (p, t) in enumerate(zip(partners, territories, strict=True))]
    )
    product = env["product.product"].create({"name": f"{PREFIX} product", "list_price": 99.0})
    sample = generate_codes(N_SAMPLE)
    template = env["distribution.code"].create({"name": sample[0], "product_id": product.id})
    template.write({"member_id": members[0].id, "territory_id": territories[0].id, "level": 1, "state": "bound"})
    env.flush_all()
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'distribution_code' "
               "AND column_name <> 'id' ORDER BY ordinal_position")
    names = [name for (name,) in cr.fetchall()]
    member_ids, territory_ids = members.ids, territories.ids

    def insert(source_sql, params, overrides):
        cols = ", ".join(f'"{n}"' for n in names)
        values = ", ".join(overrides.get(n, f't."{n}"') for n in names)
        cr.execute(f"INSERT INTO distribution_code ({cols}) SELECT {values} FROM distribution_code t, {source_sql} "
                   f"WHERE t.id = %(template)s", dict(params, template=template.id))

    bound = {
        "member_id": "(%(members)s::int[])[1 + g %% 4]",
        "territory_id": "(%(territories)s::int[])[1 + g %% 4]",
    }
    started = time.perf_counter()
    # filler: names that are not well-formed codes (they only fill the index), inserted in order
    insert("generate_series(1, %(n)s) AS g", {"n": N_CODES - N_SAMPLE, "members": member_ids,
                                             "territories": territory_ids},
           dict(bound, name=f"'{PREFIX}' || lpad(g::text, 8, '0')"))
    insert("unnest(%(names)s::varchar[]) WITH ORDINALITY AS s(name, g)",
           {"names": sample[1:], "members": member_ids, "territories": territory_ids},
           dict(bound, name="s.name"))
    cr.execute("ANALYZE distribution_code")
    print(f"inserted {N_CODES:,} codes in {time.perf_counter() - started:.0f}s", flush=True)
    cr.execute("SELECT name, territory_id FROM distribution_code WHERE name = ANY(%s)", [sample])
    territory_index = {t: i for i, t in enumerate(territory_ids)}
    codes = [(name, territory_index[territory_id]) for name, territory_id in cr.fetchall()]
    return codes, template.id


def reuse_scan_data(env):
    """The codes of an earlier run kept with BENCH_SCAN_KEEP=1 in a database of your own (not the
    throwaway one of `make bench`), when there are at least N_CODES of them: the scans can then be
    measured again on an idle machine without inserting the 10 million rows anew."""
    cr = env.cr
    cr.execute("SELECT id FROM distribution_member WHERE code IN ('BSD0', 'BSD1', 'BSD2', 'BSD3') ORDER BY code")
    member_ids = [row[0] for row in cr.fetchall()]
    if len(member_ids) != 4:
        return None
    cr.execute("SELECT count(*) FROM distribution_code WHERE member_id = ANY(%s)", [member_ids])
    if cr.fetchone()[0] < N_CODES:
        return None
    cr.execute("SELECT territory_id FROM distribution_member WHERE id = ANY(%s) ORDER BY code", [member_ids])
    territory_index = {territory_id: i for i, (territory_id,) in enumerate(cr.fetchall())}
    cr.execute("SELECT name, territory_id FROM distribution_code WHERE member_id = ANY(%s) AND name NOT LIKE %s "
               "ORDER BY id LIMIT %s", [member_ids, f"{PREFIX}%", N_SAMPLE])
    codes = [(name, territory_index[territory_id]) for name, territory_id in cr.fetchall()]
    # incidents of the earlier run are closed, so that the same share of scans opens new ones
    cr.execute("DELETE FROM distribution_diversion_incident WHERE expected_member_id = ANY(%s)", [member_ids])
    cr.execute("DELETE FROM distribution_code_scan WHERE bound_member_id = ANY(%s)", [member_ids])
    print(f"reusing {N_CODES:,}+ codes kept by an earlier run", flush=True)
    return codes, None


def make_plan(codes, rng):
    """(path) of each request of the mix, drawn in advance."""
    from odoo.addons.distribution_diversion.tools.unit_codes import generate_codes

    unknown = generate_codes(2000)
    outside = codes[:N_OUTSIDE]
    plan = []
    for _i in range(200_000):
        draw = rng.random()
        if draw < 0.05:
            plan.append(f"/dist/scan/{rng.choice(unknown)}?format=json")
            continue
        if draw < 0.06:
            name, city = rng.choice(outside)
            city = (city + 1) % 4
        else:
            name, city = rng.choice(codes)
            if draw >= 0.15:
                plan.append(f"/dist/scan/{name}?format=json")
                continue
        lat = 20.45 + city
        plan.append(f"/dist/scan/{name}?format=json&latitude={lat:.2f}&longitude=100.5")
    return plan


def wait_for_server(port, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Odoo server stopped (exit code {proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/web/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the Odoo server did not answer in time")


def load(port, plan, duration, spread):
    """Run CONCURRENCY clients for `duration` seconds; returns (latencies of good answers, bad statuses)."""
    latencies, bad = [], {}
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration
    counter = iter(range(10**9))

    def client(index):
        mine, errors = [], {}
        while time.perf_counter() < stop_at:
            n = next(counter)
            path = plan[n % len(plan)]
            source = (f"127.0.{1 + n // 250 % (N_ADDRESSES // 250)}.{1 + n % 250}", 0) if spread else None
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=source)
                conn.request("GET", path, headers={"Accept": "application/json"})
                response = conn.getresponse()
                response.read()
                conn.close()
                status = response.status
            except OSError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - start
            if status in (200, 404):
                mine.append(elapsed)
            else:
                errors[status] = errors.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, count in errors.items():
                bad[key] = bad.get(key, 0) + count

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, bad


def can_spread():
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.9.9", 0))
        return True
    except OSError:
        return False


def bench_scan():
    db = os.environ["DMS_DB"]
    config.parse_config(["-c", os.environ["ODOO_RC"], "-d", db])
    registry = Registry(db)
    spread = can_spread()
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        codes, _template = build_scan_data(env)
        if not spread:
            env["ir.config_parameter"].set_param("distribution_diversion.scan_rate_limit", "0")
        cr.commit()
    plan = make_plan(codes, random.Random(10))
    port = free_port()
    odoo_bin = os.environ.get("ODOO_BIN")
    launcher = [odoo_bin] if odoo_bin and os.path.isfile(odoo_bin) else ["-m", "odoo"]
    cmd = [sys.executable, *launcher, "-c", os.environ["ODOO_RC"], "-d", db, f"--workers={WORKERS}", f"--http-port={port}", f"--gevent-port={free_port()}",
           "--http-interface=127.0.0.1", "--max-cron-threads=0", "--log-level=warn", "--limit-time-real=600"]
    proc = subprocess.Popen(cmd)
    try:
        wait_for_server(port, proc)
        load(port, plan[::-1], WARMUP, spread)  # warm-up: registries and caches of every worker
        started = time.perf_counter()
        floor_latencies, _floor_bad = load(port, ["/web/health"], FLOOR_DURATION, spread)
        floor_rate = len(floor_latencies) / (time.perf_counter() - started)
        started = time.perf_counter()
        latencies, bad = load(port, plan, DURATION, spread)
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    with registry.cursor() as cr:
        cr.execute("SELECT count(*), count(DISTINCT incident_id) FROM distribution_code_scan")
        scans, incidents = cr.fetchone()
        if os.environ.get("BENCH_SCAN_KEEP") != "1" and not db.startswith("dms_bench_"):
            # a throwaway `make bench` database is dropped anyway; elsewhere remove the bench's codes
            cr.execute("DELETE FROM distribution_diversion_incident WHERE code_id IN "
                       "(SELECT id FROM distribution_code WHERE member_id IN "
                       "(SELECT id FROM distribution_member WHERE code LIKE 'BSD_'))")
            cr.execute("DELETE FROM distribution_code WHERE member_id IN "
                       "(SELECT id FROM distribution_member WHERE code LIKE 'BSD_')")
            cr.commit()
    rate = len(latencies) / elapsed
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("inf")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("inf")
    ratio = max(TARGET_RATE / rate if rate else float("inf"), p99 / TARGET_P99_MS)
    if bad:
        print(f"unexpected answers: {bad}")
        ratio = max(ratio, 99.0)
    print(f"recorded {scans} scans, {incidents} incidents; rate limit "
          f"{'on, spread over %d loopback addresses' % N_ADDRESSES if spread else 'off (parameter = 0)'}")
    floor_latencies.sort()
    floor_p99 = floor_latencies[int(len(floor_latencies) * 0.99) - 1] * 1000 if floor_latencies else float("inf")
    print(f"baseline: Odoo's floor /web/health rate={floor_rate:.0f}/s p99={floor_p99:.1f}ms "
          f"(same client, same server, {os.cpu_count()} cores shared with the client and PostgreSQL)")
    print(
        f"bench scan: codes={N_CODES} workers={WORKERS} concurrency={CONCURRENCY} duration={elapsed:.1f}s "
        f"scans={len(latencies)} rate={rate:.0f}/s p50={p50:.1f}ms p99={p99:.1f}ms "
        f"floor={floor_rate:.0f}/s of_floor={rate / floor_rate if floor_rate else 0:.2f} "
        f"ratio={ratio:.2f} target<=1"
    )
    return ratio <= 1


N_GENERATE = int(os.environ.get("BENCH_GENERATE_CODES", 1_000_000))
TARGET_GENERATE_S = 60.0


def bench_generate(env=None, n=N_GENERATE):
    """Generation part: one batch of n unit codes generated by the job's own method (the cron
    calls it; here it is called directly, so each 50,000-code chunk is committed as in the cron).
    Target: 1,000,000 codes in <= 60 s, reported as ratio = time / 60 s, target <= 1. For
    comparison, the same number of rows inserted by one plain INSERT ... SELECT of generated
    names (no randomness, no check character, no chunks) is timed as a baseline in the same run.
    The codes are deleted at the end."""
    if env is None:
        db = os.environ["DMS_DB"]
        config.parse_config(["-c", os.environ["ODOO_RC"], "-d", db])
        with Registry(db).cursor() as cr:
            return bench_generate(Environment(cr, SUPERUSER_ID, {"tracking_disable": True}), n)
    from odoo.addons.distribution_diversion.tools.unit_codes import is_well_formed

    cr = env.cr
    product = env["product.product"].create({"name": "BENCHGEN product", "list_price": 1.0})
    batch = env["distribution.code.batch"].create({"product_id": product.id, "quantity": n, "carton_size": 0})
    batch.action_generate()
    cr.commit()
    started = time.perf_counter()
    env["distribution.code.batch"]._cron_generate()
    elapsed = time.perf_counter() - started
    batch.invalidate_recordset()
    cr.execute("SELECT count(*), count(DISTINCT name) FROM distribution_code WHERE batch_id = %s", [batch.id])
    count, distinct = cr.fetchone()
    cr.execute("SELECT name FROM distribution_code WHERE batch_id = %s ORDER BY random() LIMIT 1000", [batch.id])
    sample_ok = all(is_well_formed(name) for (name,) in cr.fetchall())
    state = batch.state
    ok = state == "done" and batch.progress == 100.0 and count == distinct == n and sample_ok
    # baseline: plain set-based insert of as many rows, same table and indexes
    started = time.perf_counter()
    cr.execute(
        "INSERT INTO distribution_code (name, kind, product_id, batch_id, level, state, company_id) "
        "SELECT 'BENCHGEN' || lpad(g::text, 9, '0'), 'unit', %s, NULL, 0, 'new', %s "
        "FROM generate_series(1, %s) AS g",
        [product.id, batch.company_id.id, n],
    )
    baseline = time.perf_counter() - started
    cr.rollback()
    cr.execute("DELETE FROM distribution_code WHERE batch_id = %s", [batch.id])
    cr.execute("DELETE FROM distribution_code_batch WHERE id = %s", [batch.id])
    cr.commit()
    ratio = elapsed / TARGET_GENERATE_S
    print(
        f"bench generate: codes={n} state={state} distinct={distinct} time={elapsed:.1f}s "
        f"({n / elapsed:,.0f} codes/s) baseline plain INSERT={baseline:.1f}s (x{elapsed / baseline:.1f}) "
        f"ratio={ratio:.2f} target<=1{'' if ok else ' FAILED: codes missing, duplicated or malformed'}",
        flush=True,
    )
    return ok and ratio <= 1


def main():
    parts = [bench_scan]
    generate = globals().get("bench_generate")  # the generation part (helper CODES), when present
    if generate:
        parts.insert(0, generate)
    only = sys.argv[1] if len(sys.argv) > 1 else None  # "scan" or "generate"
    ok = True
    for part in parts:
        if only and part.__name__ != f"bench_{only}":
            continue
        ok = part() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
