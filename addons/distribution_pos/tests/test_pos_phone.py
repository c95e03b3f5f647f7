from odoo.tests import tagged

from .test_pos_price_control import TestPosPriceControl


@tagged("post_install", "-at_install")
class TestPosPhone(TestPosPriceControl):
    """A cashier's day on a phone (390 × 844, touch; the POS's small-screen layout): log in, sell at
    the channel price, a price below the floor approved by the store manager's PIN, payment, then the
    store's replenishment order to its dealer. The price-control set-up is reused, its tests are not
    run again here."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["tier.definition"].sudo().search([]).active = False
        dealer_tier = env["distribution.tier"].create(
            {"name": "Dealer (phone till)", "code": "PHDL", "sequence": 230}
        )
        cls.dealer = env["distribution.member"].create(
            {
                "partner_id": env["res.partner"].create({"name": "West Lake Dealer", "is_company": True}).id,
                "code": "PHDEALER",
                "tier_id": dealer_tier.id,
                "state": "active",
            }
        )
        cls.store.parent_id = cls.dealer
        cls.tea = env["product.product"].create(
            {"name": "Phone Tea", "list_price": 10.0, "available_in_pos": True, "is_storable": True, "taxes_id": False}
        )
        location = cls.main_pos_config.picking_type_id.default_location_src_id
        env["stock.quant"].with_context(inventory_mode=True).create(
            {"product_id": cls.tea.id, "location_id": location.id, "inventory_quantity": 2}
        ).action_apply_inventory()

    def test_cashier_day_on_a_phone(self):
        self._enable_employees()
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("distribution_pos_phone_cashier_day", login="pos_user")
        sale = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], order="id desc", limit=1)
        self.assertEqual(sale.state, "paid")
        self.assertRecordValues(
            sale.lines,
            [{"product_id": self.organizer.id, "qty": 1, "price_unit": 3.50, "channel_floor_price": 4.00,
              "channel_floor_state": "approved", "channel_override_employee_id": self.store_manager.id}],
        )
        replenishment = self.env["distribution.channel.order"].search([("buyer_member_id", "=", self.store.id)])
        self.assertEqual(len(replenishment), 1)
        self.assertEqual((replenishment.supplier_member_id, replenishment.state), (self.dealer, "submitted"))
        # the cashier's 5 teas (what the store sold today may be suggested beside them)
        self.assertEqual(
            {line.product_id: line.product_uom_qty for line in replenishment.line_ids}.get(self.tea), 5.0
        )
