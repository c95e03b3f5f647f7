{
    "name": "Channel Distribution (DMS) – Anti-diversion",
    "summary": "Anti-diversion (防窜货): unit codes with a check character bound down the channel, scans on a "
    "public page, in the portal and at the till, diversion incidents with penalties, diversion rate",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    # channel orders (distribution_sale) carry codes; deliveries (stock) too
    "depends": ["distribution_core", "distribution_sale", "stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/distribution_diversion_security.xml",
        "data/distribution_code_data.xml",
        "data/distribution_diversion_data.xml",
        "wizard/code_import_views.xml",
        "wizard/diversion_confirm_views.xml",
        "views/distribution_code_batch_views.xml",
        "views/distribution_code_views.xml",
        "views/distribution_code_binding_views.xml",
        "views/stock_picking_views.xml",
        "views/distribution_channel_order_views.xml",
        "views/distribution_diversion_incident_views.xml",
        "views/distribution_code_scan_views.xml",
        "views/distribution_diversion_kpi_views.xml",
        "views/distribution_territory_area_views.xml",
        "views/distribution_diversion_menus.xml",
        "views/scan_templates.xml",
        "views/portal_templates.xml",
        "report/code_label_report.xml",
    ],
    "demo": [
        "demo/distribution_diversion_demo.xml",
        "demo/distribution.code.csv",
        "demo/distribution_diversion_history.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "distribution_diversion/static/src/js/dms_code.js",
        ],
        "web.assets_frontend": [
            "distribution_diversion/static/src/js/dms_code.js",
            "distribution_diversion/static/src/js/dms_scan_page.js",
        ],
        "web.assets_tests": [
            "distribution_diversion/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
