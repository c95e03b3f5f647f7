"""Shared set-up for the benchmarks run by `make bench topic=<name>`.

The database and Odoo configuration come from the environment set by
scripts/dms (ODOO_RC, DMS_DB); a bench can also be pointed at any database
with the addons installed: ODOO_RC=odoo.conf DMS_DB=mydb python tests/bench_x.py
"""

import contextlib
import os
import statistics
import time

from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config


@contextlib.contextmanager
def bench_env():
    """An environment on the bench database; everything is rolled back at the end."""
    config.parse_config(["-c", os.environ["ODOO_RC"], "-d", os.environ["DMS_DB"]])
    registry = Registry(os.environ["DMS_DB"])
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        try:
            yield env
        finally:
            cr.rollback()


def timed(func, repeat=5, before=None):
    """Median wall time of func() over `repeat` runs (after one warm-up run);
    `before` runs untimed ahead of each run (e.g. to clear caches)."""
    samples = []
    for i in range(repeat + 1):
        if before:
            before()
        start = time.perf_counter()
        func()
        elapsed = time.perf_counter() - start
        if i:
            samples.append(elapsed)
    return statistics.median(samples)


def columns(cr, table, overrides):
    """The columns of `table` but id, and the expressions that copy them from a row `t` with the
    given overrides (column -> SQL expression): for INSERT ... SELECT clones of real rows."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
        "ORDER BY ordinal_position",
        [table],
    )
    names = [name for (name,) in cr.fetchall()]
    # the expressions go into a query with parameters: a literal % must be doubled
    expressions = ", ".join(overrides.get(n, f't."{n}"') for n in names).replace("%", "%%")
    return ", ".join(f'"{n}"' for n in names), expressions
