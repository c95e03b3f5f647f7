from . import distribution_member
from . import distribution_promotion_announcement
from . import loyalty_program
from . import pos_config
from . import distribution_promotion_execution
from . import distribution_promotion_deviation
