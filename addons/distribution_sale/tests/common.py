from odoo.addons.distribution_core.tests.common import DistributionCommon, DistributionHttpCommon


class DistributionSaleCommon(DistributionCommon):
    """Core's four-level channel (see DistributionCommon), each member with one confirmed sale
    order of 2 × product_a (``cls.orders[key]``): core's base class creates them when sale orders
    exist, so that every addon's tests keep the same channel whether they depend on this addon or
    not. Other addons' tests about ordering import this class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert set(cls.orders) == set(cls.members), "every member has its sell-in order"


class DistributionSaleHttpCommon(DistributionSaleCommon, DistributionHttpCommon):
    """The same channel, for tests that go through HTTP (portal ordering, tours)."""
