from odoo import api, fields, models

from odoo.addons.distribution_sms.models.distribution_sms_provider import normalize_cn_mobile


class DistributionMember(models.Model):
    _inherit = "distribution.member"

    promotion_sms_mobile = fields.Char(
        string="Promotion SMS Mobile",
        compute="_compute_promotion_sms_mobile",
        store=True,
        readonly=False,
        precompute=True,
        help="Mobile number that receives HQ's promotion announcements (default: the company's phone, when it is a "
        "mobile number).",
    )
    promotion_sms_opt_out = fields.Boolean(
        string="No Promotion SMS",
        help="The store asked not to receive promotion text messages; announcements still reach its portal.",
    )
    promotion_announcement_ids = fields.One2many(
        "distribution.promotion.announcement", "member_id", string="Promotion Announcements"
    )

    @api.depends("partner_id.phone")
    def _compute_promotion_sms_mobile(self):
        for member in self:
            if not member.promotion_sms_mobile:
                member.promotion_sms_mobile = normalize_cn_mobile(member.partner_id.phone) or False
