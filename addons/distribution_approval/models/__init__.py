from . import ir_module_module
from . import tier_definition
from . import tier_review
from . import tier_validation
from . import comment_wizard
from . import distribution_approval_delegation
from . import distribution_approval_line_mixin
