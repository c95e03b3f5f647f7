from . import distribution_rebate_computation
