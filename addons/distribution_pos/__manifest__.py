{
    "name": "Channel Distribution (DMS) – Store POS",
    "summary": "Point of Sale for the channel's stores: channel prices and resale floors enforced at the till, "
    "sell-out, replenishment from the till, HQ promotions by tier and territory",
    "version": "19.0.1.1.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "distribution_sale", "point_of_sale", "pos_hr", "pos_loyalty", "stock"],
    "data": [
        "security/distribution_pos_security.xml",
        "security/ir.model.access.csv",
        "data/store_staff_data.xml",
        "views/pos_config_views.xml",
        "views/loyalty_program_views.xml",
        "views/distribution_promotion_execution_views.xml",
        "views/pos_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/distribution_pos_menus.xml",
    ],
    "demo": [
        "demo/distribution_pos_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "distribution_pos/static/src/**/*",
        ],
        "web.assets_tests": [
            "distribution_pos/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
