from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestSalePortalIsolation(DistributionSaleHttpCommon):
    """Each portal user sees the confirmed sale orders of its own company and its whole subtree,
    never a sibling's, a parent's, or a parent's other children."""

    def test_sale_orders_visible_exactly(self):
        self.assertSubtreeVisibility("sale.order", self.orders, ["amount_total"])
        all_ids = [o.id for o in self.orders.values()]
        for key, expected in self.SUBTREE_VISIBILITY.items():
            with self.subTest(user=key):
                # order lines follow their orders
                lines = self.env["sale.order.line"].with_user(self.users[key]).search(
                    [("order_id", "in", all_ids)]
                )
                self.assertEqual(self._member_keys(lines.order_id, self.orders), expected)

    def test_sub_member_quotation_not_visible(self):
        """A dealer's quotation is the dealer's to accept or sign: its distributor
        cannot open (and so cannot sign) it through the portal or the ORM."""
        quotation = self.env["sale.order"].create(
            {"partner_id": self.members["dl_hz"].partner_id.id,
             "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]}
        )
        quotation.action_quotation_sent()
        self.assertEqual(quotation.state, "sent")
        with self.assertRaises(AccessError):
            quotation.with_user(self.users["rd_zj"]).read(["amount_total"])
        quotation.with_user(self.users["dl_hz"]).read(["amount_total"])  # its own: readable
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        response = self.url_open(f"/my/orders/{quotation.id}")
        self.assertNotIn(quotation.name, response.text)
