from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self.env["distribution.commission"]._create_for_invoices(self)
        return result

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        if refunds:
            self.env["distribution.commission"]._reverse_for_refunds(refunds)
        return posted
