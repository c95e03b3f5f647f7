{
    "name": "Channel Distribution (DMS) – Diversion Penalties in Rebates",
    "summary": "Bridge: rebate agreements deduct the penalties of a member's confirmed diversion incidents "
    "from the period's rebate, or void it",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_rebate", "distribution_diversion"],
    "data": [
        "views/distribution_rebate_agreement_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
