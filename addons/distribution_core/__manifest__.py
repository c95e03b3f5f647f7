{
    "name": "Channel Distribution (DMS) – Core",
    "summary": "Channel network of distributors, dealers and stores: tiers, territories, "
    "onboarding by invitation, portal isolation of each member's subtree",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": [
        "account",
        "portal",
        "web_hierarchy",
        "resource",
        "distribution_approval",
    ],
    "external_dependencies": {"python": ["qrcode"]},  # invitation QR codes
    "data": [
        "security/distribution_core_groups.xml",
        "security/ir.model.access.csv",
        "security/distribution_core_security.xml",
        "data/mail_template_data.xml",
        "data/distribution_tier_data.xml",
        "data/res_country_data.xml",
        "wizard/distribution_reason_wizard_views.xml",
        "views/distribution_tier_views.xml",
        "views/distribution_territory_views.xml",
        "views/distribution_member_views.xml",
        "views/distribution_invitation_views.xml",
        "views/distribution_application_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/distribution_sellout_views.xml",
        "views/distribution_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        # the network demo, in this order (each file refers to the records of the ones before)
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/distribution_territory_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/distribution_member_demo.xml",
        "demo/res_users_portal_demo.xml",
        "demo/product_demo.xml",
        "demo/distribution_onboarding_demo.xml",
        # the brand's logo, and its company behind the public pages (after the company exists)
        "demo/brand_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_core/static/src/tours/*.js",
            "distribution_core/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
