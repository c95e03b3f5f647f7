{
    "name": "Channel Distribution (DMS) – Statements of Account",
    "summary": "Electronic statements of account (电子对账单) of the channel members, read from the posted "
    "receivables: runs, versions, PDF and XLSX, email, confirmation and disputes in the portal",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    # distribution_sale: only for the demo, whose statements are those of the sell-in demo's invoices
    "depends": ["distribution_core", "distribution_sale", "account", "portal"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/distribution_statement_security.xml",
        "report/statement_report.xml",
        "data/distribution_statement_data.xml",
        "views/distribution_statement_run_views.xml",
        "views/distribution_statement_views.xml",
        "views/distribution_statement_dispute_views.xml",
        "views/distribution_statement_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/distribution_statement_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/distribution_statement_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_statement/static/src/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
