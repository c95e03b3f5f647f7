from odoo.addons.distribution_core.tools.demo import run_demo_history

from .demo import history


def post_init_hook(env):
    """With demo data only: the demo's history on top of its records (``demo/history.py``)."""
    run_demo_history(env, "distribution_commission", history.build)
