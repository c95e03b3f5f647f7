"""Channel members at a flat cost (issue #30): `make bench topic=members`.

Data: a channel of 20,000 members (BENCH_MEMBERS_ROWS for a quicker run), written parents first:
0.1 % general agents, 1 % distributors, 10 % dealers, the rest stores, each under a random member
of the tier above; each member a company (tax ID, phone, e-mail, address) with one contact, in
one of 30 city territories under 3 provinces (the general agents' tier is exclusive: each of them
has a city of its own); each tier with a default pricelist (the member's partner gets it as its
pricelist property). The same rows are written twice, from the same starting database:

1. through the ORM, the way onboarding, tests and other addons create members: batches of 1,000
   rows, each `res.partner.create` of the companies, of their contacts, then
   `distribution.member.create` per tier (parents first), tracking off, everything flushed; the
   rate of the first and of the last 1,000 rows and their ratio (target <= 1.5: the 20,000th
   member costs about what the 20th does). Then rolled back to a savepoint;
2. the same rows as a legacy CSV file through the migration import (Read File + Import, no dry
   run): rows/s (target >= 2,000), and the territories' member counts checked against a count of
   the rows.

Timings on a shared machine vary from batch to batch with the other processes' load: the ratio is
taken on the work done for each batch, the CPU time of this Odoo process plus the CPU time of the
PostgreSQL backend serving its cursor (read from /proc; the embedded cluster runs on this machine),
which other processes do not inflate. The wall-clock rates and their ratio are printed beside it
(`wall_ratio`). Where the backend's CPU cannot be read (a remote server), wall time is used.
Everything is rolled back at the end.
"""

import base64
import csv
import io
import os
import random
import sys
import time

from bench_common import bench_env

N_ROWS = int(os.environ.get("BENCH_MEMBERS_ROWS", 20_000))
BATCH = 1_000
N_CITIES = 30
RATIO_TARGET = 1.5
IMPORT_TARGET = 2000  # rows/s
TIERS = [("BMGA", "Bench Members General Agent"), ("BMRD", "Bench Members Distributor"),
         ("BMDL", "Bench Members Dealer"), ("BMST", "Bench Members Store")]
HEADERS = [
    ("客户编码", "code"), ("客户名称", "name"), ("渠道级别", "tier"), ("上级客户编码", "parent"),
    ("销售区域", "territory"), ("税号", "vat"), ("联系电话", "phone"), ("电子邮箱", "email"),
    ("地址", "street"), ("城市", "city"), ("联系人", "contact"), ("信用额度", "credit_limit"), ("状态", "state"),
]
CITIES = ["杭州市", "宁波市", "南京市", "苏州市", "广州市", "深圳市", "佛山市", "上海市", "北京市", "成都市"]


def build_rows():
    """The rows, parents first (dicts keyed by import field key, plus the level). Deterministic."""
    rng = random.Random(30)
    n_ga = max(1, N_ROWS // 1000)
    n_rd = max(1, N_ROWS // 100)
    n_dl = max(1, N_ROWS // 10)
    rows, by_level = [], []
    for level, count in enumerate((n_ga, n_rd, n_dl, N_ROWS - n_ga - n_rd - n_dl)):
        codes = []
        for i in range(count):
            n = len(rows)
            city = CITIES[n % len(CITIES)]
            rows.append({
                "level": level,
                "code": f"BM{n:06d}",
                "name": f"{city[:-1]}渠道商 {n:06d} 有限公司",
                "tier": TIERS[level][1],
                "parent": rng.choice(by_level[level - 1]) if level else "",
                # a general agent's city is its own (exclusive tier); the others share the 30 cities
                "territory": f"Bench City {(i if level == 0 else n) % N_CITIES:02d}",
                "vat": f"91{330000 + n % 1000:06d}{n:09d}X",
                "phone": f"139{n:08d}",
                "email": f"bm{n:06d}@legacy.example.com",
                "street": f"{city}人民路 {1 + n % 999} 号",
                "city": city,
                "contact": f"联系人 {n:06d}",
                "credit_limit": str(10_000 + (n % 50) * 1_000),
                "state": "active",
            })
            codes.append(rows[-1]["code"])
        by_level.append(codes)
    return rows


def build_references(env):
    """Tiers (with their default pricelists) and 3 provinces of 10 cities each."""
    pricelists = env["product.pricelist"].create([{"name": f"Bench Members {code}"} for code, _name in TIERS])
    tiers = env["distribution.tier"].create([
        {"name": name, "code": code, "sequence": 900 + i, "exclusive_territory": i == 0,
         "pricelist_id": pricelists[i].id}
        for i, (code, name) in enumerate(TIERS)
    ])
    Territory = env["distribution.territory"]
    provinces = Territory.create([{"name": f"Bench Province {p}", "code": f"BMP{p}", "territory_type": "state"}
                                  for p in range(3)])
    cities = Territory.create([
        {"name": f"Bench City {c:02d}", "code": f"BMC{c:02d}", "territory_type": "city",
         "parent_id": provinces[c % 3].id}
        for c in range(N_CITIES)
    ])
    env.flush_all()
    return tiers, {city.name: city for city in cities}


class QueryTimes:
    """BENCH_MEMBERS_SQL=1: the slowest statements of each batch (to see what grows)."""

    def __init__(self):
        self.times = {}
        if os.environ.get("BENCH_MEMBERS_SQL"):
            from odoo import sql_db

            original = sql_db.Cursor.execute

            def execute(cursor, query, params=None, log_exceptions=True):
                start = time.perf_counter()
                try:
                    return original(cursor, query, params, log_exceptions)
                finally:
                    text = " ".join(str(getattr(query, "code", query)).split())[:150]
                    count, seconds = self.times.get(text, (0, 0.0))
                    self.times[text] = (count + 1, seconds + time.perf_counter() - start)

            sql_db.Cursor.execute = execute

    def report(self):
        for text, (count, seconds) in sorted(self.times.items(), key=lambda item: -item[1][1])[:8]:
            print(f"      {seconds:6.2f} s {count:5d}x {text}")
        self.times.clear()


def backend_cpu(env):
    """CPU seconds used so far by the PostgreSQL backend of this cursor, None where unreadable."""
    env.cr.execute("SELECT pg_backend_pid()")
    pid = env.cr.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields after the command: state is [0], utime [11], stime [12] (clock ticks)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_orm(env, rows, tiers, cities):
    """Create the rows through the ORM in batches; [(rows, wall seconds, cpu seconds)] per batch,
    cpu being this process's plus its database backend's (wall seconds where that is unreadable)."""
    Partner = env["res.partner"]
    Member = env["distribution.member"]
    member_ids = {}
    timings = []
    queries = QueryTimes()
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        wall, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(env)
        partners = Partner.create([
            {"name": r["name"], "is_company": True, "vat": r["vat"], "phone": r["phone"], "email": r["email"],
             "street": r["street"], "city": r["city"]}
            for r in batch
        ])
        Partner.create([{"name": r["contact"], "parent_id": p.id} for r, p in zip(batch, partners, strict=True)])
        pairs = list(zip(batch, partners, strict=True))
        for level in sorted({r["level"] for r in batch}):
            todo = [(r, p) for r, p in pairs if r["level"] == level]
            members = Member.create([
                {"partner_id": p.id, "code": r["code"], "tier_id": tiers[level].id,
                 "parent_id": member_ids[r["parent"]] if r["parent"] else False,
                 "territory_id": cities[r["territory"]].id, "state": r["state"],
                 "credit_limit": float(r["credit_limit"])}
                for r, p in todo
            ])
            member_ids.update((r["code"], m.id) for (r, _p), m in zip(todo, members, strict=True))
        env.flush_all()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        db_end = backend_cpu(env)
        work = cpu + db_end - db_cpu if db_cpu is not None and db_end is not None else wall
        timings.append((len(batch), wall, work))
        env.invalidate_all()  # as the next request would start
        print(f"  orm batch {start // BATCH + 1:2d}: {len(batch) / wall:6.0f} rows/s wall, "
              f"{len(batch) / work:6.0f} rows per cpu-second (odoo {cpu:.1f} s + database "
              f"{work - cpu:.1f} s, wall {wall:.1f} s)", flush=True)
        queries.report()
    return timings


def to_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _key in HEADERS])
    for row in rows:
        writer.writerow([row[key] for _header, key in HEADERS])
    return buffer.getvalue().encode("utf-8")


def run_import(env, content):
    profile = env["distribution.import.profile"].create({
        "name": "Bench members", "source_system": "Bench ERP", "target": "member",
        "dup_file_policy": "reject", "dup_db_policy": "merge",
    })
    job = env["distribution.import.job"].create({
        "profile_id": profile.id, "file": base64.b64encode(content), "file_name": "bench_members.csv",
    })
    env.flush_all()
    start = time.perf_counter()
    job.action_read_file()
    job.action_import()
    env.flush_all()
    seconds = time.perf_counter() - start
    assert job.state == "done", job.state
    return job, seconds


def check_counts(env, rows, cities):
    """Every city's member count and coverage as stored equal a count of the rows."""
    expected = {}
    for row in rows:
        expected[row["territory"]] = expected.get(row["territory"], 0) + 1
    env.invalidate_all()
    for name, city in cities.items():
        assert city.member_count == expected.get(name, 0), (name, city.member_count, expected.get(name, 0))
        assert city.covered == bool(expected.get(name)), name


def rate(timings):
    """Rows per wall-clock second."""
    return sum(n for n, _w, _c in timings) / sum(w for _n, w, _c in timings)


def work_rate(timings):
    """Rows per CPU second (Odoo process + its database backend)."""
    return sum(n for n, _w, _c in timings) / sum(c for _n, _w, c in timings)


def main():
    rows = build_rows()
    print(f"members: {len(rows):,} rows in batches of {BATCH:,}", flush=True)
    with bench_env() as env:
        tiers, cities = build_references(env)
        savepoint = env.cr.savepoint()
        total = time.perf_counter()
        timings = run_orm(env, rows, tiers, cities)
        total = time.perf_counter() - total
        check_counts(env, rows, cities)
        savepoint.close(rollback=True)
        env.invalidate_all()
        first, last = work_rate(timings[:1]), work_rate(timings[-1:])
        ratio = first / last
        wall_ratio = rate(timings[:1]) / rate(timings[-1:])
        print(f"orm: {total:.1f} s in all, {len(rows) / total:.0f} rows/s wall; first 1,000 {first:.0f}, "
              f"last 1,000 {last:.0f} rows per cpu-second; wall ratio {wall_ratio:.2f}", flush=True)
        if "distribution.import.job" not in env:
            print("distribution_migration is not installed: no import figure", file=sys.stderr)
            print(f"bench members: orm rows={len(rows)} first_rows_per_cpu_s={first:.0f} "
                  f"last_rows_per_cpu_s={last:.0f} wall_ratio={wall_ratio:.2f} ratio={ratio:.2f} "
                  f"target<={RATIO_TARGET}")
            return 0 if ratio <= RATIO_TARGET else 1
        job, seconds = run_import(env, to_csv(rows))
        assert job.rows_create == len(rows), (job.rows_create, job.rows_reject, job.reject_ids[:5].mapped("reason"))
        check_counts(env, rows, cities)
        import_rate = len(rows) / seconds
        print(f"import: {seconds:.1f} s, {import_rate:.0f} rows/s; territory counts checked", flush=True)
    print(f"bench members: orm rows={len(rows)} batch={BATCH} first_rows_per_cpu_s={first:.0f} "
          f"last_rows_per_cpu_s={last:.0f} wall_ratio={wall_ratio:.2f} ratio={ratio:.2f} target<={RATIO_TARGET}")
    print(f"bench members: import rows={len(rows)} seconds={seconds:.1f} rows_per_s={import_rate:.0f} "
          f"ratio={import_rate / IMPORT_TARGET:.2f} target>=1 ({IMPORT_TARGET} rows/s)", flush=True)
    return 0 if ratio <= RATIO_TARGET and import_rate >= IMPORT_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
