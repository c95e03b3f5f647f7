{
    "name": "Channel Distribution (DMS) – Rebates and Statements",
    "summary": "Rebate agreements, accruals, settlements and electronic statements of account for channel members",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "account"],
    "data": [],
    "installable": True,
}
