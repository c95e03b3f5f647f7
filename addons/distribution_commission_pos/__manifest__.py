{
    "name": "Channel Distribution (DMS) – Member Distribution in the Store POS",
    "summary": "Commissions of promoters on the goods their referred customers buy at a store's point of sale",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_commission", "point_of_sale"],
    "data": [
        "views/pos_order_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
