from . import rebate_math
from . import res_company
from . import rebate_agreement
from . import rebate_computation
from . import rebate_settlement
from . import rebate_accrual
from . import statement
from . import rebate_demo
