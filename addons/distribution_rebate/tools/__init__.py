from . import rebate_math
