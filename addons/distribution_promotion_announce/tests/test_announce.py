import json

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AnnounceCommon


@tagged("post_install", "-at_install")
class TestAnnounce(AnnounceCommon):
    def test_each_targeted_store_texted_once(self):
        announcements = self._announce()
        self.assertEqual(announcements.member_id,
                         self.members["st_hz"] | self.members["st_hz2"] | self.members["st_hz3"],
                         "the stores of Zhejiang, not Nanjing's, not the dealers")
        hz = self._announcement("st_hz")
        self.assertEqual(hz.sms_state, "sent")
        self.assertEqual(hz.mobile, "13800000001")
        self.assertEqual(self._announcement("st_hz2").sms_state, "opted_out")
        self.assertEqual(self._announcement("st_hz3").sms_state, "no_mobile", "a landline cannot be texted")
        [request] = self.gateway.requests
        self.assertEqual(request["PhoneNumbers"], "13800000001")
        params = json.loads(request["TemplateParam"])
        self.assertEqual(params["promotion"], "Spring tea festival")
        self.assertEqual(params["url"], hz.url, "the SMS links to the store's own page")
        self.assertIn(hz.sudo().access_token, hz.url)
        self.assertNotEqual(hz.sudo().access_token, self._announcement("st_hz2").sudo().access_token)
        self.assertEqual(hz.sms_message_id.body.count(hz.url), 1)

        # announced again: nobody twice
        self._announce()
        self.assertEqual(len(self.promo.dms_announcement_ids), 3)
        self.assertEqual(len(self.gateway.requests), 1)
        # a store that joins the publication later is announced on the next press, alone
        self.members["st_nj"].territory_id = self.terr_hz
        self._announce()
        self.assertEqual(len(self.promo.dms_announcement_ids), 4)
        self.assertEqual([r["PhoneNumbers"] for r in self.gateway.requests], ["13800000001", "13800000004"])

    def test_failed_text_retried_by_cron_and_status_follows(self):
        self.gateway.responses += [(500, {})]
        self._announce()
        hz = self._announcement("st_hz")
        self.assertEqual(hz.sms_state, "retry")
        self.assertIn("HTTP 500", hz.sms_error)
        hz.sms_message_id.date_next_attempt = False  # due now
        self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(hz.sms_state, "sent")
        self.assertEqual(len(self.gateway.requests), 2)
        with self.assertRaisesRegex(UserError, "already sent"):
            hz.action_send_sms()

    def test_number_added_later_texted_on_demand(self):
        self._announce()
        hz3 = self._announcement("st_hz3")
        self.members["st_hz3"].promotion_sms_mobile = "13800000003"
        hz3.action_send_sms()
        self.env["distribution.sms.message"]._cron_send()
        self.assertEqual(hz3.sms_state, "sent")
        self.assertEqual(self.gateway.requests[-1]["PhoneNumbers"], "13800000003")

    def test_never_two_announcements_for_a_store(self):
        self._announce()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["distribution.promotion.announcement"].create(
                {"program_id": self.promo.id, "member_id": self.members["st_hz"].id}
            )

    def test_only_published_running_promotions(self):
        self.promo.write({"channel_tier_ids": False, "channel_territory_ids": False})
        with self.assertRaisesRegex(UserError, "not published to the channel"):
            self.promo.action_announce()
        self.assertFalse(self.promo.dms_announcement_ids)

    def test_who_may_announce_and_read(self):
        with self.assertRaises(AccessError):
            self.promo.with_user(self.channel_user).action_announce()
        self.promo.with_user(self.channel_manager).action_announce()
        self.assertEqual(len(self.promo.with_user(self.channel_user).dms_announcement_ids), 3, "channel users follow them")
        with self.assertRaises(AccessError):
            self.env["distribution.promotion.announcement"].with_user(self.store_user).search([])
        # channel managers see the announcements' text messages, not the rest of the SMS log
        other = self.env["distribution.sms.message"].create({"number": "13900000000", "body": "other"})
        visible = self.env["distribution.sms.message"].with_user(self.channel_manager).search([])
        self.assertIn(self._announcement("st_hz").sms_message_id, visible)
        self.assertNotIn(other, visible)

    def test_acknowledge_only_by_the_store(self):
        self._announce()
        hz, hz2 = self._announcement("st_hz"), self._announcement("st_hz2")
        with self.assertRaisesRegex(UserError, "Only the users of"):
            hz.with_user(self.channel_manager)._acknowledge("portal")
        # at the till: a cashier of the Hangzhou store cannot acknowledge for the West store
        till = self.env["pos.config"].create({"name": "Hangzhou till", "channel_member_id": self.members["st_hz"].id})
        contact = self.env["res.partner"].create(
            {"name": "Hangzhou cashier", "parent_id": self.members["st_hz"].partner_id.id})
        cashier = new_test_user(self.env, login="hz_cashier", groups="distribution_pos.group_store_staff",
                                partner_id=contact.id)
        till = till.with_user(cashier)
        self.assertEqual([a["name"] for a in till.dms_promotion_announcements()], ["Spring tea festival"])
        self.assertFalse(till.dms_acknowledge_promotion(hz2.id))
        self.assertFalse(hz2.date_acknowledged)
        self.assertTrue(till.dms_acknowledge_promotion(hz.id))
        self.assertEqual((hz.acknowledged_by_user_id, hz.acknowledged_via), (cashier, "pos"))
        self.assertTrue(hz.date_read, "acknowledging reads it too")
        # another store's till is out of reach of this cashier
        west_till = self.env["pos.config"].create(
            {"name": "West till", "channel_member_id": self.members["st_hz2"].id})
        with self.assertRaises(AccessError):
            west_till.with_user(cashier).dms_acknowledge_promotion(hz2.id)
