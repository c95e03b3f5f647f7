from . import main
from . import portal
from . import ordering
from . import scan
