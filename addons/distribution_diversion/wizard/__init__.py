from . import code_import
from . import diversion_confirm
