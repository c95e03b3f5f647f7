{
    "name": "Channel Distribution (DMS) – Promotion Announcements",
    "summary": "HQ promotions announced to the stores they target: a text message with its delivery status, a "
    "public mobile page with read receipts, the POS customer display, the stores' acknowledgement and the "
    "execution deviation",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_pos", "distribution_sms", "portal"],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "security/ir.model.access.csv",
        "security/distribution_promotion_announce_security.xml",
        "views/distribution_promotion_announcement_views.xml",
        "views/promotion_execution_views.xml",
        "views/promotion_page_templates.xml",
    ],
    "demo": [
        "demo/distribution_promotion_announce_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "distribution_promotion_announce/static/src/app/**/*",
        ],
        "point_of_sale.customer_display_assets": [
            "distribution_promotion_announce/static/src/customer_display/**/*",
        ],
        "point_of_sale.customer_display_assets_test": [
            "distribution_promotion_announce/static/tests/customer_display/**/*",
        ],
        "web.assets_tests": [
            "distribution_promotion_announce/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
