{
    "name": "Channel Distribution (DMS) – Approvals",
    "summary": "Approvals no one can get around, on top of OCA tier validation: channel reviewers, "
    "all of a group, escalation, out-of-office delegation, frozen figures, for the models that opt in",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": [
        "mail",
        "portal",
        "resource",
        "base_tier_validation",
    ],
    "data": [
        "security/distribution_approval_groups.xml",
        "security/ir.model.access.csv",
        "security/distribution_approval_security.xml",
        "data/distribution_approval_data.xml",
        "views/tier_definition_views.xml",
        "views/tier_review_views.xml",
        "views/distribution_approval_delegation_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
}
