from ast import literal_eval
from uuid import uuid4

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestPosPriceControl(TestPointOfSaleHttpCommon):
    """Resale floors at the store's till: refused below the floor unless a manager of
    the point of sale approves on the spot; checked again when the orders sync."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the test user sets the channel up, as HQ's channel manager does
        env.user.group_ids += env.ref("distribution_core.group_channel_manager")
        cls.channel_manager = new_test_user(
            env, login="pc_channel_manager", name="Channel Manager Zhou",
            groups="base.group_user,distribution_core.group_channel_manager",
        )
        cls.channel_prices = env["product.pricelist"].create(
            {
                "name": "Store channel prices",
                "currency_id": cls.main_pos_config.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.desk_organizer.id,
                            "compute_price": "fixed",
                            "fixed_price": 4.50,
                        }
                    )
                ],
            }
        )
        tier = env["distribution.tier"].create(
            {"name": "Store (price control)", "code": "PCST", "sequence": 240, "exclusive_territory": False,
             "pricelist_id": cls.channel_prices.id}
        )
        Territory = env["distribution.territory"]
        cls.terr_east = Territory.create({"name": "East (price control)", "territory_type": "custom"})
        cls.terr_hz = Territory.create(
            {"name": "Hangzhou (price control)", "territory_type": "custom", "parent_id": cls.terr_east.id}
        )
        cls.store = env["distribution.member"].create(
            {
                "partner_id": env["res.partner"].create({"name": "West Lake Store", "is_company": True}).id,
                "code": "PCWL",
                "tier_id": tier.id,
                "territory_id": cls.terr_hz.id,
                "manager_id": cls.channel_manager.id,
                "state": "active",
            }
        )
        cls.organizer = cls.desk_organizer.product_variant_id
        cls.board = cls.magnetic_board.product_variant_id
        cls.categ_office = env["product.category"].create({"name": "Office (price control)"})
        cls.magnetic_board.categ_id = env["product.category"].create(
            {"name": "Boards (price control)", "parent_id": cls.categ_office.id}
        )
        Floor = env["distribution.price.floor"]
        Floor.create(
            [
                # the store's own territory is deeper, so its floor wins over the general one
                {"product_id": cls.organizer.id, "resale_floor": 3.00},
                {"product_id": cls.organizer.id, "territory_id": cls.terr_hz.id, "resale_floor": 4.00},
                # a floor on the parent category in the wider region, for the magnetic board
                {"categ_id": cls.categ_office.id, "territory_id": cls.terr_east.id, "resale_floor": 1.50},
            ]
        )
        cls.main_pos_config.write({"channel_member_id": cls.store.id, "restrict_price_control": False})
        cls.store_manager_user = new_test_user(
            env, login="pc_store_manager", name="Store Manager User", groups="point_of_sale.group_pos_manager",
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _open_session(self, config=None):
        config = config or self.main_pos_config
        config.with_user(self.pos_user).open_ui()
        return config.current_session_id

    def _sync(self, session, lines):
        """Send an order the way the till does (pos.order.sync_from_ui), as the
        cashier; lines: dicts with product, qty, price_unit, discount and the
        approver the till claims. Returns the order."""
        cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        line_cmds, total = [], 0.0
        for line in lines:
            subtotal = round(line["price_unit"] * line["qty"] * (1 - line.get("discount", 0.0) / 100.0), 2)
            total += subtotal
            vals = {
                "uuid": str(uuid4()),
                "product_id": line["product"].id,
                "full_product_name": line["product"].display_name,
                "qty": line["qty"],
                "price_unit": line["price_unit"],
                "discount": line.get("discount", 0.0),
                "price_subtotal": subtotal,
                "price_subtotal_incl": subtotal,
                "tax_ids": [],
                "pack_lot_ids": [],
                "price_type": "manual",
            }
            if line.get("employee"):
                vals["channel_override_employee_id"] = line["employee"].id
            if line.get("user"):
                vals["channel_override_user_id"] = line["user"].id
            line_cmds.append(Command.create(vals))
        uuid = str(uuid4())
        now = fields.Datetime.to_string(fields.Datetime.now())
        data = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": now,
            "fiscal_position_id": False,
            "pricelist_id": session.config_id.pricelist_id.id,
            "name": f"Order {uuid}",
            "last_order_preparation_change": "{}",
            "lines": line_cmds,
            "partner_id": False,
            "session_id": session.id,
            "payment_ids": [Command.create({"amount": total, "name": now, "payment_method_id": cash.id})],
            "uuid": uuid,
            "user_id": self.pos_user.id,
            "to_invoice": False,
        }
        self.env["pos.order"].with_user(self.pos_user).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", uuid)])
        self.assertEqual(order.state, "paid", "a price below the floor never blocks a paid order")
        return order

    def _enable_employees(self):
        hr_user = self.env.ref("hr.group_hr_user")
        self.env.user.group_ids += hr_user
        Employee = self.env["hr.employee"]
        self.store_manager = Employee.create({"name": "Store Manager", "pin": "4321", "company_id": self.env.company.id})
        self.store_cashier = Employee.create({"name": "Store Cashier", "company_id": self.env.company.id})
        self.main_pos_config.write(
            {
                "module_pos_hr": True,
                "basic_employee_ids": [Command.set(self.store_cashier.ids)],
                "advanced_employee_ids": [Command.link(self.store_manager.id)],
            }
        )

    # ------------------------------------------------------------------
    # server-side re-check when orders sync
    # ------------------------------------------------------------------
    def test_sync_below_floor_without_approval_is_violation(self):
        session = self._open_session()
        order = self._sync(
            session,
            [
                {"product": self.organizer, "qty": 3, "price_unit": 3.33},
                {"product": self.organizer, "qty": 7, "price_unit": 4.50, "discount": 20},
                {"product": self.organizer, "qty": 2, "price_unit": 4.00},
                {"product": self.board, "qty": 1, "price_unit": 1.98},
                {"product": self.board, "qty": 4, "price_unit": 1.20},
            ],
        )
        cheap, discounted, at_floor, board_ok, board_cheap = order.lines
        self.assertRecordValues(
            order.lines,
            [
                {"channel_floor_price": 4.00, "channel_floor_gap": 0.67, "channel_floor_loss": 2.01,
                 "channel_below_floor": True, "channel_floor_state": "violation"},
                {"channel_floor_price": 4.00, "channel_floor_gap": 0.40, "channel_floor_loss": 2.80,
                 "channel_below_floor": True, "channel_floor_state": "violation"},
                {"channel_floor_price": 4.00, "channel_floor_gap": 0.0, "channel_floor_loss": 0.0,
                 "channel_below_floor": False, "channel_floor_state": "ok"},
                {"channel_floor_price": 1.50, "channel_floor_gap": 0.0, "channel_floor_loss": 0.0,
                 "channel_below_floor": False, "channel_floor_state": "ok"},
                {"channel_floor_price": 1.50, "channel_floor_gap": 0.30, "channel_floor_loss": 1.20,
                 "channel_below_floor": True, "channel_floor_state": "violation"},
            ],
        )
        self.assertEqual((cheap + discounted + at_floor + board_ok + board_cheap).channel_member_id, self.store)
        self.assertEqual(cheap.channel_territory_id, self.terr_hz)
        # the store's channel manager is told, on the order, once
        alert = order.message_ids.filtered(lambda m: "without a manager" in (m.body or ""))
        self.assertEqual(len(alert), 1)
        self.assertIn(self.channel_manager.partner_id, alert.partner_ids)
        self.assertIn("3.33", alert.body)
        self.assertIn("2.01", alert.body)
        # the session still closes, the lines below the floor posted like any other
        session.post_closing_cash_details(order.amount_total)
        session.close_session_from_ui()
        self.assertEqual(session.state, "closed")

    def test_sync_approval_by_user_counts_only_for_a_manager(self):
        session = self._open_session()
        order = self._sync(
            session,
            [
                {"product": self.organizer, "qty": 1, "price_unit": 3.50, "user": self.pos_user},
                {"product": self.organizer, "qty": 2, "price_unit": 3.50, "user": self.store_manager_user},
                {"product": self.organizer, "qty": 1, "price_unit": 4.20, "user": self.store_manager_user},
            ],
        )
        claimed, approved, above = order.lines
        self.assertEqual(claimed.channel_floor_state, "violation", "a cashier cannot approve a price below the floor")
        self.assertFalse(claimed.channel_override_user_id)
        self.assertEqual(claimed.channel_floor_loss, 0.50)
        self.assertEqual(approved.channel_floor_state, "approved")
        self.assertEqual(approved.channel_override_user_id, self.store_manager_user)
        self.assertEqual(approved.channel_floor_loss, 1.00)
        self.assertEqual(above.channel_floor_state, "ok")
        self.assertFalse(above.channel_override_user_id, "no approval to record at or above the floor")
        # the report: sales below the floor, approved or not, with the amount given away
        action = self.env.ref("distribution_pos.pos_order_line_floor_action")
        report = self.env["pos.order.line"].search([("order_id", "=", order.id), *literal_eval(action.domain)])
        self.assertEqual(report, claimed + approved)
        self.assertEqual(sum(report.mapped("channel_floor_loss")), 1.50)

    def test_sync_approval_by_employee_counts_only_for_a_pos_manager(self):
        self._enable_employees()
        session = self._open_session()
        order = self._sync(
            session,
            [
                {"product": self.organizer, "qty": 1, "price_unit": 3.50, "employee": self.store_cashier},
                {"product": self.organizer, "qty": 1, "price_unit": 3.50, "employee": self.store_manager},
                # with employees at the till, a user claim does not count
                {"product": self.organizer, "qty": 1, "price_unit": 3.50, "user": self.store_manager_user},
            ],
        )
        by_cashier, by_manager, by_user = order.lines
        self.assertEqual(by_cashier.channel_floor_state, "violation")
        self.assertFalse(by_cashier.channel_override_employee_id)
        self.assertEqual(by_manager.channel_floor_state, "approved")
        self.assertEqual(by_manager.channel_override_employee_id, self.store_manager)
        self.assertEqual(by_user.channel_floor_state, "violation")

    def test_pos_without_store_untouched(self):
        self.main_pos_config.channel_member_id = False
        session = self._open_session()
        order = self._sync(session, [{"product": self.organizer, "qty": 2, "price_unit": 1.00}])
        self.assertRecordValues(
            order.lines,
            [{"channel_floor_state": False, "channel_floor_price": 0.0, "channel_floor_loss": 0.0,
              "channel_below_floor": False, "channel_member_id": False}],
        )
        self.assertFalse(order.message_ids.filtered(lambda m: "without a manager" in (m.body or "")))

    def test_floor_rules_loaded_for_the_till(self):
        """The till gets the few floor rules of the store's territory chain, not a floor per product."""
        session = self._open_session()
        data = session.with_user(self.pos_user).load_data(["pos.config"])
        rules = data["pos.config"][0]["_channel_floor_rules"]
        self.assertEqual(
            sorted(
                (r["product_id"], r["categ_id"], r["rank"], r["resale_floor"])
                for r in rules
                if r["product_id"] == self.organizer.id or r["categ_id"] == self.categ_office.id
            ),
            sorted(
                [
                    (self.organizer.id, False, 0, 3.00),
                    (self.organizer.id, False, 2, 4.00),
                    (False, self.categ_office.id, 1, 1.50),
                ]
            ),
        )

    # ------------------------------------------------------------------
    # at the till
    # ------------------------------------------------------------------
    def test_tour_sell_at_channel_price(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("distribution_pos_price_control_channel_price")
        order = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], order="id desc", limit=1)
        self.assertEqual(order.state, "paid")
        self.assertRecordValues(
            order.lines.sorted(lambda line: line.product_id.id != self.organizer.id),
            [
                {"product_id": self.organizer.id, "price_unit": 4.00, "channel_floor_price": 4.00,
                 "channel_floor_state": "ok"},
                {"product_id": self.board.id, "price_unit": 1.98, "channel_floor_price": 1.50,
                 "channel_floor_state": "ok"},
            ],
        )

    def test_tour_below_floor_approved_by_manager(self):
        self._enable_employees()
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("distribution_pos_price_control_below_floor")
        order = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], order="id desc", limit=1)
        self.assertEqual(order.state, "paid")
        self.assertRecordValues(
            order.lines,
            [{"product_id": self.organizer.id, "qty": 2, "price_unit": 3.50, "discount": 0.0,
              "channel_floor_price": 4.00, "channel_floor_loss": 1.00, "channel_floor_state": "approved",
              "channel_override_employee_id": self.store_manager.id}],
        )
