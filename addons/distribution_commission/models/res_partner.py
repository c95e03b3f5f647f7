from datetime import timedelta

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_referrer_id = fields.Many2one(
        "distribution.promoter", string="Referred by", index="btree_not_null", copy=False, tracking=True,
        help="The promoter who brought this customer in (the first one wins).",
    )
    dms_referral_date = fields.Datetime(string="Referral Date", copy=False)

    def _attach_referrer(self, promoter, clicked_at=None):
        """First touch wins: attach the customers without a promoter, if the click is recent enough."""
        promoter = promoter.sudo()
        if not promoter or promoter.state != "active":
            return self.browse()
        now = fields.Datetime.now()
        window = promoter.company_id.dms_referral_window_days
        if clicked_at and window and clicked_at < now - timedelta(days=window):
            return self.browse()
        customers = self.sudo().filtered(
            lambda p: not p.channel_referrer_id and p != promoter.partner_id and p.commercial_partner_id != promoter.partner_id
        )
        customers.write({"channel_referrer_id": promoter.id, "dms_referral_date": now})
        return customers
