from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

from odoo.addons.distribution_rebate.tests.common import RebateCommon


class DashboardCommon(RebateCommon):
    """The channel of distribution_core (GA → RD Zhejiang → DL Hangzhou → ST Hangzhou, GA → RD Jiangsu →
    DL Nanjing) with figures in each SQL view the dashboards read, built by hand:

    - sell-in (on top of the core set-up's one invoice of 1 × product_a at 100 per member, today):
      RD Zhejiang 4 × product_a at 50 (200) and RD Jiangsu 7 × product_b at 50 (350), today;
    - stock analysis rows: RD Zhejiang product_a (40 on hand, cover 80 days), DL Hangzhou product_a
      (slow mover, 100 on hand), DL Nanjing product_b (slow mover, 999 on hand);
    - statements of DL Hangzhou and RD Zhejiang in two months (see `_statements`).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.users"])
        cls.product_b.default_code = "PB-002"
        cls._invoice("rd_zj", cls.today, [(cls.product_a, 4, 50.0)])
        cls._invoice("rd_js", cls.today, [(cls.product_b, 7, 50.0)])
        Analysis = cls.env["distribution.stock.analysis"].sudo()
        cls.analysis = {}
        for key, member, product, on_hand, velocity, slow in (
            ("rd_zj_a", "rd_zj", cls.product_a, 40.0, 0.5, False),
            ("dl_hz_a", "dl_hz", cls.product_a, 100.0, 0.0, True),
            ("dl_nj_b", "dl_nj", cls.product_b, 999.0, 0.0, True),
        ):
            record = cls.members[member]
            cls.analysis[key] = Analysis.create(
                {
                    "member_id": record.id,
                    "tier_id": record.tier_id.id,
                    "territory_id": record.territory_id.id,
                    "parent_member_id": record.parent_id.id,
                    "product_id": product.id,
                    "categ_id": product.categ_id.id,
                    "company_id": cls.env.company.id,
                    "on_hand": on_hand,
                    "velocity": velocity,
                    "days_cover": on_hand / velocity if velocity else False,
                    "outflow_qty": velocity * 90,
                    "is_slow": slow,
                    "last_outflow_date": date(2025, 1, 15) if slow else cls.today,
                }
            )

    @classmethod
    def _statement(cls, member, month_end, state, sent=None, confirmed=None, number=None, currency=None):
        record = cls.members[member]
        statement = cls.env["distribution.statement"].create(
            {
                "number": number or f"ST/{member}/{month_end}/{state}",
                "member_id": record.id,
                "partner_id": record.partner_id.id,
                "company_id": cls.env.company.id,
                "currency_id": (currency or cls.env.company.currency_id).id,
                "date_from": month_end.replace(day=1),
                "date_to": month_end,
            }
        )
        # a statement is born a draft; its state moves only through the statement's own step
        statement._set_state(state, sent_date=sent, confirmed_date=confirmed)
        return statement

    @classmethod
    def _statements(cls):
        """January 2025: DL Hangzhou confirmed (sent on the 3rd, confirmed on the 5th: 2 days), RD Zhejiang sent,
        DL Hangzhou disputed (a dispute; its statement in a second currency, since a member has one current
        statement per currency and period), plus a draft and a superseded version that do not count.
        February 2025: DL Hangzhou confirmed after 4 days."""
        jan, feb = date(2025, 1, 31), date(2025, 2, 28)
        second_currency = cls.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", cls.env.company.currency_id.id), ("name", "in", ("EUR", "USD", "CNY"))], limit=1
        )
        second_currency.active = True
        statements = {
            "jan_confirmed": cls._statement("dl_hz", jan, "confirmed", datetime(2025, 2, 3, 9), datetime(2025, 2, 5, 9)),
            "jan_sent": cls._statement("rd_zj", jan, "sent", datetime(2025, 2, 3, 9)),
            "jan_disputed": cls._statement(
                "dl_hz", jan, "disputed", datetime(2025, 2, 3, 9), number="ST/X", currency=second_currency
            ),
            # the superseded version first: a member has one current statement per period
            "jan_superseded": cls._statement("rd_js", jan, "superseded", datetime(2025, 2, 3, 9), number="ST/Y"),
            "jan_draft": cls._statement("rd_js", jan, "draft"),
            "feb_confirmed": cls._statement("dl_hz", feb, "confirmed", datetime(2025, 3, 2, 9), datetime(2025, 3, 6, 9)),
            "feb_js": cls._statement("rd_js", feb, "confirmed", datetime(2025, 3, 2, 9), datetime(2025, 3, 3, 9)),
        }
        cls.env["distribution.statement.dispute"].create(
            {"statement_id": statements["jan_disputed"].id, "comment": "The credit note of January is missing."}
        )
        return statements

    def _settled_rebate(self):
        """A flat 3% quarterly agreement of DL Hangzhou: Q1 2025 earns 300 (10,000 invoiced) and is settled,
        Q2 2025 earns 150 (5,000 invoiced) and is not settled yet."""
        agreement = self._agreement(name="Hangzhou 3%")
        self._invoice("dl_hz", "2025-02-10", [(self.product_a, 100, 100.0)])
        self._invoice("dl_hz", "2025-05-10", [(self.product_a, 50, 100.0)])
        self._compute(agreement, up_to=date(2025, 6, 30))
        q1 = agreement.computation_ids.filtered(lambda c: c.date_from == date(2025, 1, 1))
        settlement = q1._settle()
        settlement.action_approve()
        self.assertEqual(settlement.state, "posted")
        return agreement, settlement

    def _recent_rebate(self, member="dl_hz"):
        """A flat 3% monthly agreement over last month and this one: last month earns 300 (10,000 invoiced)
        and is settled, this month earns 153 so far (5,000 invoiced + the 100 of the core set-up)."""
        this_month = self.today.replace(day=1)
        last_month = this_month - relativedelta(months=1)
        agreement = self._agreement(
            name="Monthly 3%", member_id=self.members[member].id, period_type="month", date_start=last_month,
            date_end=this_month + relativedelta(months=1, days=-1),
        )
        self._invoice(member, last_month + relativedelta(days=9), [(self.product_a, 100, 100.0)])
        self._invoice(member, self.today, [(self.product_a, 50, 100.0)])
        self._compute(agreement, up_to=self.today)
        settlement = agreement.computation_ids.filtered(lambda c: c.date_from == last_month)._settle()
        settlement.action_approve()
        self.assertEqual(settlement.state, "posted")
        return agreement, settlement

    @classmethod
    def _portal_user_without_member(cls):
        partner = cls.env["res.partner"].create({"name": "Walk-in customer", "email": "walkin@example.com"})
        return cls.env["res.users"].create(
            {"name": "Walk-in", "login": "walkin", "password": "walkin", "partner_id": partner.id,
             "group_ids": [Command.set(cls.env.ref("base.group_portal").ids)]}
        )
