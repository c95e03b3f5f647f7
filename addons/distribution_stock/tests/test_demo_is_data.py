from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoIsData(TransactionCase):
    """Demo data is data: no production database carries a demo generator.

    Records of a demo live in ``demo/*.xml``; what must be computed (a year of history) is plain
    functions (``demo/history.py``, ``tools/demo_history.py``) that a post-init hook, or a small
    method of a real model called from the demo XML, runs only when demo data is loaded. So no model
    of a distribution addon is a demo model. The registry holds every installed addon (post_install),
    so this covers all of them that are.
    """

    def _distribution_classes(self, model_name):
        """The classes that distribution addons contribute to a model: (addon, class)."""
        for cls in type(self.env[model_name]).__mro__:
            module = getattr(cls, "__module__", None) or ""
            if module.startswith("odoo.addons.distribution_"):
                yield module.split(".")[2], cls

    def test_no_demo_model_in_the_registry(self):
        offenders = []
        for name in self.env.registry:
            if "demo" not in name:
                continue
            addons = {addon for addon, _cls in self._distribution_classes(name)}
            if addons:
                offenders.append(f"{name} ({', '.join(sorted(addons))})")
        self.assertEqual(offenders, [], "demo-only models registered in every database")

    def test_the_guard_sees_our_classes(self):
        """Not vacuous: the scan finds the classes distribution addons add to a model."""
        addons = {addon for addon, _cls in self._distribution_classes("distribution.member")}
        self.assertLessEqual({"distribution_core", "distribution_stock"}, addons)
