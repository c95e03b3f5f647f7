def post_init_hook(env):
    """With demo data, the sell-in demo on top of core's network demo (see demo/sale_demo.py):
    plain functions, no demo model in the database."""
    if env.ref("base.module_distribution_sale").demo:
        from .demo.sale_demo import generate

        generate(env)
