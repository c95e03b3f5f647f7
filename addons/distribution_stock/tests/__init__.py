from . import test_channel_sales, test_channel_stock, test_stock_analysis
from . import test_hostile_upload
