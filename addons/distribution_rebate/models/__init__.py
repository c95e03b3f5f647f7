from . import rebate_math
from . import res_company
from . import account_move_line
from . import rebate_agreement
from . import rebate_computation
from . import rebate_settlement
from . import rebate_accrual
