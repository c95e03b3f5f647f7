from . import test_approval_engine
