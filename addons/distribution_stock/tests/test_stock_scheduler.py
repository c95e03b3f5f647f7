from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.distribution_stock.models.stock_warehouse_orderpoint import StockWarehouseOrderpoint


def _upstream_procure(orderpoints, **kwargs):
    """Odoo's own ``_procure_orderpoint_confirm``, without the commit of distribution_stock."""
    return super(StockWarehouseOrderpoint, orderpoints)._procure_orderpoint_confirm(**kwargs)


@tagged("post_install", "-at_install")
class TestStockScheduler(TransactionCase):
    """The stock scheduler does not fight its own batches over the orderpoints (an ERROR in the demo).

    In a running server the batches of ``_procure_orderpoint_confirm`` commit from their own
    cursors; if the scheduler's transaction still holds unwritten values of the same orderpoints,
    its next commit fails with a serialization failure. A test runs in one transaction, so it checks
    the cause: when a batch cursor opens, the scheduler has nothing of the orderpoints left to write.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        product = cls.env["product.product"].create(
            {"name": "Scheduler test product", "type": "consu", "is_storable": True}
        )
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].create({
            "product_id": product.id,
            "warehouse_id": warehouse.id,
            "location_id": warehouse.lot_stock_id.id,
            "product_min_qty": 5.0,
            "product_max_qty": 10.0,
            "trigger": "auto",
        })
        # written yesterday, as orderpoints are before the nightly scheduler runs (a write in this
        # transaction would leave it nothing to write: the same timestamp)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_warehouse_orderpoint SET write_date = write_date - interval '1 day' WHERE id = %s",
            [cls.orderpoint.id],
        )
        cls.orderpoint.invalidate_recordset()

    def _orderpoint_writes_pending(self):
        return sorted(
            field.name
            for field, ids in self.env.transaction.field_dirty.items()
            if field.model_name == "stock.warehouse.orderpoint" and self.orderpoint.id in ids
        )

    def _scheduler_step(self, procure):
        """The scheduler's minimum stock rules step (stock.rule._run_scheduler_tasks), with ``procure``
        as its ``_procure_orderpoint_confirm``; returns what it had left to write on the orderpoint
        when each batch cursor opened."""
        pending_at_batch = []
        with self.enter_registry_test_mode():
            open_cursor = self.registry.cursor

            def batch_cursor(*args, **kwargs):
                pending_at_batch.append(self._orderpoint_writes_pending())
                return open_cursor(*args, **kwargs)

            # a test may not commit: flushing is what a commit does to this transaction
            with patch.object(self.env.cr, "commit", self.env.flush_all), \
                    patch.object(self.registry, "cursor", batch_cursor):
                orderpoints = self.orderpoint.sudo()
                orderpoints._compute_qty_to_order_computed()
                orderpoints._compute_deadline_date()
                self.assertTrue(self._orderpoint_writes_pending(), "the scheduler's computation is not written yet")
                procure(orderpoints, use_new_cursor=True, company_id=self.env.company.id, raise_user_error=False)
        return pending_at_batch

    def test_scheduler_commits_before_its_batches(self):
        self.assertEqual(self.orderpoint.qty_to_order, 10.0)  # nothing in stock: 10 to order
        pending = self._scheduler_step(lambda orderpoints, **kw: orderpoints._procure_orderpoint_confirm(**kw))
        self.assertEqual(pending, [[]], "one batch, opened with the computed quantities written")

    def test_without_the_commit_a_batch_finds_writes_pending(self):
        """Odoo's own step, without the commit: what made the demo's scheduler run fail."""
        self.assertEqual(self._scheduler_step(_upstream_procure), [["write_date"]])
