{
    "name": "Channel Distribution (DMS) – Store POS",
    "summary": "Point of Sale for the channel's stores: each POS belongs to a store member and sells at its channel prices",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["distribution_core", "point_of_sale"],
    "data": [
        "views/pos_config_views.xml",
    ],
    "installable": True,
}
