from . import test_approval_engine
from . import test_portal_approvals
