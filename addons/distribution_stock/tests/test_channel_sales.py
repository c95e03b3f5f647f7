from collections import defaultdict
from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionCommon

from .common import MovementExampleMixin


@tagged("post_install", "-at_install")
class TestChannelSales(MovementExampleMixin, DistributionCommon):
    """The monthly aggregates the dashboards read equal the sums of the live movement view, and each row
    drills down to exactly the movements it sums."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.Movement = cls.env["distribution.channel.movement"]
        cls.SalesMember = cls.env["distribution.channel.sales.member"]
        cls.SalesProduct = cls.env["distribution.channel.sales.product"]
        cls.categ = cls.env["product.category"].create({"name": "Channel sales test"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Sales aggregate test",
                "default_code": "STK-AGG",
                "lst_price": 15.0,
                "uom_id": cls.uom_unit.id,
                "categ_id": cls.categ.id,
            }
        )

    def _build_example(self):
        """The example of test_channel_movements (March), plus a sell-in of April: 4 units at 12.50."""
        self._movement_example(self.product)
        self._create_invoice(
            partner_id=self.members["rd_zj"].partner_id.id,
            invoice_date="2026-04-01",
            invoice_line_ids=[
                Command.create({"product_id": self.product.id, "quantity": 4, "price_unit": 12.5, "tax_ids": []})
            ],
            post=True,
        )

    def _movement_sums(self, field):
        """{(record, month, kind): (quantity, amount, count)} of the live view, for the company."""
        groups = self.Movement._read_group(
            [("company_id", "=", self.env.company.id)],
            [field, "date:month", "kind"],
            ["quantity:sum", "amount:sum", "__count"],
        )
        return {
            (record, month, kind): (round(qty, 6), round(amount, 2), count)
            for record, month, kind, qty, amount, count in groups
        }

    def _aggregate_sums(self, Model, field):
        result = defaultdict(lambda: (0.0, 0.0, 0))
        for row in Model.search([("company_id", "=", self.env.company.id)]):
            key = (row[field], row.month, row.kind)
            qty, amount, count = result[key]
            result[key] = (qty + row.quantity, amount + row.amount, count + row.line_count)
        return {key: (round(qty, 6), round(amount, 2), count) for key, (qty, amount, count) in result.items()}

    def test_aggregates_equal_movements(self):
        self._build_example()
        self.env["distribution.stock.analysis"]._cron_refresh()
        self.env.invalidate_all()
        distributor = self.members["rd_zj"]
        march, april = date(2026, 3, 1), date(2026, 4, 1)

        # the hand-built example, exactly
        rows = self.SalesProduct.search([("product_id", "=", self.product.id)])
        self.assertEqual(
            {(r.month, r.kind): (r.quantity, r.amount, r.line_count) for r in rows},
            {
                (march, "sell_in"): (26.0, 120.0, 3),  # 2 dozen + 3 units − 1 credited
                (april, "sell_in"): (4.0, 50.0, 1),
                (march, "sell_through"): (2.0, 30.0, 1),  # shipped down to the dealer
            },
        )
        self.assertEqual(set(rows.categ_id), {self.categ})
        self.assertEqual(set(rows.currency_id), {self.env.company.currency_id})
        rows = self.SalesMember.search([("member_id", "=", distributor.id), ("month", ">=", march)])
        example = {(r.month, r.kind): (r.quantity, r.amount, r.line_count) for r in rows}
        self.assertEqual(example[(april, "sell_in")], (4.0, 50.0, 1))
        self.assertEqual(set(rows.territory_id), {self.terr_zj})
        self.assertEqual(set(rows.tier_id), {self.tier_rd})
        self.assertEqual(set(rows.parent_member_id), {self.members["ga"]})

        # every member × month × kind and product × month × kind of the company: the movement sums
        self.assertEqual(
            self._aggregate_sums(self.SalesMember, "member_id"), self._movement_sums("member_id")
        )
        self.assertEqual(
            self._aggregate_sums(self.SalesProduct, "product_id"), self._movement_sums("product_id")
        )
        # one row per key
        for Model, field in ((self.SalesMember, "member_id"), (self.SalesProduct, "product_id")):
            rows = Model.search([("company_id", "=", self.env.company.id)])
            self.assertEqual(len(rows), len({(r[field], r.month, r.kind) for r in rows}))

        # a second refresh replaces the rows, it does not add to them
        count = self.SalesMember.search_count([])
        self.env["distribution.stock.analysis"]._cron_refresh()
        self.assertEqual(self.SalesMember.search_count([]), count)

    def test_product_groups_in_product_order(self):
        """Grouped by product, the aggregates and the analysis list the products in the product order
        (reference, then name) although they order on the rank frozen by the refresh, not on a join."""
        self._build_example()
        Product = self.env["product.product"]
        # created in the reverse of their order: the ids do not give the order
        later = Product.create({"name": "Zeta", "default_code": "ZZ-CS-2", "is_storable": True})
        earlier = Product.create({"name": "Alpha", "default_code": "ZZ-CS-1", "is_storable": True})
        self._create_invoice(
            partner_id=self.members["rd_zj"].partner_id.id,
            invoice_date="2026-03-20",
            invoice_line_ids=[
                Command.create({"product_id": p.id, "quantity": 1, "price_unit": 5.0, "tax_ids": []})
                for p in (later, earlier)
            ],
            post=True,
        )
        self.env["distribution.stock.analysis"]._cron_refresh()
        self.env.invalidate_all()
        groups = self.SalesProduct.formatted_read_group(
            [("product_id", "in", (later | earlier | self.product).ids)], ["product_id"], ["amount:sum"]
        )
        expected = (self.product | earlier | later).sorted(lambda p: (p.default_code or "~", p.name, p.id))
        self.assertEqual([g["product_id"][0] for g in groups], expected.ids)
        rows = self.SalesProduct.search([("product_id", "in", (later | earlier).ids)])
        self.assertTrue(all(rows.mapped("product_rank")))
        self.assertLess(
            rows.filtered(lambda r: r.product_id == earlier)[0].product_rank,
            rows.filtered(lambda r: r.product_id == later)[0].product_rank,
        )

    def test_drill_down(self):
        self._build_example()
        self.env["distribution.stock.analysis"]._cron_refresh()
        self.env.invalidate_all()
        distributor = self.members["rd_zj"]
        moves = self.Movement.search([("company_id", "=", self.env.company.id)])
        for Model, field in ((self.SalesMember, "member_id"), (self.SalesProduct, "product_id")):
            rows = Model.search([("company_id", "=", self.env.company.id)])
            self.assertTrue(rows)
            for row in rows:
                action = row.action_view_movements()
                self.assertEqual(action["res_model"], "distribution.channel.movement")
                found = self.Movement.search(action["domain"])
                expected = moves.filtered(
                    lambda m, row=row, field=field: m[field] == row[field]
                    and m.kind == row.kind
                    and m.date.replace(day=1) == row.month
                )
                self.assertEqual(set(found.ids), set(expected.ids), f"{Model._name} {row.month} {row.kind}")
                self.assertEqual(len(found), row.line_count)
                self.assertAlmostEqual(sum(found.mapped("amount")), row.amount, places=2)
        # the example's row of March sell-in of the product: the invoice's two lines and the credit note
        row = self.SalesProduct.search(
            [("product_id", "=", self.product.id), ("month", "=", "2026-03-01"), ("kind", "=", "sell_in")]
        )
        found = self.Movement.search(row.action_view_movements()["domain"])
        self.assertEqual(len(found), 3)
        self.assertEqual(set(found.member_id), {distributor})
        self.assertEqual(sorted(found.mapped("amount")), [-10.0, 30.0, 100.0])

    def test_portal_reads_own_subtree(self):
        self._build_example()
        self.env["distribution.stock.analysis"]._cron_refresh()
        rows = self.SalesMember.with_user(self.users["dl_hz"]).search([])
        self.assertTrue(rows)
        self.assertIn(self.members["dl_hz"], rows.member_id)
        self.assertLessEqual(set(rows.member_id), {self.members["dl_hz"], self.members["st_hz"]})
        self.assertFalse(self.SalesProduct.with_user(self.users["dl_hz"]).has_access("read"))
