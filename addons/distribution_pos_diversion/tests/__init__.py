from . import test_pos_diversion
