from . import test_cleaning
from . import test_import_member
from . import test_import_targets
from . import test_import_property
from . import test_import_access
from . import test_tour
from . import test_import_figures
from . import test_hostile_upload
