from . import test_rebate_math
from . import test_rebate_engine
from . import test_rebate_ui
from . import test_statement
from . import test_rebate_diversion
from . import test_statement_integrity
from . import test_statement_property
