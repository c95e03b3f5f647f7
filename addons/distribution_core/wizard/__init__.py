from . import distribution_reason_wizard
