from odoo.addons.distribution_core.tests.common import DistributionCommon


class StatementCommon(DistributionCommon):
    """The channel of distribution_core, no approval rule in the way (members' invoices: core's
    ``_invoice``). Periods are in 2025, away from the invoices of today that the core set-up
    creates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
