from datetime import timedelta

from odoo import Command, api, fields, models


class DistributionPromoter(models.Model):
    _inherit = "distribution.promoter"

    @api.model
    def _generate_demo(self):
        """Promoters of the HQ demo company with referred customers and commissions in every state."""
        hq = self.env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
        if not hq or self.search_count([("company_id", "=", hq.id)]):
            return True
        self = self.with_company(hq).with_context(tracking_disable=True, mail_notrack=True)
        ref = self.env.ref
        Account = self.env["account.account"].with_company(hq)
        expense = Account.search([("account_type", "=", "expense"), ("company_ids", "in", hq.ids)], limit=1)
        withholding = Account.search([("code", "=", "222102"), ("company_ids", "in", hq.ids)], limit=1) or Account.create(
            {"name": "应交税费-代扣代缴个人所得税", "code": "222102", "account_type": "liability_current"}
        )
        hq.write({"commission_expense_account_id": expense.id, "commission_withholding_account_id": withholding.id,
                  "commission_return_days": 7, "commission_min_withdrawal": 50.0})
        self.env["distribution.commission.rule"].create(
            [
                {"company_id": hq.id, "level": "1", "categ_id": ref("distribution_core.demo_product_category_bv").id,
                 "rate": 8.0},
                {"company_id": hq.id, "level": "1", "rate": 5.0},
                {"company_id": hq.id, "level": "2", "rate": 2.0},
            ]
        )
        Partner = self.env["res.partner"]
        people = Partner.create(
            [
                {"name": "周婷（推广员）", "email": "zhouting@example.com", "phone": "13800000001"},
                {"name": "陈晨（推广员）", "email": "chenchen@example.com", "phone": "13800000002"},
            ]
        )
        top = self.create({"company_id": hq.id, "partner_id": people[0].id, "payout_method": "alipay",
                           "alipay_account": "zhouting@example.com", "withholding_rate": 20.0})
        mid = self.create({"company_id": hq.id, "partner_id": people[1].id, "parent_id": top.id,
                           "payout_method": "wechat", "wechat_account": "wx_chenchen"})
        # 周婷 signs in to the portal (My Account → My Earnings); see config/demo-logins.txt
        if not self.env["res.users"].with_context(active_test=False).search_count([("login", "=", "promoter")]):
            self.env["res.users"].with_context(no_reset_password=True).create(
                {"login": "promoter", "password": "promoter", "partner_id": people[0].id, "company_id": hq.id,
                 "company_ids": [Command.set(hq.ids)], "group_ids": [Command.set(ref("base.group_portal").ids)]}
            )
        customers = Partner.create(
            [{"name": name, "email": f"customer{i}@example.com"}
             for i, name in enumerate(["刘洋", "王芳", "李娜", "张伟"])]
        )
        customers[:3]._attach_referrer(mid)
        customers[3:]._attach_referrer(top)
        products = [ref(f"distribution_core.demo_product_bv_00{i}") for i in (1, 2, 3)]
        orders = self.env["sale.order"].with_company(hq).create(
            [
                {"partner_id": customer.id, "company_id": hq.id,
                 "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})]}
                for customer, product, qty in zip(customers, products + products[:1], (12, 24, 6, 10), strict=True)
            ]
        )
        orders.action_confirm()
        for picking in orders.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        invoices = orders._create_invoices()
        invoices.action_post()
        self.env["account.payment.register"].with_company(hq).with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"group_payment": False})._create_payments()
        Commission = self.env["distribution.commission"]
        commissions = Commission.search([("order_id", "in", orders.ids)])
        # the first two orders are past their return window: available, then one withdrawn
        past = commissions.filtered(lambda c: c.order_id in orders[:2] or c.order_id == orders[3])
        past.write({"release_date": fields.Date.context_today(self) - timedelta(days=1)})
        Commission._cron_release()
        # the third customer sends one unit back within the window: that part is reversed
        refund = invoices.filtered(lambda m: m.partner_id == customers[2])._reverse_moves(
            [{"ref": "退货 1 箱"}]
        )
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        Withdrawal = self.env["distribution.commission.withdrawal"]
        paid = Withdrawal._request(mid, min(mid.amount_withdrawable, 100.0))
        paid.action_approve()
        Withdrawal._request(top, top.amount_withdrawable)  # waiting for approval
        return True
