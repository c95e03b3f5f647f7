{
    "name": "Channel Distribution (DMS) – Promotion Dashboard",
    "summary": "Bridge: the channel-wide promotion execution deviation (the brand's KPI) and the stores' "
    "announced → read → acknowledged path on a Channel dashboard",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_dashboard", "distribution_promotion_announce"],
    "data": [
        "data/dashboards.xml",
    ],
    "auto_install": True,
    "installable": True,
}
