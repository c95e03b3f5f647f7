from . import test_rebate_math
from . import test_rebate_engine
from . import test_rebate_ui
from . import test_rebate_money
from . import test_rebate_ledger_properties
