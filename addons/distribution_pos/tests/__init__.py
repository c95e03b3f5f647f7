from . import test_pos_store
from . import test_pos_sellout
from . import test_pos_promotion
from . import test_pos_price_control
from . import test_pos_replenish
from . import test_pos_replenishment
from . import test_pos_brand
from . import test_pos_phone
