from odoo import Command

from odoo.addons.distribution_core.tests.common import DistributionCommon


class CommissionCommon(DistributionCommon):
    """Three promoters in a line (recruiter ← promoter ← sub-promoter) and a referred customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test user also sells (with distribution_sale installed, his channel manager group implies it)
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        cls.env["tier.definition"].search([]).active = False
        company = cls.env.company
        cls.expense = cls.env["account.account"].create(
            {"name": "Commissions", "code": "660100", "account_type": "expense"}
        )
        cls.withholding = cls.env["account.account"].create(
            {"name": "Withholding tax payable", "code": "222101", "account_type": "liability_current"}
        )
        company.write(
            {
                "dms_commission_expense_account_id": cls.expense.id,
                "dms_commission_withholding_account_id": cls.withholding.id,
                "dms_commission_return_days": 7,
                "dms_commission_min_withdrawal": 10.0,
                "dms_referral_window_days": 30,
            }
        )
        cls.goods = cls.env["product.category"].create({"name": "Goods (commission test)"})
        cls.product_a.write({"categ_id": cls.goods.id, "taxes_id": [Command.clear()]})
        cls.special = cls._create_product(name="special", lst_price=500.0, categ_id=cls.goods.id, taxes_id=[])
        cls.service = cls._create_product(name="installation", type="service", lst_price=300.0, taxes_id=[])
        Rule = cls.env["distribution.commission.rule"]
        Rule.create(
            [
                {"level": "1", "categ_id": cls.goods.id, "rate": 10.0},
                {"level": "1", "product_id": cls.special.id, "rate": 20.0},
                {"level": "2", "rate": 3.0},
            ]
        )
        Promoter = cls.env["distribution.promoter"]

        def person(name):
            partner = cls.env["res.partner"].create({"name": name, "email": f"{name.lower()}@example.com"})
            return partner

        cls.top = Promoter.create({"partner_id": person("Recruiter").id, "bank_account": "ICBC 6222 0000 0001"})
        cls.mid = Promoter.create(
            {"partner_id": person("Promoter").id, "parent_id": cls.top.id, "bank_account": "ICBC 6222 0000 0002",
             "withholding_rate": 10.0}
        )
        cls.low = Promoter.create({"partner_id": person("Subpromoter").id, "parent_id": cls.mid.id})
        cls.customer = cls.env["res.partner"].create({"name": "Li Lei", "email": "lilei@example.com"})
        cls.mid_user = cls.env["res.users"].create(
            {"name": "Promoter", "login": "promoter_mid", "password": "promoter_mid", "partner_id": cls.mid.partner_id.id,
             "group_ids": [Command.set([cls.env.ref("base.group_portal").id])]}
        )
        cls.low_user = cls.env["res.users"].create(
            {"name": "Subpromoter", "login": "promoter_low", "password": "promoter_low",
             "partner_id": cls.low.partner_id.id, "group_ids": [Command.set([cls.env.ref("base.group_portal").id])]}
        )

    def _sell(self, customer, lines, deliver=True, pay=True):
        """A confirmed sale order, delivered, invoiced and paid: [(product, qty, price)]."""
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": u, "tax_ids": []})
                    for p, q, u in lines
                ],
            }
        )
        order.action_confirm()
        if deliver:
            self._deliver(order)
        invoice = order._create_invoices()
        invoice.action_post()
        if pay:
            self._pay(invoice)
        return order, invoice

    def _deliver(self, order):
        for picking in order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.button_validate()

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def _refund(self, invoice, qty):
        """A credit note of ``qty`` of the invoice's line (a return), posted."""
        wizard = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": invoice.journal_id.id, "reason": "return"})
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.invoice_line_ids.quantity = qty
        refund.action_post()
        return refund
