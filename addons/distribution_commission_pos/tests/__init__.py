from . import test_pos_commission
