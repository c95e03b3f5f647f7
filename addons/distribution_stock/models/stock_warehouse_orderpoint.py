from odoo import models


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    def _procure_orderpoint_confirm(self, use_new_cursor=False, company_id=None, raise_user_error=True):
        """Commit what the stock scheduler computed before its batches run in their own cursors.

        The scheduler ("Procurement: run scheduler") first computes the orderpoints' quantities to
        order and deadlines in its own transaction, then procures them in batches, each in a new
        cursor that commits; the moves a batch creates make it recompute and write the same
        orderpoints. The scheduler's transaction, flushed at its next commit, then updates rows
        changed since its snapshot: "could not serialize access due to concurrent update", an ERROR
        and a failed run, on the first run after orderpoints needed goods (Odoo's own demo has
        three). Committing first, as the scheduler does between its steps (its progress commit),
        leaves the batches alone on those rows. Same cause as odoo/odoo#268616.
        """
        if use_new_cursor:
            self.env["ir.cron"]._commit_progress()
        return super()._procure_orderpoint_confirm(
            use_new_cursor=use_new_cursor, company_id=company_id, raise_user_error=raise_user_error
        )
