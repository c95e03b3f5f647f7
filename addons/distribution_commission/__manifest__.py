{
    "name": "Channel Distribution (DMS) – Member Distribution",
    "summary": "Promoters with referral links and QR codes, two-level commissions on goods only, frozen through "
    "the return window, withdrawals through the approval engine",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "distribution_approval", "sale_stock", "account", "portal", "auth_signup"],
    "data": [
        "security/distribution_commission_security.xml",
        "security/ir.model.access.csv",
        "data/distribution_commission_data.xml",
        "views/distribution_promoter_views.xml",
        "views/distribution_commission_rule_views.xml",
        "views/distribution_commission_views.xml",
        "views/distribution_commission_withdrawal_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/distribution_commission_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/distribution_commission_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_commission/static/src/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
