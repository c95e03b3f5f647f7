from . import cleaning
from . import reader
from . import rows
