from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestSalePortalIsolation(DistributionSaleHttpCommon):
    """Each portal user sees the confirmed sale orders of its own company and its whole subtree,
    never a sibling's, a parent's, or a parent's other children."""

    EXPECTED = {
        "ga": {"ga", "rd_zj", "rd_js", "dl_hz", "dl_nj", "st_hz"},
        "rd_zj": {"rd_zj", "dl_hz", "st_hz"},
        "rd_js": {"rd_js", "dl_nj"},
        "dl_hz": {"dl_hz", "st_hz"},
        "dl_nj": {"dl_nj"},
        "st_hz": {"st_hz"},
    }

    def _keys(self, records, mapping):
        reverse = {rec.id: key for key, rec in mapping.items()}
        return {reverse[r.id] for r in records if r.id in reverse}

    def test_sale_orders_visible_exactly(self):
        all_ids = [o.id for o in self.orders.values()]
        for key, expected in self.EXPECTED.items():
            with self.subTest(user=key):
                Order = self.env["sale.order"].with_user(self.users[key])
                self.assertEqual(self._keys(Order.search([("id", "in", all_ids)]), self.orders), expected)
                for other in set(self.orders) - expected:
                    with self.assertRaises(AccessError):
                        Order.browse(self.orders[other].id).read(["amount_total"])
                # order lines follow their orders
                lines = self.env["sale.order.line"].with_user(self.users[key]).search(
                    [("order_id", "in", all_ids)]
                )
                self.assertEqual(self._keys(lines.order_id, self.orders), expected)

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
