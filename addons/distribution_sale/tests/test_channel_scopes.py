from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DistributionSaleCommon


@tagged("post_install", "-at_install")
class TestChannelUserOrderScopes(DistributionSaleCommon):
    """A channel user acts only on the orders of the members and territories he manages, on create,
    write, unlink and every button; a channel manager decides everywhere.

    ``east`` manages the Zhejiang territory (its distributor, dealer and store), Jiangsu is another
    region to him; ``channel_user`` is the channel manager of the Hangzhou dealer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_territory_manager()

    def _channel_order(self, member_key, qty=2):
        member = self.members[member_key].with_user(self.users[member_key])
        return member._portal_submit_order([(self.product_a, qty)])

    def test_channel_order_buttons_inside_own_part_only(self):
        theirs = self._channel_order("dl_nj")  # a Jiangsu dealer's order to its distributor
        mine = self._channel_order("dl_hz")
        as_east = theirs.with_user(self.east)
        for button in (
            lambda: as_east.action_approve(),
            lambda: as_east.with_context(reject_reason="no").action_reject(),
            lambda: as_east.action_cancel(),
            lambda: as_east.write({"note": "changed"}),
            lambda: as_east.line_ids.write({"product_uom_qty": 50}),
            lambda: as_east.line_ids.unlink(),
            lambda: self.env["distribution.channel.order.line"].with_user(self.east).create(
                {"order_id": theirs.id, "product_id": self.product_a.id, "product_uom_qty": 1}),
        ):
            with self.assertRaises(AccessError):
                button()
        self.assertEqual(theirs.state, "submitted")
        self.assertEqual(theirs.line_ids.product_uom_qty, 2)
        # approved by the channel manager, the Zhejiang user still cannot ship it
        theirs.with_user(self.channel_manager).action_approve()
        with self.assertRaises(AccessError):
            theirs.with_user(self.east).action_ship()
        self.assertEqual(theirs.state, "approved")
        # nor create one for another region's member
        with self.assertRaises(AccessError):
            self.env["distribution.channel.order"].with_user(self.east).create(
                {"buyer_member_id": self.members["dl_nj"].id,
                 "line_ids": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]}
            )
        # his own region's orders: approved and shipped by him
        mine.with_user(self.east).action_approve()
        mine.with_user(self.east).action_ship()
        self.assertEqual(mine.state, "shipped")
        theirs.with_user(self.channel_manager).action_ship()
        self.assertEqual(theirs.state, "shipped")

    def test_extreme_quantity_refused(self):
        order = self._channel_order("dl_hz")
        for qty in (1e308, float("inf"), float("nan")):
            with self.subTest(qty=qty), self.assertRaisesRegex(UserError, "is not a quantity"):
                order.with_user(self.channel_manager).line_ids.write({"product_uom_qty": qty})

    def _quotation(self, member_key, qty=3):
        """A quotation of the member, not assigned to a salesperson: Odoo's own rules let every
        salesperson (channel users are) open it, so only the channel's scope can refuse."""
        order = self.env["sale.order"].create({
            "partner_id": self.members[member_key].partner_id.id,
            "user_id": False,
            "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": qty})],
        })
        order.order_line.product_id.invoice_policy = "order"
        return order

    def test_sale_order_buttons_inside_own_part_only(self):
        theirs = self._quotation("dl_nj")  # a Jiangsu dealer's quotation
        as_east = theirs.with_user(self.east)
        as_east.read(["name", "amount_total"])  # he may read it (Odoo's salesperson rules)...
        for name, action in (  # ...but not act on it
            ("confirm", lambda: as_east.action_confirm()),
            ("mark sent", lambda: as_east.action_quotation_sent()),
            ("send", lambda: as_east.action_quotation_send()),
            ("cancel", lambda: as_east.action_cancel()),
            ("update prices", lambda: as_east.action_update_prices()),
            ("request approval", lambda: as_east.request_validation()),
            ("write", lambda: as_east.write({"note": "changed", "client_order_ref": "PO-EAST"})),
            ("take it", lambda: as_east.write({"user_id": self.east.id})),
            ("line quantity", lambda: as_east.order_line.write({"product_uom_qty": 300})),
            ("line price", lambda: as_east.order_line.write({"price_unit": 1.0})),
            ("line added", lambda: self.env["sale.order.line"].with_user(self.east).create(
                {"order_id": theirs.id, "product_id": self.product_a.id, "product_uom_qty": 1})),
            ("line deleted", lambda: as_east.order_line.unlink()),
        ):
            with self.subTest(action=name), self.assertRaisesRegex(AccessError, "outside the members and territories"):
                action()
        self.assertRecordValues(theirs, [{"state": "draft", "client_order_ref": False, "amount_untaxed": 3 * self.product_a.lst_price}])
        self.assertEqual(theirs.order_line.product_uom_qty, 3)
        # nor create one for another region's member, nor hand one of his own to it
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.east).create({
                "partner_id": self.members["dl_nj"].partner_id.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})],
            })
        mine = self._quotation("dl_hz").with_user(self.east)
        with self.assertRaises(AccessError):
            mine.write({"partner_id": self.members["dl_nj"].partner_id.id})
        self.assertEqual(mine.partner_id, self.members["dl_hz"].partner_id)
        # his own region's quotation: confirmed by him
        mine.action_confirm()
        self.assertEqual(mine.state, "sale")
        # confirmed by the channel manager, the Jiangsu order still cannot be invoiced or cancelled by him
        theirs.with_user(self.channel_manager).action_confirm()
        self.assertEqual(theirs.state, "sale")
        wizard = self.env["sale.advance.payment.inv"].with_user(self.east).with_context(
            active_model="sale.order", active_ids=theirs.ids).create({"advance_payment_method": "delivered"})
        with self.assertRaises(AccessError):
            wizard.create_invoices()
        with self.assertRaises(AccessError):
            as_east.action_cancel()
        with self.assertRaises(AccessError):
            as_east.action_lock()
        self.assertRecordValues(theirs, [{"state": "sale", "invoice_count": 0, "locked": False}])
        # his own: invoiced by him
        self.env["sale.advance.payment.inv"].with_user(self.east).with_context(
            active_model="sale.order", active_ids=mine.ids).create({"advance_payment_method": "delivered"}).create_invoices()
        self.assertEqual(mine.invoice_count, 1)

    def test_other_roles_keep_odoo_rules(self):
        """Only channel users are held to their part of the channel: a salesperson who is not one
        (and a channel manager) confirms any member's quotation."""
        salesman = new_test_user(
            self.env, login="plain_salesman", groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.env.company.id, company_ids=[Command.set(self.env.company.ids)],
        )
        for user in (salesman, self.channel_manager):
            order = self._quotation("dl_nj").with_user(user)
            order.action_confirm()
            self.assertEqual(order.state, "sale")

    def test_channel_order_every_button_inside_own_part_only(self):
        theirs = self._channel_order("dl_nj")
        as_east = theirs.with_user(self.east)
        theirs.with_user(self.channel_manager).action_approve()
        theirs.with_user(self.channel_manager).action_ship()
        with self.assertRaises(AccessError):
            as_east.action_receive()
        self.assertEqual(theirs.state, "shipped")
        cancelled = self._channel_order("dl_nj")
        cancelled.with_user(self.channel_manager).action_cancel()
        for action in (lambda: cancelled.with_user(self.east).action_draft(),
                       lambda: cancelled.with_user(self.east).unlink()):
            with self.assertRaises(AccessError):
                action()
        self.assertEqual(cancelled.state, "cancelled")
