from . import test_rebate_diversion
