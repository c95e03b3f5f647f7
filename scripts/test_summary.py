"""Summarise an Odoo test log for `scripts/dms test`.

Odoo 19 ends a `--test-enable --stop-after-init` run with one line per
database, logged by ``odoo.tests.result`` (odoo/service/server.py, text from
OdooTestResult.__str__ in odoo/tests/result.py)::

    ... INFO dms_test_x odoo.tests.result: 0 failed, 0 error(s) of 42 tests when loading database 'dms_test_x'

(level ERROR when something failed, WARNING when no test ran). Besides that
line, any ERROR/CRITICAL record that is not a test's own failure report (for
example a module that fails to install) makes the run fail.

The last line printed is always ``N passed, N failed`` and the exit code is
non-zero when anything failed or when no test ran.
"""

import argparse
import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$"
)
RESULT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<total>\d+) tests when loading database")
# records that report a test outcome, already counted in the result line
TEST_LOGGER = re.compile(r"^odoo\.addons\.\w+\.tests(\.|$)")
# "odoo.addons.x.tests.test_y: skipped TestZ.test_w : reason" (unittest skips)
SKIPPED = re.compile(r"^skipped (?P<test>\S+)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--odoo-rc", type=int, default=0)
    parser.add_argument("--not-installed", default="")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()

    result = None
    unexpected = []
    skipped = []
    with open(args.log, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            record = RECORD.match(line.rstrip("\n"))
            if not record:
                continue
            if record["logger"] == "odoo.tests.result":
                match = RESULT.search(record["msg"])
                if match:
                    result = {k: int(v) for k, v in match.groupdict().items()}
                    continue
            if TEST_LOGGER.match(record["logger"]) and SKIPPED.match(record["msg"]):
                skipped.append(record["msg"])
            if record["level"] in ("ERROR", "CRITICAL") and not TEST_LOGGER.match(record["logger"]):
                unexpected.append(line.rstrip("\n"))

    total = failed = errors = 0
    if result:
        total, failed, errors = result["total"], result["failed"], result["errors"]
    # a skipped test (e.g. a tour without Chromium) is not reported as passed
    passed = max(total - failed - errors - len(skipped), 0)
    broken = failed + errors

    problems = []
    if args.not_installed:
        problems.append(f"addons not installed: {args.not_installed}")
    if unexpected:
        problems.append(f"{len(unexpected)} ERROR/CRITICAL log line(s) outside test results")
    if result is None:
        problems.append("Odoo printed no test result line (crashed or stopped early)")
    elif total == 0:
        problems.append("no test ran (check DMS_TEST_TAGS / the addons' tests/__init__.py)")
    if args.odoo_rc != 0 and broken == 0 and not problems:
        problems.append(f"Odoo exited with status {args.odoo_rc}")
    # an installation problem or an empty run counts as one failure
    broken += len(problems)

    print("", flush=True)
    print("=" * 72)
    print(f"Odoo test result: {failed} failed, {errors} error(s) of {total} tests; log: {args.log}")
    for msg in skipped:
        print(f"  {msg[:300]}")
    for line in unexpected[:10]:
        print(f"  unexpected: {line[:300]}")
    for problem in problems:
        print(f"  FAILURE: {problem}")
    if args.seconds:
        print(f"  duration: {args.seconds}s")
    print("=" * 72)
    print(f"{passed} passed, {broken} failed", flush=True)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
