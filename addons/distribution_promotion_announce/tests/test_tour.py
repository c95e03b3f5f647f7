from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_pos.tests.test_pos_promotion import _promotion_vals
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestAnnounceTour(TestPointOfSaleHttpCommon):
    """Publish → SMS logged → page opened → the customer display shows it →
    the store acknowledges and applies it at the till → the report says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        cls.env["ir.config_parameter"].sudo().set_param("distribution_sms.provider", "log")
        currency = cls.main_pos_config.currency_id
        store_prices = cls.env["product.pricelist"].create({"name": "Store prices (tour)", "currency_id": currency.id})
        tier_store = cls.env["distribution.tier"].create(
            {"name": "Store (tour)", "code": "TOUR_ST", "sequence": 200, "pricelist_id": store_prices.id,
             "exclusive_territory": False}
        )
        terr_east = cls.env["distribution.territory"].create({"name": "East (tour)"})
        partner = cls.env["res.partner"].create({"name": "West Lake Store", "is_company": True, "phone": "13800000009"})
        cls.store = cls.env["distribution.member"].create(
            {"partner_id": partner.id, "code": "TOUR_WL", "tier_id": tier_store.id,
             "territory_id": terr_east.id, "state": "active"}
        )
        cls.main_pos_config.channel_member_id = cls.store
        # the cashier is one of the store's people
        cls.pos_user.partner_id.parent_id = partner
        tea = cls.env["product.product"].create(
            {"name": "Longjing Tea", "list_price": 100.0, "available_in_pos": True, "taxes_id": False}
        )
        cls.promo = cls.env["loyalty.program"].create(
            _promotion_vals("East tea days", tea, 10, channel_tier_ids=[Command.set(tier_store.ids)],
                            dms_announce_note="Longjing tea: 10% off")
        )
        today = fields.Date.today()
        cls.env["loyalty.program"].create(
            _promotion_vals("Autumn tea days", tea, 20, channel_tier_ids=[Command.set(tier_store.ids)],
                            date_from=fields.Date.add(today, days=30))
        )

    def test_announce_to_application(self):
        # HQ announces the promotion from its form
        company = self.main_pos_config.company_id
        self.env.ref("base.user_admin").write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        self.start_tour(f"/odoo/loyalty.program/{self.promo.id}", "DmsAnnounceBackendTour", login="admin")
        announcement = self.promo.dms_announcement_ids
        self.assertEqual(announcement.member_id, self.store)
        # the SMS leaves through the log-only gateway
        self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(announcement.sms_state, "sent")
        self.assertIn(announcement.url, announcement.sms_message_id.body)
        # someone at the store opens the link
        self.assertEqual(self.url_open(announcement.url).status_code, 200)
        self.assertTrue(announcement.date_read)
        # the store's big screen shows it while the till is idle (not the one that starts next month)
        config = self.main_pos_config
        self.start_tour(f"/pos_customer_display/{config.id}/{config.access_token}", "DmsCustomerDisplayPromotionTour",
                        login="pos_user")
        # the cashier acknowledges it and sells with it
        self.start_pos_tour("DmsAnnouncePosTour", login="pos_user")
        self.assertEqual((announcement.acknowledged_by_user_id, announcement.acknowledged_via), (self.pos_user, "pos"))
        order = self.env["pos.order"].search([("config_id", "=", config.id)])
        self.assertEqual(order.lines.reward_id.program_id, self.promo)
        self.env.flush_all()
        row = self.env["distribution.promotion.execution"].search(
            [("program_id", "=", self.promo.id), ("config_id", "=", config.id)]
        )
        self.assertEqual((row.eligible_order_count, row.applied_order_count, row.deviation), (1, 1, 0.0))
        self.assertEqual(row.announcement_stage, "applied")
        self.assertEqual(row.date_first_applied, order.date_order)
