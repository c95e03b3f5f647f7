import re
from contextlib import contextmanager

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DistributionCommon(AccountTestInvoicingCommon):
    """A four-level channel that other addons' tests reuse:

        GA  Alpha (general agent, East region)
        ├── RD  Zhejiang distributor (Zhejiang)
        │   └── DL  Hangzhou dealer (Hangzhou)
        │       └── ST  Hangzhou store (Hangzhou)
        └── RD  Jiangsu distributor (Jiangsu)
            └── DL  Nanjing dealer (Nanjing)

    Each member has a portal user (``cls.users[key]``) and one posted invoice
    (``cls.invoices[key]``); with distribution_sale installed, also one confirmed
    sale order (``cls.orders[key]``, see distribution_sale's DistributionSaleCommon).
    """

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """Like unittest's, but inside Odoo's savepoint (as assertRaises is),
        so that what the failed call wrote is rolled back."""
        with self.assertRaises(exception, msg=msg) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the accounting test user also manages the channel
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("distribution_core.group_channel_manager").id)]
        Tier = cls.env["distribution.tier"]
        cls.tier_ga, cls.tier_rd, cls.tier_dl, cls.tier_st = Tier.create(
            [
                {"name": "General Agent (test)", "code": "TGA", "sequence": 110},
                {"name": "Regional Distributor (test)", "code": "TRD", "sequence": 120},
                {"name": "Dealer (test)", "code": "TDL", "sequence": 130},
                {"name": "Store (test)", "code": "TST", "sequence": 140, "exclusive_territory": False},
            ]
        )
        Territory = cls.env["distribution.territory"]
        cn = cls.env.ref("base.cn")
        zj = cls.env.ref("base.state_cn_ZJ")
        js = cls.env.ref("base.state_cn_JS")
        cls.terr_east = Territory.create({"name": "East (test)", "territory_type": "custom", "country_id": cn.id})
        cls.terr_zj = Territory.create(
            {"name": "Zhejiang", "territory_type": "state", "parent_id": cls.terr_east.id, "country_id": cn.id,
             "state_ids": [Command.set(zj.ids)]}
        )
        cls.terr_js = Territory.create(
            {"name": "Jiangsu", "territory_type": "state", "parent_id": cls.terr_east.id, "country_id": cn.id,
             "state_ids": [Command.set(js.ids)]}
        )
        cls.terr_hz = Territory.create(
            {"name": "Hangzhou", "territory_type": "city", "parent_id": cls.terr_zj.id, "country_id": cn.id,
             "state_ids": [Command.set(zj.ids)], "city": "Hangzhou"}
        )
        cls.terr_nj = Territory.create(
            {"name": "Nanjing", "territory_type": "city", "parent_id": cls.terr_js.id, "country_id": cn.id,
             "state_ids": [Command.set(js.ids)], "city": "Nanjing"}
        )
        cls.channel_manager = new_test_user(
            cls.env, login="dist_manager", groups="distribution_core.group_channel_manager",
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.channel_user = new_test_user(
            cls.env, login="dist_user", groups="distribution_core.group_channel_user",
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)],
        )
        spec = [
            # key, name, tier, parent key, territory, vat
            ("ga", "Alpha General Agent", cls.tier_ga, None, cls.terr_east, "91330000GA0000001X"),
            ("rd_zj", "Zhejiang Distributor", cls.tier_rd, "ga", cls.terr_zj, "91330000RD0000001X"),
            ("rd_js", "Jiangsu Distributor", cls.tier_rd, "ga", cls.terr_js, "91320000RD0000002X"),
            ("dl_hz", "Hangzhou Dealer", cls.tier_dl, "rd_zj", cls.terr_hz, "91330100DL0000001X"),
            ("dl_nj", "Nanjing Dealer", cls.tier_dl, "rd_js", cls.terr_nj, "91320100DL0000002X"),
            ("st_hz", "Hangzhou Store", cls.tier_st, "dl_hz", cls.terr_hz, "91330100ST0000001X"),
        ]
        cls.members, cls.users, cls.orders, cls.invoices = {}, {}, {}, {}
        for key, name, tier, parent, territory, vat in spec:
            company = cls.env["res.partner"].create({"name": name, "is_company": True, "vat": vat})
            contact = cls.env["res.partner"].create(
                {"name": f"{name} contact", "parent_id": company.id, "email": f"{key}@example.com"}
            )
            cls.members[key] = cls.env["distribution.member"].create(
                {
                    "partner_id": company.id,
                    "code": key.upper(),
                    "tier_id": tier.id,
                    "parent_id": cls.members[parent].id if parent else False,
                    "territory_id": territory.id,
                    "manager_id": cls.channel_user.id if key == "dl_hz" else cls.channel_manager.id,
                    "state": "active",
                }
            )
            cls.users[key] = new_test_user(
                cls.env, login=f"portal_{key}", groups="base.group_portal", partner_id=contact.id,
                company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)],
            )
            if "sale.order" in cls.env and "channel_member_id" in cls.env["sale.order"]._fields:
                # distribution_sale (channel ordering) installed, not just Odoo's sale: the member's sell-in
                order = cls.env["sale.order"].create(
                    {
                        "partner_id": company.id,
                        "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 2})],
                    }
                )
                order.action_confirm()
                cls.orders[key] = order
            cls.invoices[key] = cls._create_invoice(
                partner_id=company.id,
                invoice_line_ids=[Command.create({"product_id": cls.product_a.id, "price_unit": 100.0, "tax_ids": []})],
                post=True,
            )

    @classmethod
    def _invoice(cls, member, when, lines, refund=False, currency=None, due=None, post=True):
        """A customer invoice (refund=True: credit note) of a member of the channel, without tax.
        lines: [(product, qty, unit price)]. Shared by the addons that read the members' invoices
        (statements, rebates, dashboards)."""
        return cls._create_invoice(
            move_type="out_refund" if refund else "out_invoice",
            partner_id=cls.members[member].partner_id.id,
            invoice_date=when,
            invoice_date_due=due,
            currency_id=currency.id if currency else None,
            invoice_line_ids=[
                Command.create({"product_id": p.id, "quantity": q, "price_unit": u, "tax_ids": []})
                for p, q, u in lines
            ],
            post=post,
        )


class DistributionHttpCommon(DistributionCommon, HttpCase):
    """The same channel, for tests that go through HTTP (portal, public pages, tours)."""

    def _csrf(self, url):
        """The CSRF token a browser would post back, read from the page at url
        (for the current session, public or logged in)."""
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text)
        return match.group(1) if match else ""
