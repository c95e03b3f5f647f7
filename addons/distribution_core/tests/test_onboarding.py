from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DistributionHttpCommon


@tagged("post_install", "-at_install")
class TestOnboarding(DistributionHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invitation = cls.env["distribution.invitation"].with_user(cls.channel_manager).create(
            {
                "name": "Ningbo stores",
                "inviter_member_id": cls.members["dl_hz"].id,
                "tier_id": cls.tier_st.id,
                "territory_id": cls.terr_hz.id,
                "max_uses": 2,
            }
        )
        cls.token = cls.invitation.sudo().token

    def _apply(self, **overrides):
        data = {
            "name": "Xihu Corner Shop",
            "contact_name": "Li Lei",
            "email": "lilei@example.com",
            "phone": "+86 571 0000 0000",
            "vat": "91330100XH0000009X",
            "city": "Hangzhou",
            "territory_id": str(self.terr_hz.id),
        }
        data.update(overrides)
        self.env.flush_all()  # the request runs on its own environment
        data["csrf_token"] = self._csrf("/web/login")
        return self.url_open(f"/dist/join/{self.token}", data=data)

    def test_invitation_link_and_qr(self):
        self.assertEqual(len(self.token), 32, "192 random bits, url-safe")
        self.assertTrue(self.invitation.url.endswith(f"/dist/join/{self.token}"))
        self.assertTrue(self.invitation.qr_code.startswith(b"iVBOR"), "a PNG image")
        self.assertEqual(self.invitation.state, "valid")
        with self.assertRaisesRegex(ValidationError, "can only invite members of a lower tier than its own"):
            self.env["distribution.invitation"].create(
                {"inviter_member_id": self.members["dl_hz"].id, "tier_id": self.tier_rd.id}
            )

    def test_public_form_and_application(self):
        response = self.url_open(f"/dist/join/{self.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Join the channel of", response.text)
        self.assertIn("Hangzhou Dealer", response.text, "the applicant sees who invites it")
        response = self._apply()
        self.assertEqual(response.status_code, 200)
        self.assertIn("is waiting for approval", response.text)
        application = self.env["distribution.application"].search([("invitation_id", "=", self.invitation.id)])
        self.assertEqual(len(application), 1)
        self.assertEqual(
            (application.name, application.parent_member_id, application.tier_id, application.territory_id),
            ("Xihu Corner Shop", self.members["dl_hz"], self.tier_st, self.terr_hz),
        )
        self.assertEqual(application.manager_id, self.channel_user, "the inviter's channel manager decides")
        self.assertTrue(application.activity_ids, "the manager gets a to-do")
        self.assertEqual(self.invitation.use_count, 1)

    def test_duplicate_vat_shown_on_form(self):
        response = self._apply(vat="91330100DL0000001X")
        self.assertEqual(response.status_code, 200)
        self.assertIn("already registered for member [DL_HZ] Hangzhou Dealer", response.text)
        self.assertFalse(self.env["distribution.application"].search([("invitation_id", "=", self.invitation.id)]))

    def test_missing_fields_shown_on_form(self):
        response = self._apply(name="", email="")
        self.assertIn("Please fill in: Company name, Email", response.text)

    def test_bad_and_expired_tokens(self):
        response = self.url_open("/dist/join/not-a-real-token")
        self.assertEqual(response.status_code, 404)
        self.assertIn("This invitation link is not valid", response.text)
        self.assertNotIn("Traceback", response.text)
        response = self.url_open("/dist/join/" + "x" * 500)
        self.assertEqual(response.status_code, 404)
        self.invitation.expiry_date = fields.Datetime.now() - timedelta(minutes=1)
        response = self.url_open(f"/dist/join/{self.token}")
        self.assertEqual(response.status_code, 410)
        self.assertIn("This invitation expired on", response.text)
        # and posting to an expired link creates nothing
        response = self._apply()
        self.assertEqual(response.status_code, 410)
        self.assertFalse(self.invitation.application_ids)

    def test_used_up_and_withdrawn(self):
        self.invitation.max_uses = 1
        self.assertIn("waiting for approval", self._apply().text)
        self.invitation.invalidate_recordset()
        self.assertEqual(self.invitation.state, "used")
        response = self.url_open(f"/dist/join/{self.token}")
        self.assertEqual(response.status_code, 410)
        self.assertIn("has already been used", response.text)
        self.invitation.max_uses = 5
        self.invitation.action_cancel()
        response = self.url_open(f"/dist/join/{self.token}")
        self.assertIn("This invitation was withdrawn", response.text)

    def test_expiry_with_frozen_time(self):
        with freeze_time(fields.Datetime.now() + timedelta(days=15)):
            self.invitation.invalidate_recordset(["state"])
            self.assertEqual(self.invitation.state, "expired")
            with self.assertRaisesRegex(ValidationError, "This invitation expired on"):
                self.env["distribution.application"].create(
                    {"invitation_id": self.invitation.id, "name": "Late", "contact_name": "X", "email": "x@example.com"}
                )

    def _application(self, **vals):
        return self.env["distribution.application"].create(
            dict(
                {
                    "invitation_id": self.invitation.id,
                    "name": "Xihu Corner Shop",
                    "contact_name": "Li Lei",
                    "email": "lilei@example.com",
                    "vat": "91330100XH0000009X",
                },
                **vals,
            )
        )

    def test_approve_creates_member_and_portal_user(self):
        application = self._application()
        application.with_user(self.channel_user).action_approve()
        self.assertEqual(application.state, "approved")
        member = application.member_id
        self.assertEqual(member.state, "active")
        self.assertEqual(member.parent_id, self.members["dl_hz"])
        self.assertEqual(member.tier_id, self.tier_st)
        self.assertEqual(member.territory_id, self.terr_hz)
        self.assertTrue(member.code.startswith("TST"))
        self.assertEqual(member.partner_id.vat, "91330100XH0000009X")
        user = application.user_id
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.parent_id, member.partner_id)
        self.assertEqual(self.env["distribution.member"]._for_user(user), member)
        # the new store's user sees itself, and nothing of its parent
        Member = self.env["distribution.member"].with_user(user)
        self.assertEqual(Member.search([]), member)
        # the parent dealer now sees the new store in its subtree
        self.assertIn(member, self.env["distribution.member"].with_user(self.users["dl_hz"]).search([]))
        with self.assertRaisesRegex(UserError, "has already been decided"):
            application.action_approve()

    def test_duplicate_vat_refused(self):
        with self.assertRaisesRegex(ValidationError, r"already registered for member \[RD_ZJ\] Zhejiang Distributor"):
            self._application(vat="91330000RD0000001X")
        # a member that got the same tax ID in between blocks the approval
        application = self._application()
        partner = self.env["res.partner"].create({"name": "Fast Mover", "is_company": True, "vat": application.vat})
        self.env["distribution.member"].create(
            {"partner_id": partner.id, "code": "FAST", "tier_id": self.tier_st.id,
             "parent_id": self.members["dl_nj"].id}
        )
        with self.assertRaisesRegex(ValidationError, r"already registered for member \[FAST\] Fast Mover"):
            application.action_approve()
        self.assertEqual(application.state, "pending")

    def test_reject_tells_applicant_why(self):
        application = self._application()
        action = application.action_reject()
        wizard = self.env["distribution.reason.wizard"].with_context(**action["context"]).create(
            {"reason": "Your area is already served by our Xihu store."}
        )
        wizard.action_confirm()
        self.assertEqual(application.state, "rejected")
        mail = self.env["mail.mail"].search([("email_to", "=", "lilei@example.com")], limit=1)
        self.assertTrue(mail, "an email goes to the applicant")
        self.assertIn("Your area is already served by our Xihu store.", str(mail.body_html))
        self.assertFalse(application.member_id)

    def test_portal_pages(self):
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        response = self.url_open("/my/channel")
        self.assertEqual(response.status_code, 200)
        for name in ("Zhejiang Distributor", "Hangzhou Dealer", "Hangzhou Store"):
            self.assertIn(name, response.text)
        for name in ("Jiangsu Distributor", "Nanjing Dealer"):
            self.assertNotIn(name, response.text)
        # a sub-member's page is reachable, a sibling's is not
        response = self.url_open(f"/my/channel/member/{self.members['dl_hz'].id}")
        self.assertIn(self.invoices["dl_hz"].name, response.text)
        # 'My Invoices' lists the company's own invoices only
        response = self.url_open("/my/invoices")
        self.assertIn(self.invoices["rd_zj"].name, response.text)
        self.assertNotIn(self.invoices["dl_hz"].name, response.text)
        response = self.url_open(f"/my/channel/member/{self.members['dl_nj'].id}")
        self.assertNotIn(self.invoices["dl_nj"].name, response.text)
        self.assertTrue(response.url.endswith("/my/channel"))
        # invitations page: create one under itself
        response = self.url_open(
            "/my/channel/invitations",
            data={"name": "Wenzhou dealer", "tier_id": self.tier_dl.id, "max_uses": 1,
                  "csrf_token": self._csrf("/my/channel/invitations")},
        )
        self.assertEqual(response.status_code, 200)
        invitation = self.env["distribution.invitation"].search([("name", "=", "Wenzhou dealer")])
        self.assertEqual(invitation.inviter_member_id, self.members["rd_zj"])
        self.assertIn("Wenzhou dealer", response.text)
