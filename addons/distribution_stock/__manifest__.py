{
    "name": "Channel Distribution (DMS) – Channel Inventory",
    "summary": "Stock held by distributors, dealers and stores: Odoo stock or counts reported in the portal, "
    "sell-in / sell-through / sell-out movements, days of cover, turnover, slow movers, hot items and "
    "replenishment suggestions that a member turns into an order in one click",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "distribution_sale", "stock"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/distribution_stock_security.xml",
        "security/stock_analysis_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/distribution_stock_menus.xml",
        "views/distribution_member_views.xml",
        "views/distribution_stock_report_views.xml",
        "views/distribution_channel_stock_views.xml",
        "views/distribution_channel_movement_views.xml",
        "views/distribution_channel_sales_member_views.xml",
        "views/distribution_channel_sales_product_views.xml",
        "views/distribution_stock_analysis_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_stock_templates.xml",
        "views/portal_suggestion_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_stock/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
