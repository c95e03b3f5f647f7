from . import test_statement
from . import test_statement_integrity
from . import test_statement_property
from . import test_statement_ui
from . import test_statement_language
