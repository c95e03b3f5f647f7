from urllib.parse import quote

from odoo import fields, models
from odoo.fields import Domain

from odoo.addons.distribution_pos.models.distribution_promotion_execution import NOT_PROMOTIONS


class PosConfig(models.Model):
    _inherit = "pos.config"

    def _get_display_promotions(self):
        """The HQ promotions of this point of sale's store that run today or
        later: their texts and dates. The customer display shows, each day,
        those whose dates include the day (it re-checks the dates by itself)."""
        self.ensure_one()
        store = self.sudo().channel_member_id
        if not store:
            return []
        today = fields.Date.context_today(self)
        # sudo: the display is public (it only knows the config's access token)
        programs = self.env["loyalty.program"].sudo().search(
            Domain("channel_published", "=", True)
            & Domain("pos_ok", "=", True)
            & Domain("program_type", "not in", NOT_PROMOTIONS)
            & (Domain("date_to", "=", False) | Domain("date_to", ">=", today))
            & (Domain("pos_config_ids", "=", False) | Domain("pos_config_ids", "in", self.ids))
            & (Domain("company_id", "=", False) | Domain("company_id", "=", self.company_id.id)),
            order="date_from, id",
        )
        lang = self.env["distribution.promotion.announcement"]._announce_lang(store.partner_id)
        result = []
        for program in programs.filtered(lambda p: p._is_published_to_store(store)).with_context(lang=lang):
            result.append({
                "id": program.id,
                "name": program.name,
                "note": program.dms_announce_note or "",
                "rewards": program.reward_ids.mapped("description"),
                "products": program._get_announce_products_text(),
                "date_from": fields.Date.to_string(program.date_from) if program.date_from else False,
                "date_to": fields.Date.to_string(program.date_to) if program.date_to else False,
                "dates": program._get_announce_dates_text(),
                "url": program.dms_announce_url or False,
                # customers scan it on the big screen to open the promotion page on their phone
                "qr_src": program.dms_announce_url and (
                    f"/report/barcode/?barcode_type=QR&value={quote(program.dms_announce_url, safe='')}&width=256&height=256"
                ),
            })
        return result

    def _get_customer_display_data(self):
        data = super()._get_customer_display_data()
        data["dms_promotions"] = self._get_display_promotions()
        return data

    # ------------------------------------------------------------------
    # Store staff at the till
    # ------------------------------------------------------------------
    def dms_promotion_announcements(self):
        """The promotions announced to this point of sale's store that have not
        ended, for the till's *Promotions* screen."""
        self.ensure_one()
        self.check_access("read")
        store = self.sudo().channel_member_id
        if not store:
            return []
        today = fields.Date.context_today(self)
        announcements = self.env["distribution.promotion.announcement"].sudo().search([
            ("member_id", "=", store.id),
            ("program_id.active", "=", True),
            "|", ("program_id.date_to", "=", False), ("program_id.date_to", ">=", today),
        ])
        return [{
            "id": a.id,
            "name": a.program_id.name,
            "dates": a.program_id._get_announce_dates_text(),
            "acknowledged": bool(a.date_acknowledged),
            "acknowledged_by": a.acknowledged_by_user_id.name or "",
        } for a in announcements]

    def _dms_announcement_of_store(self, announcement_id):
        self.ensure_one()
        announcement = self.env["distribution.promotion.announcement"].sudo().browse(int(announcement_id)).exists()
        if not announcement or announcement.member_id != self.sudo().channel_member_id:
            return announcement.browse()
        return announcement

    def dms_acknowledge_promotion(self, announcement_id):
        """The cashier acknowledges, at the till, a promotion announced to the store."""
        self.ensure_one()
        self.check_access("read")
        announcement = self._dms_announcement_of_store(announcement_id)
        if not announcement:
            return False
        announcement.with_env(self.env)._acknowledge("pos")
        return True
