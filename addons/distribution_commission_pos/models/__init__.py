from . import pos_order
from . import distribution_commission
