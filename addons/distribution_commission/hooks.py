import logging

from .demo import history

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """With demo data only: computes the demo's history on top of its records (``demo/history.py``)."""
    if not env["ir.module.module"].search([("name", "=", "distribution_commission")]).demo:
        return
    try:
        with env.cr.savepoint():
            history.build(env)
    except Exception:  # the module and its demo records stay installed, as when demo data fails
        _logger.exception("Member distribution demo: the history could not be computed")
