from . import test_channel_sales, test_channel_stock, test_stock_analysis
from . import test_demo_is_data, test_hostile_upload, test_stock_scheduler
