{
    "name": "Channel Distribution (DMS) – Data Migration",
    "summary": "Move members, products, prices, opening balances and unit codes out of the legacy ERP/POS: "
    "CSV/XLSX in UTF-8 or GBK, header mapping remembered per source system, cleaning rules, dry run, "
    "rejected rows as XLSX, idempotent batched import and a log of every import",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "distribution_sale", "distribution_diversion"],
    "external_dependencies": {"python": ["openpyxl", "xlsxwriter"]},
    "data": [
        "security/distribution_migration_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/import_field_member_data.xml",
        "data/import_field_product_data.xml",
        "data/import_field_price_data.xml",
        "data/import_field_balance_data.xml",
        "data/import_field_code_data.xml",
        "views/distribution_import_job_views.xml",
        "views/distribution_import_profile_views.xml",
        "views/distribution_import_field_views.xml",
        "views/distribution_migration_menus.xml",
    ],
    "demo": [
        "demo/distribution_migration_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "distribution_migration/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
