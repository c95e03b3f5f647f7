{
    "name": "Channel Distribution (DMS) – Dashboards",
    "summary": "Spreadsheet dashboards and pivot reports of the channel: sell-in, sell-through and sell-out, top and "
    "bottom members, rebates accrued vs settled, commissions, diversion rate, approval lead times, statement "
    "confirmation rate, stock cover and slow movers; the same figures for each member's subtree in the portal",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": [
        "distribution_stock",
        "distribution_rebate",
        "distribution_statement",
        "distribution_commission",
        "distribution_diversion",
        "spreadsheet_dashboard",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/distribution_dashboard_security.xml",
        "views/distribution_statement_kpi_views.xml",
        "views/distribution_rebate_report_views.xml",
        "views/distribution_dashboard_menus.xml",
        "views/dashboard_drilldown_views.xml",
        "data/dashboards.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_dashboard/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
