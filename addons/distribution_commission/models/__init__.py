from . import promoter
from . import commission
from . import withdrawal
