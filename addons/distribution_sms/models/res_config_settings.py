from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dms_sms_provider = fields.Selection(
        [("log", "Log only (sends nothing)"), ("aliyun", "Aliyun-style SMS HTTP API")],
        string="SMS Gateway",
        default="log",
        config_parameter="distribution_sms.provider",
        help="Log only: messages are written to the server log and count as sent (demo, trial).",
    )
    dms_sms_aliyun_endpoint = fields.Char(
        string="Gateway Endpoint",
        config_parameter="distribution_sms.aliyun_endpoint",
        help="Default: https://dysmsapi.aliyuncs.com/ (or the address of a compatible reseller).",
    )
    dms_sms_aliyun_access_key_id = fields.Char(string="AccessKey ID", config_parameter="distribution_sms.aliyun_access_key_id")
    dms_sms_aliyun_access_key_secret = fields.Char(
        string="AccessKey Secret", config_parameter="distribution_sms.aliyun_access_key_secret"
    )
    dms_sms_aliyun_sign_name = fields.Char(
        string="Signature Name", config_parameter="distribution_sms.aliyun_sign_name",
        help="The approved SMS signature (短信签名), shown as 【name】 in front of each message.",
    )
    dms_sms_aliyun_template_code = fields.Char(
        string="Default Template Code", config_parameter="distribution_sms.aliyun_template_code",
        help="Approved template (短信模板) used when the sender gives none, e.g. SMS_123456789.",
    )
    dms_sms_aliyun_region_id = fields.Char(string="Region", config_parameter="distribution_sms.aliyun_region_id",
                                           help="Default: cn-hangzhou.")
    dms_sms_max_attempts = fields.Integer(
        string="Attempts per Message", config_parameter="distribution_sms.max_attempts", default=5,
        help="A message the gateway did not take is retried (after 5, 10, 20 … minutes) up to this number of attempts.",
    )
