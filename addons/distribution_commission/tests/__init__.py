from . import test_commission
from . import test_commission_ui
from . import test_commission_money
from . import test_commission_properties
from . import test_withdrawal_approval
