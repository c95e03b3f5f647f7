from . import test_codes
from . import test_diversion
from . import test_diversion_ui
from . import test_hostile_input
from . import test_portal_scopes
