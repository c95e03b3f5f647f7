from . import barcode_rule
from . import distribution_code_scan
from . import distribution_pos_code_scan
from . import pos_config
from . import pos_order
from . import pos_order_line
