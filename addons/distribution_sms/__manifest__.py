{
    "name": "Channel Distribution (DMS) – SMS Gateway",
    "summary": "Text messages sent through a pluggable gateway (a Chinese SMS HTTP API with "
    "signed requests, or a log-only gateway), with a delivery status per message, retries and no double sends",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tools",
    "license": "LGPL-3",
    "author": "DMS contributors",
    "website": "https://example.com/dms",
    "depends": ["base_setup"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/distribution_sms_message_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
}
