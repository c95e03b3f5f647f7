"""Demo data helpers of the distribution addons (used only when a database gets demo data).

An addon's demo records are data in its ``demo/*.xml``; what must be computed (history) is plain
functions in its ``demo/history.py``, which its post-init hook runs through :func:`run_demo_history`.
"""

import logging

_logger = logging.getLogger(__name__)

# quiet and fast: no chatter tracking or creation messages, no followers added on creation
DEMO_CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
}


def run_demo_history(env, module, build):
    """Post-init hook body: ``build(env)`` computes the history of ``module``'s demo on top of its records.

    Only when the module got demo data; in a savepoint, so that a failure leaves the module and its
    demo records installed (as Odoo does when demo data fails), logged as an ERROR.
    """
    if not env["ir.module.module"].search([("name", "=", module)]).demo:
        return
    try:
        with env.cr.savepoint():
            build(env)
    except Exception:
        _logger.exception("%s: the demo's history could not be computed", module)
