from freezegun import freeze_time

from odoo import Command


class MovementExampleMixin:
    """The hand-built channel movements of a product that the movement and aggregate tests check: in March
    2026 an HQ invoice to the Zhejiang distributor (2 dozen at 50.00 + 3 units at 10.00), a credit note of
    one unit (10.00), a draft invoice (no sell-in), and a channel order of 2 units (30.00) from the Hangzhou
    dealer approved and shipped by the distributor on the 10th."""

    def _movement_example(self, product):
        distributor, dealer = self.members["rd_zj"], self.members["dl_hz"]
        self._create_invoice(
            partner_id=distributor.partner_id.id,
            invoice_date="2026-03-02",
            invoice_line_ids=[
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 2,
                        "product_uom_id": self.uom_dozen.id,
                        "price_unit": 50.0,
                        "tax_ids": [],
                    }
                ),
                Command.create({"product_id": product.id, "quantity": 3, "price_unit": 10.0, "tax_ids": []}),
            ],
            post=True,
        )
        self._create_invoice(
            move_type="out_refund",
            partner_id=distributor.partner_id.id,
            invoice_date="2026-03-05",
            invoice_line_ids=[
                Command.create({"product_id": product.id, "quantity": 1, "price_unit": 10.0, "tax_ids": []})
            ],
            post=True,
        )
        self._create_invoice(  # a draft invoice is no sell-in
            partner_id=distributor.partner_id.id,
            invoice_date="2026-03-06",
            invoice_line_ids=[
                Command.create({"product_id": product.id, "quantity": 100, "price_unit": 1.0, "tax_ids": []})
            ],
        )
        with freeze_time("2026-03-09 10:00:00"):
            order = dealer.with_user(self.users["dl_hz"])._portal_submit_order([(product, 2)])
            order.with_user(self.users["rd_zj"]).sudo().action_approve()
        with freeze_time("2026-03-10 10:00:00"):
            order.with_user(self.users["rd_zj"]).sudo().action_ship()
        self.assertEqual(order.amount_total, 30.0)
        return order
