from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.distribution_diversion.tools.unit_codes import is_well_formed
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tour_code(prefix):
    """The well-formed code made of prefix padded with zeros and a check character, at the
    shortest length accepted: the POS tour builds the same codes (tourCode)."""
    for length in range(8, 41):
        body = (prefix + "0" * length)[:length]
        for check in CROCKFORD:
            if is_well_formed(body + check):
                return body + check
    raise AssertionError(f"no well-formed code for {prefix}")


@tagged("post_install", "-at_install")
class TestPosDiversion(TestPointOfSaleHttpCommon):
    """Anti-diversion at the till: a Hangzhou (Zhejiang) store scans the unit codes of
    what it sells; a unit supplied to a Jiangsu distributor raises a warning and an
    incident; the codes of the paid order are sold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.user.group_ids += env.ref("distribution_core.group_channel_manager")
        prices = env["product.pricelist"].create(
            {"name": "Store prices (diversion)", "currency_id": cls.main_pos_config.currency_id.id}
        )
        Tier = env["distribution.tier"]
        tier_rd = Tier.create({"name": "Distributor (diversion)", "code": "DV_RD", "sequence": 250})
        tier_st = Tier.create(
            {"name": "Store (diversion)", "code": "DV_ST", "sequence": 260, "pricelist_id": prices.id,
             "exclusive_territory": False}
        )
        Territory = env["distribution.territory"]
        cn = env.ref("base.cn")
        cls.terr_zj = Territory.create(
            {"name": "Zhejiang (diversion)", "territory_type": "state", "country_id": cn.id,
             "state_ids": [Command.set(env.ref("base.state_cn_ZJ").ids)]}
        )
        cls.terr_hz = Territory.create(
            {"name": "Hangzhou (diversion)", "territory_type": "city", "country_id": cn.id,
             "parent_id": cls.terr_zj.id, "state_ids": [Command.set(env.ref("base.state_cn_ZJ").ids)]}
        )
        cls.terr_js = Territory.create(
            {"name": "Jiangsu (diversion)", "territory_type": "state", "country_id": cn.id,
             "state_ids": [Command.set(env.ref("base.state_cn_JS").ids)]}
        )
        Member = env["distribution.member"]

        def member(name, code, tier, territory, parent=None):
            return Member.create(
                {"partner_id": env["res.partner"].create({"name": name, "is_company": True}).id, "code": code,
                 "tier_id": tier.id, "territory_id": territory.id, "parent_id": parent.id if parent else False,
                 "state": "active"}
            )

        cls.rd_zj = member("Zhejiang Distributor (diversion)", "DV_RD_ZJ", tier_rd, cls.terr_zj)
        cls.rd_js = member("Jiangsu Distributor (diversion)", "DV_RD_JS", tier_rd, cls.terr_js)
        cls.store = member("West Lake Store (diversion)", "DV_ST_HZ", tier_st, cls.terr_hz, cls.rd_zj)
        cls.main_pos_config.write({"channel_member_id": cls.store.id})
        cls.organizer = cls.desk_organizer.product_variant_id
        Code = env["distribution.code"]

        def bound_code(prefix, distributor):
            code = Code.create({"name": tour_code(prefix), "kind": "unit", "product_id": cls.organizer.id})
            code.write({"member_id": distributor.id, "territory_id": distributor.territory_id.id, "level": 1,
                        "state": "bound"})
            return code

        cls.genuine = bound_code("GENVNE", cls.rd_zj)
        cls.diverted = bound_code("DVRTED", cls.rd_js)
        cls.offline = bound_code("0FF11NE", cls.rd_zj)
        cls.unknown_text = tour_code("VNKNWN")

    def test_store_scans_unit_of_another_province(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("distribution_pos_diversion")

        Scan = self.env["distribution.code.scan"]
        scans = Scan.search([("pos_config_id", "=", self.main_pos_config.id)], order="id")
        # the malformed code and the offline one never reached the server; the repeated one was
        # refused by the till
        common = {"result": "genuine", "scan_type": "pos", "member_id": self.store.id,
                  "territory_id": self.terr_hz.id, "user_id": self.pos_user.id}
        self.assertRecordValues(
            scans,
            [
                dict(common, code_id=self.diverted.id, code_text=self.diverted.name,
                     bound_member_id=self.rd_js.id, bound_territory_id=self.terr_js.id),
                # typed in lower case with dashes: recorded as the code
                dict(common, code_id=self.genuine.id, code_text=self.genuine.name,
                     bound_member_id=self.rd_zj.id, bound_territory_id=self.terr_zj.id),
                dict(common, code_id=False, code_text=self.unknown_text, result="unknown",
                     bound_member_id=False, bound_territory_id=False),
            ],
        )
        codes = self.genuine | self.diverted | self.offline
        incident = self.env["distribution.diversion.incident"].search([("code_id", "in", codes.ids)])
        self.assertRecordValues(
            incident,
            [{"code_id": self.diverted.id, "scan_id": scans[0].id, "state": "investigating",
              "product_id": self.organizer.id, "expected_member_id": self.rd_js.id,
              "expected_territory_id": self.terr_js.id, "seen_territory_id": self.terr_hz.id,
              "seen_member_id": self.store.id, "scanned_by_id": self.pos_user.id}],
        )
        self.assertEqual(incident.scan_id.pos_config_id, self.main_pos_config)
        self.assertEqual(scans[0].incident_id, incident)

        # the paid order carries both units' codes; they are sold now, the offline one is not
        order = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], order="id desc", limit=1)
        self.assertEqual(order.state, "paid")
        self.assertRecordValues(order.lines, [{"product_id": self.organizer.id, "qty": 2}])
        self.assertEqual(
            sorted(order.lines.dms_unit_codes.split(",")), sorted([self.diverted.name, self.genuine.name])
        )
        self.assertRecordValues(codes, [{"state": "sold"}, {"state": "sold"}, {"state": "bound"}])
        self.assertTrue(self.genuine.date_sold)

    def test_scan_rpc_answers_access_and_sold_codes(self):
        """The cashier's RPC needs no access to the channel, only to the point of sale; a
        code is sold with a line of its own product only, and is then answered as sold."""
        config = self.main_pos_config.with_user(self.pos_user)
        answer = config.dms_scan_code(self.diverted.name.lower())
        self.assertEqual(
            (answer["result"], answer["diverted"], answer["product_id"], answer["code"]),
            ("genuine", True, self.organizer.id, self.diverted.name),
        )
        self.assertEqual(config.dms_scan_code(self.unknown_text)["result"], "unknown")
        self.assertEqual(config.dms_scan_code("NOT-A-CODE")["result"], "malformed")
        # the staff of another store cannot record scans at this store's till
        contact = self.env["res.partner"].create({"name": "Other cashier", "parent_id": self.rd_zj.partner_id.id})
        other_staff = new_test_user(
            self.env, login="dv_other_staff", groups="distribution_pos.group_store_staff", partner_id=contact.id
        )
        with self.assertRaises(AccessError):
            self.main_pos_config.with_user(other_staff).dms_scan_code(self.genuine.name)
        other = self.env["distribution.code"].create(
            {"name": tour_code("0THER"), "kind": "unit", "product_id": self.whiteboard_pen.product_variant_id.id}
        )
        config.open_ui()
        order = self.env["pos.order"].create(
            {
                "session_id": self.main_pos_config.current_session_id.id,
                "amount_total": 10.0, "amount_paid": 0.0, "amount_tax": 0.0, "amount_return": 0.0,
                "lines": [Command.create({"product_id": self.organizer.id, "qty": 1, "price_unit": 10.0,
                                          "price_subtotal": 10.0, "price_subtotal_incl": 10.0,
                                          "dms_unit_codes": f"{self.genuine.name},{other.name}"})],
            }
        )
        order.add_payment(
            {"pos_order_id": order.id, "amount": 10.0, "payment_method_id": self.bank_payment_method.id}
        )
        order.action_pos_order_paid()
        self.env["distribution.pos.code.scan"]._mark_sold(order)
        self.assertEqual((self.genuine.state, other.state), ("sold", "new"))
        # scanned again at a till: already sold, nothing to add to the order
        again = config.dms_scan_code(self.genuine.name)
        self.assertEqual((again["result"], again["product_id"], again["diverted"]), ("sold", False, False))
