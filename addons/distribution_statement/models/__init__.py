from . import res_company
from . import res_config_settings
from . import distribution_statement_run
from . import distribution_statement
from . import distribution_statement_line
from . import distribution_statement_dispute
from . import ir_attachment
