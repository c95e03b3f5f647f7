from . import test_promotion_dashboard
from . import test_portal_chinese
