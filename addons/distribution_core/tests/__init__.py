from . import test_network
from . import test_security
from . import test_onboarding
from . import test_ui
from . import test_pricing
from . import test_approvals
from . import test_ordering_ui
