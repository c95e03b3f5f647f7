{
    "name": "Channel Distribution (DMS) – Sell-in",
    "summary": "What the channel buys: channel pricelists and price floors, price publications, "
    "ordering from the supplier in the portal (sale orders to HQ, channel orders between members), "
    "credit control and approval of sell-in orders",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": [
        "distribution_core",
        "distribution_approval",
        "sale_management",
        "sale_stock",
        "sale_tier_validation",
    ],
    "data": [
        "security/distribution_sale_groups.xml",
        "security/ir.model.access.csv",
        "security/distribution_sale_security.xml",
        "data/distribution_sale_data.xml",
        "data/mail_template_data.xml",
        "views/distribution_pricelist_rule_views.xml",
        "views/distribution_price_floor_views.xml",
        "views/distribution_price_publication_views.xml",
        "views/distribution_channel_order_views.xml",
        "views/distribution_channel_order_line_views.xml",
        "views/distribution_member_views.xml",
        "views/distribution_tier_views.xml",
        "views/sale_order_views.xml",
        "views/sale_order_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/distribution_sale_menus.xml",
        "views/portal_ordering_templates.xml",
    ],
    "demo": [
        # the sell-in demo, in this order (each file refers to the records of the ones before);
        # what must be computed (demo/history.py) is called where it belongs: the year of sell-in
        # before the approval rules, the members' portal orders under them
        "demo/stock_warehouse_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/product_demo.xml",
        "demo/product_pricelist_demo.xml",
        "demo/distribution_pricelist_rule_demo.xml",
        "demo/distribution_price_floor_demo.xml",
        "demo/sale_order_history.xml",
        "demo/distribution_price_publication_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/tier_definition_demo.xml",
        "demo/distribution_approval_delegation_demo.xml",
        "demo/sale_order_portal_history.xml",
        "demo/distribution_channel_order_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "distribution_sale/static/src/js/dms_money.js",
            "distribution_sale/static/src/js/dms_channel_order.js",
        ],
        "web.assets_tests": [
            "distribution_sale/static/src/tours/*.js",
        ],
    },
    "installable": True,
}
