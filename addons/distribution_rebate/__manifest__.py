{
    "name": "Channel Distribution (DMS) – Rebates",
    "summary": "Rebate agreements (flat, stepped, growth), explainable computations, month-end accruals and "
    "settlements by credit note through the approval engine; My Rebates in the portal",
    "version": "19.0.1.2.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "distribution_approval", "distribution_sale", "account", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/distribution_rebate_security.xml",
        "data/distribution_rebate_data.xml",
        "views/distribution_rebate_agreement_views.xml",
        "views/distribution_rebate_computation_views.xml",
        "views/distribution_rebate_settlement_views.xml",
        "views/distribution_rebate_accrual_views.xml",
        "views/account_move_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/distribution_rebate_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/distribution_rebate_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_rebate/static/src/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
