from odoo import Command

from odoo.addons.distribution_core.tests.common import DistributionCommon


class StatementCommon(DistributionCommon):
    """The channel of distribution_core, no approval rule in the way, and a helper that posts the
    members' invoices. Periods are in 2025, away from the invoices of today that the core set-up
    creates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False

    @classmethod
    def _invoice(cls, member, when, lines, refund=False, currency=None, due=None, post=True):
        """lines: [(product, qty, unit price)], no tax."""
        return cls._create_invoice(
            move_type="out_refund" if refund else "out_invoice",
            partner_id=cls.members[member].partner_id.id,
            invoice_date=when,
            invoice_date_due=due,
            currency_id=currency.id if currency else None,
            invoice_line_ids=[
                Command.create({"product_id": p.id, "quantity": q, "price_unit": u, "tax_ids": []})
                for p, q, u in lines
            ],
            post=post,
        )
