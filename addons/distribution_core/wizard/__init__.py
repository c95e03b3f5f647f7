from . import distribution_reason_wizard
from . import code_import
from . import diversion_confirm
