from . import test_commission
from . import test_commission_ui
