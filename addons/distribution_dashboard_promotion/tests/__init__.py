from . import test_promotion_dashboard
