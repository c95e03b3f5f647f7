from . import portal
from . import scan
