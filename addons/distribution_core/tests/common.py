import io
import re
import zipfile
from contextlib import contextmanager

import xlsxwriter
from hypothesis import HealthCheck, settings

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def fuzz(max_examples=25):
    """Hypothesis settings for hostile-input tests inside an Odoo test case: no deadline (the
    database sets the pace), no health check, no example database written to disk."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def xlsx_file(rows, **options):
    """An XLSX file (bytes) of one sheet holding ``rows`` (lists of cells) from A1, as a member's
    spreadsheet would; ``options`` go to xlsxwriter's Workbook (``strings_to_formulas=False`` writes
    a text starting with "=" as text)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, **options})
    sheet = workbook.add_worksheet()
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    workbook.close()
    return output.getvalue()


def refund_pos_order(order, qty, payment_method):
    """Refund ``qty`` of the first line of a paid POS order as a cashier does it (the refund order,
    its quantity, its payment with ``payment_method``); the refund order. For the tests of the addons
    on point_of_sale (distribution_pos, distribution_commission_pos)."""
    env = order.env
    refund = env["pos.order"].browse(order.refund()["res_id"])
    with Form(refund) as form:
        with form.lines.edit(0) as line:
            line.qty = -qty
    refund = form.save()
    context = {"active_ids": refund.ids, "active_id": refund.id}
    env["pos.make.payment"].with_context(**context).create(
        {"amount": refund.amount_total, "payment_method_id": payment_method.id}
    ).with_context(**context).check()
    return refund


def inflated_xlsx(content, text):
    """The XLSX file ``content`` whose cell "MARKER" holds ``text`` instead: a small file that may
    unpack to a huge cell (an XLSX bomb)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"MARKER", text.encode())
            target.writestr(info.filename, data)
    return output.getvalue()


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

    #: what each portal user of the network must see of it, by member key: its own company and its
    #: whole subtree, never a sibling's, a parent's, or a parent's other children
    SUBTREE_VISIBILITY = {
        "ga": {"ga", "rd_zj", "rd_js", "dl_hz", "dl_nj", "st_hz"},
        "rd_zj": {"rd_zj", "dl_hz", "st_hz"},
        "rd_js": {"rd_js", "dl_nj"},
        "dl_hz": {"dl_hz", "st_hz"},
        "dl_nj": {"dl_nj"},
        "st_hz": {"st_hz"},
    }

    @staticmethod
    def _member_keys(records, by_key):
        """The member keys of ``records``, ``by_key`` giving each key's record."""
        reverse = {rec.id: key for key, rec in by_key.items()}
        return {reverse[r.id] for r in records if r.id in reverse}

    def assertSubtreeVisibility(self, model, by_key, fields):
        """As each member's portal user, ``model`` shows exactly the records of ``by_key`` (member key
        → record) of the member's subtree (SUBTREE_VISIBILITY): a search finds those and no other one,
        reading another one's ``fields`` raises AccessError."""
        all_ids = [rec.id for rec in by_key.values()]
        for key, expected in self.SUBTREE_VISIBILITY.items():
            with self.subTest(user=key):
                Model = self.env[model].with_user(self.users[key])
                self.assertEqual(self._member_keys(Model.search([("id", "in", all_ids)]), by_key), expected)
                for other in set(by_key) - expected:
                    with self.assertRaises(AccessError):
                        Model.browse(by_key[other].id).read(fields)

    @classmethod
    def _setup_territory_manager(cls):
        """``cls.east``, a channel user managing the Zhejiang territory (its distributor, dealer and
        store; Jiangsu is another region to him), approvals off: what a channel user may do in and
        out of his part of the network, tested alone."""
        cls.env["tier.definition"].search([]).active = False
        cls.east = new_test_user(
            cls.env, login="dist_east", groups="distribution_core.group_channel_user",
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.terr_zj.manager_id = cls.east

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
