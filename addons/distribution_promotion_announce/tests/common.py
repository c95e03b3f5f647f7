from odoo import Command

from odoo.addons.distribution_core.tests.common import DistributionCommon
from odoo.addons.distribution_pos.tests.test_pos_promotion import _promotion_vals
from odoo.addons.distribution_sms.tests.common import SmsGatewayCommon


class AnnounceCommon(DistributionCommon, SmsGatewayCommon):
    """The test channel with three more stores, a tea promotion published to the
    stores of Zhejiang, and the Aliyun-style gateway pointed at a local fake
    SMS server (``cls.gateway``).

    Stores: ST_HZ (Hangzhou, mobile 13800000001), ST_HZ2 (Hangzhou, opted out),
    ST_HZ3 (Hangzhou, landline only), ST_NJ (Nanjing: not in Zhejiang).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [Command.link(cls.env.ref("point_of_sale.group_pos_manager").id)]
        cls.env["loyalty.program"].sudo().search([]).write({"active": False})
        channel_prices = cls.env["product.pricelist"].create({"name": "Channel prices (test)"})
        (cls.tier_st | cls.tier_dl).pricelist_id = channel_prices
        cls.members["st_hz"].partner_id.phone = "+86 138 0000 0001"
        cls.members["st_hz"].promotion_sms_mobile = "13800000001"
        Member = cls.env["distribution.member"]
        for key, name, territory, phone, extra in [
            ("st_hz2", "Hangzhou West Store", cls.terr_hz, "13800000002", {"promotion_sms_opt_out": True}),
            ("st_hz3", "Hangzhou East Store", cls.terr_hz, "0571-88880003", {}),
            ("st_nj", "Nanjing Store", cls.terr_nj, "13800000004", {}),
        ]:
            company = cls.env["res.partner"].create({"name": name, "is_company": True, "phone": phone})
            cls.members[key] = Member.create({
                "partner_id": company.id,
                "code": key.upper(),
                "tier_id": cls.tier_st.id,
                "parent_id": cls.members["dl_hz"].id,
                "territory_id": territory.id,
                "state": "active",
                **extra,
            })
        cls.tea = cls.env["product.product"].create(
            {"name": "Spring Green Tea", "list_price": 50.0, "available_in_pos": True, "taxes_id": False}
        )
        cls.promo = cls.env["loyalty.program"].create(
            _promotion_vals(
                "Spring tea festival", cls.tea, 10,
                channel_tier_ids=[Command.set(cls.tier_st.ids)],
                channel_territory_ids=[Command.set(cls.terr_zj.ids)],
                dms_announce_note="Two boxes of spring tea: 10% off",
            )
        )
        cls.store_user = cls.users["st_hz"]

    def _announce(self):
        self.promo.action_announce()
        self.env["distribution.sms.message"]._cron_send()
        return self.promo.dms_announcement_ids

    def _announcement(self, key):
        return self.promo.dms_announcement_ids.filtered(lambda a: a.member_id == self.members[key])

    @classmethod
    def _make_order(cls, config, lines, reward=None, state="paid", date_order=None):
        """A POS order of (product, qty) lines, with the reward line of
        ``reward`` (its discount on the goods) if given."""
        session = config.current_session_id or cls.env["pos.session"].create(
            {"config_id": config.id, "user_id": cls.env.uid}
        )
        line_vals = [
            Command.create({"product_id": product.id, "qty": qty, "price_unit": product.lst_price,
                            "price_subtotal": product.lst_price * qty, "price_subtotal_incl": product.lst_price * qty})
            for product, qty in lines
        ]
        total = sum(product.lst_price * qty for product, qty in lines)
        if reward:
            discount = -round(total * reward.discount / 100, 2)
            line_vals.append(Command.create({
                "product_id": reward.discount_line_product_id.id, "qty": 1, "price_unit": discount,
                "price_subtotal": discount, "price_subtotal_incl": discount,
                "reward_id": reward.id, "is_reward_line": True,
            }))
            total += discount
        order = cls.env["pos.order"].create({
            "session_id": session.id, "lines": line_vals, "amount_tax": 0.0, "amount_total": total,
            "amount_paid": total, "amount_return": 0.0,
        })
        order.state = state
        if date_order:
            order.date_order = date_order
        return order
