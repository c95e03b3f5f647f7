{
    "name": "Channel Distribution (DMS) – Anti-diversion at the Till",
    "summary": "Bridge: stores scan the unit code of what they sell at the POS; a unit of another region "
    "warns the cashier and opens a diversion incident; the codes of a paid order are sold",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_pos", "distribution_diversion"],
    "data": [
        "data/barcode_rule_data.xml",
        "views/distribution_code_scan_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "distribution_diversion/static/src/js/dms_code.js",
            "distribution_pos_diversion/static/src/**/*",
        ],
        "web.assets_tests": [
            "distribution_pos_diversion/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
