from . import pos_config
from . import distribution_member
