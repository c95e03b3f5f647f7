import json
import re

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import AnnounceCommon


@tagged("post_install", "-at_install")
class TestPromotionPage(AnnounceCommon, HttpCase):
    """The public promotion page, read receipts and the portal acknowledgement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_hz = cls.env["pos.config"].create({"name": "Hangzhou till", "channel_member_id": cls.members["st_hz"].id})
        cls.promo.action_announce()
        cls.hz = cls.promo.dms_announcement_ids.filtered(lambda a: a.member_id == cls.members["st_hz"])
        cls.hz2 = cls.promo.dms_announcement_ids.filtered(lambda a: a.member_id == cls.members["st_hz2"])

    def test_store_link_opened_by_anyone_counts_as_the_store_read(self):
        response = self.url_open(self.hz.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Spring tea festival", response.text)
        self.assertIn("Two boxes of spring tea: 10% off", response.text)
        self.assertIn("Spring Green Tea", response.text, "the products")
        self.assertIn("o_dist_promo_qr", response.text)
        self.assertNotIn("o_dist_promo_store", response.text, "no store figures for an anonymous reader")
        self.assertTrue(self.hz.date_read)
        self.assertFalse(self.hz.read_by_user_id, "opened by someone not logged in")
        self.assertFalse(self.hz2.date_read, "another store's receipt is untouched")
        first = self.hz.date_read
        self.authenticate(self.store_user.login, self.store_user.login)
        self.url_open(self.hz.url)
        self.assertEqual(self.hz.date_read, first, "the first opening is kept")
        self.assertEqual(self.hz.read_count, 2)

    def test_store_user_sees_own_figures_and_acknowledges(self):
        self._make_order(self.pos_hz, [(self.tea, 2)], self.promo.reward_ids)
        self._make_order(self.pos_hz, [(self.tea, 1)])
        self.env.flush_all()
        self.authenticate(self.store_user.login, self.store_user.login)
        with freeze_time("2026-11-04 02:00:00"):
            response = self.url_open(self.promo.dms_announce_url)  # the promotion's own link (portal, QR code)
        self.assertIn("o_dist_promo_store", response.text)
        self.assertIn('o_dist_promo_eligible">2<', response.text)
        self.assertIn('o_dist_promo_missed">1<', response.text)
        self.assertEqual(str(self.hz.date_read), "2026-11-04 02:00:00")
        self.assertEqual(self.hz.read_by_user_id, self.store_user, "first read by the store's portal user")
        with freeze_time("2026-11-04 03:00:00"):
            self.url_open(f"/dist/promo/{self.promo.dms_announce_token}/acknowledge",
                          data={"csrf_token": self._csrf(self.promo.dms_announce_url)})
        self.assertEqual(str(self.hz.date_acknowledged), "2026-11-04 03:00:00")
        self.assertEqual((self.hz.acknowledged_by_user_id, self.hz.acknowledged_via), (self.store_user, "portal"))
        self.assertEqual(self.hz.stage, "acknowledged")
        # the portal's list links to the store's page
        page = self.url_open("/my/promotions").text
        self.assertIn(self.hz.url, page)

    def test_other_members_neither_see_figures_nor_acknowledge(self):
        dealer = self.users["dl_hz"]
        self.authenticate(dealer.login, dealer.login)
        response = self.url_open(self.hz.url)
        self.assertNotIn("o_dist_promo_store", response.text, "the dealer is not the store")
        response = self.url_open(f"/dist/promo/{self.hz.sudo().access_token}/acknowledge",
                                 data={"csrf_token": self._csrf(self.hz.url)})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.hz.date_acknowledged)
        self.assertFalse(self.hz.read_by_user_id, "read through the store's link, by someone of another member")
        # a guessed token opens nothing
        self.assertEqual(self.url_open("/dist/promo/not-a-token").status_code, 404)

    def test_customer_display_feed(self):
        data = self.pos_hz._get_customer_display_data()
        [promotion] = data["dms_promotions"]
        self.assertEqual(promotion["name"], "Spring tea festival")
        self.assertEqual(promotion["note"], "Two boxes of spring tea: 10% off")
        self.assertIn(self.promo.dms_announce_token, promotion["qr_src"], "a QR code of the promotion page")
        nj_till = self.env["pos.config"].create({"name": "Nanjing till", "channel_member_id": self.members["st_nj"].id})
        self.assertFalse(nj_till._get_customer_display_data()["dms_promotions"], "not published to Nanjing")
        # the display refreshes through its config's token, nothing without it
        url = f"/dist/promo/display/{self.pos_hz.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(f"{url}?access_token=wrong").status_code, 404)
        feed = json.loads(self.url_open(f"{url}?access_token={self.pos_hz.access_token}").text)
        self.assertEqual([p["name"] for p in feed["promotions"]], ["Spring tea festival"])
        # an ended promotion leaves the display
        self.promo.write({"date_from": "2020-01-01", "date_to": "2020-12-31"})
        self.assertFalse(self.pos_hz._get_display_promotions())

    def _csrf(self, url):
        match = re.search(r'csrf_token["\']?\s*[:=]\s*["\']([^"\']+)', self.url_open(url).text)
        return match.group(1) if match else ""

    def test_store_opts_out_in_the_portal(self):
        self.authenticate(self.store_user.login, self.store_user.login)
        csrf = self._csrf("/my/promotions")
        self.url_open("/my/promotions/sms", data={"csrf_token": csrf, "opt_out": "1"})
        self.assertTrue(self.members["st_hz"].promotion_sms_opt_out)
        # the next promotion is not texted to it
        second = self.promo.copy({"name": "Summer tea"})
        second.action_announce()
        self.assertEqual(second.dms_announcement_ids.filtered(lambda a: a.member_id == self.members["st_hz"]).sms_state,
                         "opted_out")
        self.url_open("/my/promotions/sms", data={"csrf_token": csrf})
        self.assertFalse(self.members["st_hz"].promotion_sms_opt_out)

    def test_page_and_text_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["distribution_sms", "distribution_promotion_announce"], ["zh_CN"], overwrite=True)
        page = self.url_open(self.hz.url).text
        self.assertIn("顾客可享", page, "an anonymous reader gets the channel's language")
        self.assertIn("适用商品", page)
        second = self.promo.copy({"name": "夏季茶饮"})
        second.action_announce()
        body = second.dms_announcement_ids.filtered(lambda a: a.member_id == self.members["st_hz"]).sms_message_id.body
        self.assertIn("详情", body)
        self.assertIn("拒收请回复R", body)
