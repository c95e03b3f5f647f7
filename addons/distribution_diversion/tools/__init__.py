from . import demo_history
from . import unit_codes
