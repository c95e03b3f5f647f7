import re
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DistributionSaleHttpCommon


@tagged("post_install", "-at_install")
class TestChannelPricing(DistributionSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pricelist = cls.env["product.pricelist"]

        def pricelist(name, price):
            return Pricelist.create(
                {
                    "name": name,
                    "item_ids": [
                        Command.create(
                            {"applied_on": "0_product_variant", "product_id": cls.product_a.id,
                             "compute_price": "fixed", "fixed_price": price}
                        )
                    ],
                }
            )

        cls.pl_rd_zj = pricelist("RD Zhejiang", 700.0)
        cls.pl_rd_js = pricelist("RD Jiangsu", 720.0)
        cls.pl_dl = pricelist("Dealers", 800.0)
        Rule = cls.env["distribution.pricelist.rule"]
        Rule.create(
            [
                {"tier_id": cls.tier_rd.id, "territory_id": cls.terr_zj.id, "pricelist_id": cls.pl_rd_zj.id},
                {"tier_id": cls.tier_rd.id, "territory_id": cls.terr_js.id, "pricelist_id": cls.pl_rd_js.id},
                {"tier_id": cls.tier_dl.id, "pricelist_id": cls.pl_dl.id},
            ]
        )

    def _quote_price(self, member, product=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": member.partner_id.id,
                "order_line": [Command.create({"product_id": (product or self.product_a).id, "product_uom_qty": 1})],
            }
        )
        return order.pricelist_id, order.order_line.price_unit

    def test_price_per_tier_and_territory(self):
        self.assertEqual(self._quote_price(self.members["rd_zj"]), (self.pl_rd_zj, 700.0))
        self.assertEqual(self._quote_price(self.members["rd_js"]), (self.pl_rd_js, 720.0))
        self.assertEqual(self._quote_price(self.members["dl_hz"]), (self.pl_dl, 800.0))
        self.assertEqual(self._quote_price(self.members["dl_nj"]), (self.pl_dl, 800.0))
        # a rule for one member, at a higher priority, wins
        vip = self.env["product.pricelist"].create({"name": "VIP dealer"})
        self.env["distribution.pricelist.rule"].create(
            {"member_id": self.members["dl_hz"].id, "pricelist_id": vip.id, "priority": 20}
        )
        self.assertEqual(self.members["dl_hz"].partner_id.property_product_pricelist, vip)
        self.assertEqual(self.members["dl_nj"].partner_id.property_product_pricelist, self.pl_dl)

    def test_territory_change_changes_quotation_price(self):
        anhui = self.env["distribution.territory"].create(
            {"name": "Anhui", "territory_type": "state", "parent_id": self.terr_east.id}
        )
        pl_ah = self.env["product.pricelist"].create(
            {"name": "RD Anhui", "item_ids": [Command.create(
                {"applied_on": "0_product_variant", "product_id": self.product_a.id,
                 "compute_price": "fixed", "fixed_price": 750.0})]}
        )
        self.env["distribution.pricelist.rule"].create(
            {"tier_id": self.tier_rd.id, "territory_id": anhui.id, "pricelist_id": pl_ah.id}
        )
        self.assertEqual(self._quote_price(self.members["rd_js"])[1], 720.0)
        self.members["rd_js"].territory_id = anhui
        self.assertEqual(self._quote_price(self.members["rd_js"]), (pl_ah, 750.0))

    def test_rule_validity_dates(self):
        summer = self.env["product.pricelist"].create({"name": "Summer dealers"})
        today = fields.Date.today()
        self.env["distribution.pricelist.rule"].create(
            {"tier_id": self.tier_dl.id, "pricelist_id": summer.id, "priority": 20,
             "date_start": today + timedelta(days=10), "date_end": today + timedelta(days=20)}
        )
        self.assertEqual(self.members["dl_hz"].partner_id.property_product_pricelist, self.pl_dl)
        with freeze_time(today + timedelta(days=10)):
            self.env["distribution.pricelist.rule"]._cron_apply_rules()
            self.assertEqual(self.members["dl_hz"].partner_id.property_product_pricelist, summer)
        with freeze_time(today + timedelta(days=21)):
            self.env["distribution.pricelist.rule"]._cron_apply_rules()
            self.assertEqual(self.members["dl_hz"].partner_id.property_product_pricelist, self.pl_dl)

    def test_overlapping_rules_refused(self):
        other = self.env["product.pricelist"].create({"name": "Other"})
        with self.assertRaisesRegex(ValidationError, "overlaps rule .* same members, same priority and overlapping dates"):
            self.env["distribution.pricelist.rule"].create({"tier_id": self.tier_dl.id, "pricelist_id": other.id})
        # a different priority, or dates that do not overlap, are fine
        self.env["distribution.pricelist.rule"].create(
            {"tier_id": self.tier_dl.id, "pricelist_id": other.id, "priority": 5}
        )
        today = fields.Date.today()
        self.env["distribution.pricelist.rule"].create(
            [
                {"tier_id": self.tier_st.id, "pricelist_id": other.id, "date_end": today},
                {"tier_id": self.tier_st.id, "pricelist_id": other.id, "date_start": today + timedelta(days=1)},
            ]
        )
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.env["distribution.pricelist.rule"].create(
                {"tier_id": self.tier_ga.id, "pricelist_id": other.id, "date_start": today, "date_end": today - timedelta(days=1)}
            )

    def _floor(self, **vals):
        return self.env["distribution.price.floor"].create(vals)

    def _order(self, member, price, user=None):
        env = self.env(user=user) if user else self.env
        order = env["sale.order"].create(
            {
                "partner_id": member.partner_id.id,
                "user_id": (user or self.env.user).id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 3, "price_unit": price})],
            }
        )
        return order

    def test_floor_flags_line_with_gap(self):
        self._floor(product_id=self.product_a.id, territory_id=self.terr_zj.id, sell_in_floor=650.0)
        order = self._order(self.members["dl_hz"], 600.0)  # Hangzhou lies in Zhejiang
        line = order.order_line
        self.assertTrue(line.channel_below_floor)
        self.assertEqual(line.channel_floor_price, 650.0)
        self.assertEqual(line.channel_floor_gap, 50.0)
        self.assertEqual(line.channel_floor_loss, 150.0)
        self.assertEqual(line.channel_territory_id, self.terr_hz)
        self.assertTrue(order.channel_below_floor)
        # the monitoring report groups the amount below the floor by region
        groups = self.env["sale.order.line"]._read_group(
            [("channel_below_floor", "=", True), ("order_id", "=", order.id)],
            ["channel_territory_id"], ["channel_floor_loss:sum"],
        )
        self.assertEqual(groups, [(self.terr_hz, 150.0)])
        # a discount counts: 700 less 10% is 630, still under 650
        line.write({"price_unit": 700.0, "discount": 10.0})
        self.assertAlmostEqual(line.channel_floor_gap, 20.0)
        line.discount = 0.0
        self.assertFalse(line.channel_below_floor)
        self.assertEqual(line.channel_floor_gap, 0.0)
        # Jiangsu has no floor
        self.assertFalse(self._order(self.members["dl_nj"], 600.0).channel_below_floor)

    def test_floor_resolution(self):
        categ_floor = self._floor(categ_id=self.product_a.categ_id.id, sell_in_floor=500.0)
        global_floor = self._floor(product_id=self.product_a.id, sell_in_floor=550.0)
        zj_floor = self._floor(product_id=self.product_a.id, territory_id=self.terr_zj.id, sell_in_floor=600.0)
        Floor = self.env["distribution.price.floor"]
        company = self.env.company
        self.assertEqual(Floor._get_floors(self.product_a, self.terr_hz, company)[self.product_a.id], zj_floor)
        self.assertEqual(Floor._get_floors(self.product_a, self.terr_nj, company)[self.product_a.id], global_floor)
        # a product without a floor of its own falls back on its category's
        self.product_b.categ_id = self.product_a.categ_id
        self.assertEqual(Floor._get_floors(self.product_b, self.terr_nj, company)[self.product_b.id], categ_floor)

    def test_below_floor_needs_channel_manager(self):
        self._floor(product_id=self.product_a.id, sell_in_floor=650.0)
        # the channel user's own member (he is the Hangzhou dealer's channel manager)
        order = self._order(self.members["dl_hz"], 600.0, user=self.channel_user)
        with self.assertRaisesRegex(UserError, "below the channel price floor .* Only a Channel Manager can confirm it"):
            order.with_user(self.channel_user).action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.channel_manager).action_confirm()
        self.assertEqual(order.state, "sale")
        # at the floor, a channel user confirms alone
        order = self._order(self.members["dl_hz"], 650.0, user=self.channel_user)
        order.with_user(self.channel_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_bad_floors_refused(self):
        with self.assertRaisesRegex(ValidationError, r"minimum sell-in price of .*product_a.* is above its list price"):
            self._floor(product_id=self.product_a.id, sell_in_floor=1200.0)
        with self.assertRaisesRegex(ValidationError, "minimum resale price .* is above its list price"):
            self._floor(product_id=self.product_a.id, resale_floor=1000.01)
        self._floor(product_id=self.product_a.id, sell_in_floor=600.0)
        with self.assertRaisesRegex(ValidationError, "already has a price floor"):
            self._floor(product_id=self.product_a.id, sell_in_floor=610.0)
        with self.assertRaisesRegex(ValidationError, "for a product or for a category, not both"):
            self._floor(product_id=self.product_b.id, categ_id=self.product_a.categ_id.id, sell_in_floor=1.0)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._floor(product_id=self.product_b.id, resale_floor=-1.0)

    def _publication(self, price=850.0, pricelist=None, days=7):
        return self.env["distribution.price.publication"].create(
            {
                "name": "Dealer prices up",
                "effective_date": fields.Date.today() + timedelta(days=days),
                "line_ids": [Command.create({"pricelist_id": (pricelist or self.pl_dl).id,
                                             "product_id": self.product_a.id, "new_price": price})],
            }
        )

    def test_publication_takes_effect_on_its_date(self):
        publication = self._publication()
        self.assertEqual(publication.line_ids.old_price, 800.0)
        self.assertEqual(publication.member_ids, self.members["dl_hz"] | self.members["dl_nj"])
        publication.with_user(self.channel_user).action_submit()
        self.assertEqual(publication.submitted_by_id, self.channel_user)
        with self.assertRaisesRegex(UserError, "Only a Channel Manager can review and publish prices"):
            publication.with_user(self.channel_user).action_approve()
        publication.action_approve()
        publication.action_publish()
        self.assertEqual(publication.state, "published")
        self.assertFalse(publication.in_effect)
        effective = publication.effective_date
        with freeze_time(datetime.combine(effective, time.min) - timedelta(seconds=1)):
            self.assertEqual(self._quote_price(self.members["dl_hz"])[1], 800.0)
        with freeze_time(effective):
            self.assertEqual(self._quote_price(self.members["dl_hz"])[1], 850.0)
            self.assertEqual(self._quote_price(self.members["rd_zj"])[1], 700.0, "other pricelists are untouched")
        with freeze_time(effective + timedelta(days=30)):
            self.assertEqual(self._quote_price(self.members["dl_nj"])[1], 850.0)
        # the affected members' companies were told
        message = publication.message_ids.filtered(lambda m: m.partner_ids)[:1]
        self.assertEqual(message.partner_ids, self.members["dl_hz"].partner_id | self.members["dl_nj"].partner_id)
        # a later publication supersedes this one from its own date
        later = self._publication(price=900.0, days=14)
        later.action_submit()
        later.action_approve()
        later.action_publish()
        with freeze_time(effective + timedelta(days=1)):
            self.assertEqual(self._quote_price(self.members["dl_hz"])[1], 850.0)
        with freeze_time(later.effective_date):
            self.assertEqual(self._quote_price(self.members["dl_hz"])[1], 900.0)

    def test_publication_announced_in_each_members_language(self):
        """An English channel manager publishes: the Chinese dealer is told in Chinese (its date format),
        the English one in English, each its own message (#29)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["distribution_sale"], ["zh_CN"], overwrite=True)
        self.env.user.sudo().lang = "en_US"
        self.members["dl_hz"].partner_id.lang = "zh_CN"
        self.members["dl_nj"].partner_id.lang = "en_US"
        publication = self._publication()
        publication.action_submit()
        publication.action_approve()
        publication.with_context(lang="en_US").action_publish()
        messages = publication.message_ids.filtered(lambda m: m.partner_ids)
        self.assertEqual(len(messages), 2)
        chinese = messages.filtered(lambda m: m.partner_ids == self.members["dl_hz"].partner_id)
        english = messages.filtered(lambda m: m.partner_ids == self.members["dl_nj"].partner_id)
        self.assertIn("起执行新的渠道价格", chinese.subject)
        self.assertIn(publication.effective_date.strftime("%Y/%m/%d"), chinese.subject)
        self.assertNotIn("Dear partner", str(chinese.body))
        self.assertIn("New channel prices from", english.subject)
        self.assertIn("Dear partner", str(english.body))

    def test_publication_checks(self):
        self._floor(product_id=self.product_a.id, sell_in_floor=650.0)
        with self.assertRaisesRegex(ValidationError, "below its minimum sell-in price"):
            self._publication(price=600.0)
        past = self._publication(days=-1)
        past.action_submit()
        past.action_approve()
        with self.assertRaisesRegex(UserError, "effective date .* has passed"):
            past.action_publish()
        empty = self.env["distribution.price.publication"].create({"name": "Empty"})
        with self.assertRaisesRegex(UserError, "Add at least one price"):
            empty.action_submit()

    def test_portal_sees_own_prices_only(self):
        dl_pub = self._publication()
        rd_pub = self._publication(price=690.0, pricelist=self.pl_rd_zj)
        for publication in dl_pub | rd_pub:
            publication.action_submit()
            publication.action_approve()
            publication.action_publish()
        Line = self.env["distribution.price.publication.line"]
        self.assertEqual(Line.with_user(self.users["dl_hz"]).search([]), dl_pub.line_ids)
        self.assertEqual(Line.with_user(self.users["rd_zj"]).search([]), rd_pub.line_ids)
        with self.assertRaises(AccessError):
            rd_pub.line_ids.with_user(self.users["dl_hz"]).read(["new_price"])
        with self.assertRaises(AccessError):
            rd_pub.with_user(self.users["dl_nj"]).read(["name"])
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/prices").text
        self.assertIn("Dealers", page)
        self.assertIn("850.00", page)
        self.assertNotIn("690.00", page)

    def test_portal_current_prices(self):
        """My Prices lists the member's own pricelist price of each product it may order, with search."""
        self.authenticate("portal_dl_hz", "portal_dl_hz")
        page = self.url_open("/my/prices").text
        self.assertNotIn("No price change has been published", page.split("Price Changes")[0])
        rows = re.findall(r'o_dist_price_row">(.*?)</li>', page, re.S)
        by_name = {re.search(r'text-break">([^<]*)<', row).group(1): row for row in rows}
        self.assertIn("800.00", by_name["product_a"], "the dealers' pricelist price, not the list price")
        self.assertIn(f"{self.product_b.lst_price:,.2f}", by_name["product_b"], "no rule: the list price")
        # another member's pricelist (RD Zhejiang, 700.00) is not shown, whatever is sent
        self.assertNotIn("700.00", page)
        page = self.url_open(f"/my/prices?search=product_b&pricelist_id={self.pl_rd_zj.id}").text
        self.assertNotIn("700.00", page)
        self.assertNotIn("product_a", page)
        self.assertIn("product_b", page)
        self.authenticate("portal_rd_zj", "portal_rd_zj")
        page = self.url_open("/my/prices?search=PRODUCT_A").text
        self.assertIn("700.00", page)
        self.assertNotIn("800.00", page)

    def test_tier_default_pricelist_without_rule(self):
        store_prices = self.env["product.pricelist"].create({"name": "Stores"})
        self.tier_st.pricelist_id = store_prices
        self.assertEqual(self.members["st_hz"].pricelist_id, store_prices)
        self.assertEqual(self.members["st_hz"].partner_id.property_product_pricelist, store_prices)
        self.assertEqual(self.members["rd_zj"].pricelist_id, self.pl_rd_zj, "a rule beats the tier default")

    def test_wizard_free_form_create(self):
        form = Form(self.env["distribution.price.publication"])
        form.name = "Via form"
        with form.line_ids.new() as line:
            line.pricelist_id = self.pl_dl
            line.product_id = self.product_a
            line.new_price = 820.0
        publication = form.save()
        self.assertEqual(publication.line_ids.old_price, 800.0)
        self.assertAlmostEqual(publication.line_ids.change_percent, 2.5)

    def test_change_percent_shown_as_percent_not_ratio(self):
        """A -2.2 % change reads -2.2 on the form: the field already holds
        percent points, so a ``percentage`` widget (which multiplies by 100)
        would show -222.22 % and mislead the reviewer."""
        from lxml import etree

        arch = self.env["distribution.price.publication"].get_view(
            self.env.ref("distribution_sale.distribution_price_publication_view_form").id, "form"
        )["arch"]
        nodes = etree.fromstring(arch).xpath("//field[@name='change_percent']")
        self.assertTrue(nodes, "the form shows the change")
        for node in nodes:
            self.assertNotEqual(node.get("widget"), "percentage")
