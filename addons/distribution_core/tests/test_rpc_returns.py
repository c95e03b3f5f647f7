import ast
import inspect
import textwrap

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRpcReturns(TransactionCase):
    """XML-RPC cannot marshal None: a button method that returns nothing works
    but the RPC client gets a fault. Every public ``action_*`` method of the
    distribution addons returns a value."""

    def test_public_actions_return_a_value(self):
        missing = []
        for model_name in self.env.registry:
            cls = type(self.env[model_name])
            for name in dir(cls):
                if not name.startswith("action_"):
                    continue
                for klass in cls.__mro__:
                    method = klass.__dict__.get(name)
                    module = getattr(method, "__module__", "") or ""
                    if not callable(method) or not module.startswith("odoo.addons.distribution_"):
                        continue
                    # the approval engine's overrides are tested with it
                    if module.endswith(".tier_validation"):
                        continue
                    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
                    function = tree.body[0]
                    bare = [node for node in ast.walk(function) if isinstance(node, ast.Return) and node.value is None]
                    if bare or not isinstance(function.body[-1], (ast.Return, ast.Raise)):
                        missing.append(f"{module}.{klass.__name__}.{name}")
        self.assertFalse(sorted(set(missing)), "these methods return None to an RPC client")
