from odoo import Command

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

    def _submitted_publication(self):
        """A price publication (product_a at 900.00 on a new dealer price list, effective in 2099) under a
        rule "Channel user checks prices", submitted by the channel manager: its review is pending with
        the channel user. Shared by the approval, bypass and RPC tests."""
        self.env["tier.definition"].create(
            {"name": "Channel user checks prices",
             "model_id": self.env.ref("distribution_sale.model_distribution_price_publication").id,
             "review_type": "individual", "reviewer_id": self.channel_user.id, "definition_domain": "[]"}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Dealers (test)"})
        publication = self.env["distribution.price.publication"].create(
            {"name": "Prices up", "effective_date": "2099-01-01",
             "line_ids": [Command.create({"pricelist_id": pricelist.id, "product_id": self.product_a.id,
                                          "new_price": 900.0})]}
        )
        publication.with_user(self.channel_manager).action_submit()
        return publication


class DistributionSaleHttpCommon(DistributionSaleCommon, DistributionHttpCommon):
    """The same channel, for tests that go through HTTP (portal ordering, tours)."""
