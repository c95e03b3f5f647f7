from . import (
    channel_movement,
    channel_sales,
    channel_stock,
    distribution_member,
    res_company,
    res_config_settings,
    stock_analysis,
    stock_report,
    stock_warehouse_orderpoint,
)
