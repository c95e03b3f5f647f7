from . import test_announce
from . import test_page
from . import test_report
from . import test_tour
