"""Demo channel of a Chinese consumer-goods brand, 华夏优品 (Huaxia Brands).

Built once, when a database is created with demo data, from
``demo/distribution_demo.xml``:

* the brand HQ company in CNY, with a chart of accounts and 13% VAT;
* sales territories 中国 › 大区 › 省 › 市;
* 2 regional distributors, 5 dealers and 10 stores (+1 application) with their
  contacts, two channel managers and four portal users;
* 30 products in 4 categories;
* invitations and applications in every state.

Prices and a year of sell-in are distribution_sale's demo (its ``demo/sale_demo.py``).

Every random choice comes from ``random.Random(42)``, so all demo databases are
the same; only the dates move: they are relative to today, so the demo always
shows the last twelve months.

Other addons find the records through the ``distribution_core.demo_*`` XML ids
(e.g. ``demo_company_hq``, ``demo_member_rd001``, ``demo_product_bv_001``).
"""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# Quiet and fast: no chatter tracking or creation messages, no followers added
# on creation, no sign-up or activity e-mails to the demo users.
DEMO_CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_activity_quick_update": True,
    "no_reset_password": True,
}

HQ = {
    "name": "华夏优品总部 (Huaxia Brands HQ)",
    "street": "余杭区文一西路 969 号",
    "city": "杭州市",
    "zip": "311121",
    "province": "ZJ",
    "area": "330110",
    "phone": "+86 571 8888 6600",
    "email": "info@huaxia.example.com",
    "website": "https://www.huaxia.example.com",
}

# Provinces used by the demo: XML id of the res.country.state (the CN state
# codes in base are Chinese characters, e.g. 浙, so they are found by XML id).
PROVINCES = {
    "ZJ": "base.state_cn_ZJ",
    "JS": "base.state_cn_JS",
    "GD": "base.state_cn_GD",
    "BJ": "base.state_cn_BJ",
    "TJ": "base.state_cn_TJ",
    "HE": "base.state_cn_HE",
}

# code, name, type, parent code, provinces, city, manager login
TERRITORIES = [
    ("CN", "中国", "country", None, (), None, None),
    ("EAST", "华东大区", "custom", "CN", ("ZJ", "JS"), None, "east"),
    ("SOUTH", "华南大区", "custom", "CN", ("GD",), None, "manager"),
    # Not covered yet: HQ is recruiting a distributor for it (open invitation).
    ("NORTH", "华北大区", "custom", "CN", ("BJ", "TJ", "HE"), None, "manager"),
    ("ZJ", "浙江省", "state", "EAST", ("ZJ",), None, None),
    ("JS", "江苏省", "state", "EAST", ("JS",), None, None),
    ("GD", "广东省", "state", "SOUTH", ("GD",), None, None),
    ("ZJ-HZ", "杭州市", "city", "ZJ", ("ZJ",), "杭州市", None),
    ("ZJ-NB", "宁波市", "city", "ZJ", ("ZJ",), "宁波市", None),
    ("ZJ-WZ", "温州市", "city", "ZJ", ("ZJ",), "温州市", None),
    ("JS-NJ", "南京市", "city", "JS", ("JS",), "南京市", None),
    ("JS-SZ", "苏州市", "city", "JS", ("JS",), "苏州市", None),
    ("GD-GZ", "广州市", "city", "GD", ("GD",), "广州市", None),
    ("GD-SZ", "深圳市", "city", "GD", ("GD",), "深圳市", None),
    ("GD-FS", "佛山市", "city", "GD", ("GD",), "佛山市", None),
]


TIER_KEYS = {
    "RD": "tier_regional_distributor",
    "DL": "tier_dealer",
    "ST": "tier_store",
}

# Channel members, parents first. "area" is the administrative division code
# used in the unified social credit code (统一社会信用代码): 91 for companies,
# 92 for individual businesses (个体工商户), which most small stores are.
# "joined": months since the member was activated.
MEMBERS = [
    {"code": "RD001", "tier": "RD", "parent": None, "territory": "EAST", "manager": "east", "joined": 40,
     "name": "浙江华东优选供应链有限公司", "province": "ZJ", "city": "杭州市", "area": "330102",
     "street": "上城区解放东路 29 号迪凯银座 18 楼", "zip": "310016", "phone": "+86 571 8716 2345",
     "domain": "hdyx", "contact": "王建国", "function": "总经理", "login": "rd_east"},
    {"code": "RD002", "tier": "RD", "parent": None, "territory": "SOUTH", "manager": "manager", "joined": 34,
     "name": "广州南粤优品贸易有限公司", "province": "GD", "city": "广州市", "area": "440106",
     "street": "天河区珠江新城华夏路 8 号合景国际金融广场 26 楼", "zip": "510623", "phone": "+86 20 3868 5210",
     "domain": "nyyp", "contact": "陈志强", "function": "董事长", "login": "rd_south"},
    {"code": "DL001", "tier": "DL", "parent": "RD001", "territory": "ZJ-HZ", "manager": "east", "joined": 30,
     "name": "杭州顺达食品商行有限公司", "province": "ZJ", "city": "杭州市", "area": "330105",
     "street": "拱墅区莫干山路 1418 号", "zip": "310011", "phone": "+86 571 8825 6631",
     "domain": "hzshunda", "contact": "李明", "function": "经理", "login": "dealer_hz"},
    {"code": "DL002", "tier": "DL", "parent": "RD001", "territory": "ZJ-NB", "manager": "east", "joined": 26,
     "name": "宁波甬丰商贸有限公司", "province": "ZJ", "city": "宁波市", "area": "330212",
     "street": "鄞州区天童南路 588 号", "zip": "315199", "phone": "+86 574 8790 3312",
     "domain": "nbyongfeng", "contact": "徐海波", "function": "总经理"},
    {"code": "DL003", "tier": "DL", "parent": "RD001", "territory": "JS", "manager": "east", "joined": 22,
     "name": "江苏苏源贸易有限公司", "province": "JS", "city": "南京市", "area": "320106",
     "street": "鼓楼区中山北路 105 号", "zip": "210009", "phone": "+86 25 8332 1876",
     "domain": "jssuyuan", "contact": "孙晓东", "function": "总经理"},
    {"code": "DL004", "tier": "DL", "parent": "RD002", "territory": "GD-GZ", "manager": "manager", "joined": 28,
     "name": "广州穗丰商贸有限公司", "province": "GD", "city": "广州市", "area": "440104",
     "street": "越秀区环市东路 371 号", "zip": "510095", "phone": "+86 20 8376 2290",
     "domain": "gzsuifeng", "contact": "黄伟", "function": "经理"},
    {"code": "DL005", "tier": "DL", "parent": "RD002", "territory": "GD-SZ", "manager": "manager", "joined": 18,
     "name": "深圳鹏程供应链管理有限公司", "province": "GD", "city": "深圳市", "area": "440305",
     "street": "南山区科技园科苑路 15 号", "zip": "518057", "phone": "+86 755 2678 4410",
     "domain": "szpengcheng", "contact": "林俊杰", "function": "总经理"},
    {"code": "ST001", "tier": "ST", "parent": "DL001", "territory": "ZJ-HZ", "manager": "east", "joined": 24,
     "name": "杭州西湖文三路优品便利店", "province": "ZJ", "city": "杭州市", "area": "330106",
     "street": "西湖区文三路 259 号", "zip": "310012", "phone": "+86 571 8521 3306",
     "domain": "xhws", "contact": "赵丽", "function": "店长", "login": "store_hz1"},
    {"code": "ST002", "tier": "ST", "parent": "DL001", "territory": "ZJ-HZ", "manager": "east", "joined": 15,
     "name": "杭州滨江星光生活超市", "province": "ZJ", "city": "杭州市", "area": "330108",
     "street": "滨江区江南大道 228 号", "zip": "310051", "phone": "+86 571 8669 0521",
     "domain": "bjxg", "contact": "钱芳", "function": "店长"},
    {"code": "ST003", "tier": "ST", "parent": "DL001", "territory": "ZJ-HZ", "manager": "east", "joined": 11,
     "name": "杭州萧山邻家便利店", "province": "ZJ", "city": "杭州市", "area": "330109",
     "street": "萧山区人民路 312 号", "zip": "311200", "phone": "+86 571 8262 7719",
     "domain": "xslj", "contact": "吴刚", "function": "店主",
     "state": "suspended", "suspended_days": 20,
     "reason": "连续两个季度未完成最低进货额，且在宁波区域低价销售（窜货），暂停供货待整改。"},
    {"code": "ST004", "tier": "ST", "parent": "DL002", "territory": "ZJ-NB", "manager": "east", "joined": 20,
     "name": "宁波海曙鼓楼便利店", "province": "ZJ", "city": "宁波市", "area": "330203",
     "street": "海曙区中山西路 138 号", "zip": "315010", "phone": "+86 574 8730 2258",
     "domain": "hsgl", "contact": "郑敏", "function": "店长"},
    {"code": "ST005", "tier": "ST", "parent": "DL002", "territory": "ZJ-NB", "manager": "east", "joined": 9,
     "name": "宁波鄞州万达生活超市", "province": "ZJ", "city": "宁波市", "area": "330212",
     "street": "鄞州区四明中路 999 号", "zip": "315100", "phone": "+86 574 8822 6130",
     "domain": "yzwd", "contact": "冯磊", "function": "店长"},
    {"code": "ST006", "tier": "ST", "parent": "DL003", "territory": "JS-NJ", "manager": "east", "joined": 16,
     "name": "南京新街口优选超市", "province": "JS", "city": "南京市", "area": "320102",
     "street": "玄武区中山路 18 号", "zip": "210018", "phone": "+86 25 8470 1523",
     "domain": "xjkyx", "contact": "陈静", "function": "店长"},
    {"code": "ST007", "tier": "ST", "parent": "DL003", "territory": "JS-SZ", "manager": "east", "joined": 7,
     "name": "苏州观前街邻里便利店", "province": "JS", "city": "苏州市", "area": "320508",
     "street": "姑苏区观前街 88 号", "zip": "215005", "phone": "+86 512 6770 3381",
     "domain": "gqjll", "contact": "褚丹", "function": "店主"},
    {"code": "ST008", "tier": "ST", "parent": "DL004", "territory": "GD-GZ", "manager": "manager", "joined": 21,
     "name": "广州天河体育西便利店", "province": "GD", "city": "广州市", "area": "440106",
     "street": "天河区体育西路 103 号", "zip": "510620", "phone": "+86 20 3882 7645",
     "domain": "thtyx", "contact": "何晓燕", "function": "店长"},
    {"code": "ST009", "tier": "ST", "parent": "DL004", "territory": "GD-GZ", "manager": "manager", "joined": 13,
     "name": "广州越秀北京路优品超市", "province": "GD", "city": "广州市", "area": "440104",
     "street": "越秀区北京路 276 号", "zip": "510030", "phone": "+86 20 8333 5092",
     "domain": "yxbjl", "contact": "吕志刚", "function": "店长"},
    {"code": "ST010", "tier": "ST", "parent": "DL005", "territory": "GD-SZ", "manager": "manager", "joined": 5,
     "name": "深圳南山科技园便利店", "province": "GD", "city": "深圳市", "area": "440305",
     "street": "南山区高新南一道 6 号", "zip": "518057", "phone": "+86 755 8660 2217",
     "domain": "nskjy", "contact": "施雨", "function": "店主"},
    # Applied through the back office, waiting for the contract: not active yet.
    {"code": "DL006", "tier": "DL", "parent": "RD001", "territory": "ZJ-WZ", "manager": "east", "joined": 0,
     "name": "温州瓯江商贸有限公司", "province": "ZJ", "city": "温州市", "area": "330302",
     "street": "鹿城区车站大道 577 号", "zip": "325000", "phone": "+86 577 8802 4416",
     "domain": "wzoujiang", "contact": "潘建华", "function": "总经理",
     "state": "application", "applied_days": 6},
]


CATEGORIES = [
    ("BV", "饮料"),
    ("SN", "零食"),
    ("PC", "个护"),
    ("HC", "家清"),
]

# default code, name (a case of N units), list price and cost per case (CNY, excl. VAT)
PRODUCTS = [
    ("BV-001", "华夏山泉 饮用天然水 550ml×24瓶", 36.0, 18.0),
    ("BV-002", "华夏 无糖乌龙茶 500ml×15瓶", 75.0, 39.0),
    ("BV-003", "华夏 茉莉花茶 500ml×15瓶", 60.0, 31.0),
    ("BV-004", "华夏 100% 橙汁 1L×6瓶", 89.0, 48.0),
    ("BV-005", "华夏 椰子水 330ml×12瓶", 96.0, 52.0),
    ("BV-006", "华夏 白桃气泡水 480ml×15瓶", 75.0, 36.0),
    ("BV-007", "华夏 纯牛奶 250ml×24盒", 72.0, 45.0),
    ("BV-008", "华夏 燕麦拿铁 280ml×12瓶", 108.0, 58.0),
    ("SN-001", "华夏 每日坚果 25g×30袋", 139.0, 78.0),
    ("SN-002", "华夏 原味薯片 75g×20袋", 118.0, 62.0),
    ("SN-003", "华夏 海苔脆片 40g×24袋", 96.0, 50.0),
    ("SN-004", "华夏 五香牛肉干 100g×10袋", 199.0, 118.0),
    ("SN-005", "华夏 苏打饼干 400g×12盒", 144.0, 80.0),
    ("SN-006", "华夏 70% 黑巧克力 100g×12块", 168.0, 92.0),
    ("SN-007", "华夏 芒果干 80g×20袋", 150.0, 84.0),
    ("SN-008", "华夏 凤梨酥 6枚×10盒", 260.0, 150.0),
    ("PC-001", "华夏 氨基酸洗面奶 120g×12支", 456.0, 230.0),
    ("PC-002", "华夏 去屑洗发水 750ml×6瓶", 359.0, 180.0),
    ("PC-003", "华夏 柔顺护发素 750ml×6瓶", 329.0, 170.0),
    ("PC-004", "华夏 樱花沐浴露 1L×6瓶", 299.0, 150.0),
    ("PC-005", "华夏 美白牙膏 120g×24支", 336.0, 168.0),
    ("PC-006", "华夏 软毛牙刷 4支装×12板", 228.0, 110.0),
    ("PC-007", "华夏 保湿面霜 50g×12瓶", 948.0, 420.0),
    ("HC-001", "华夏 薰衣草洗衣液 3kg×4瓶", 236.0, 128.0),
    ("HC-002", "华夏 柠檬洗洁精 1.5kg×8瓶", 152.0, 80.0),
    ("HC-003", "华夏 84 消毒液 1L×12瓶", 180.0, 96.0),
    ("HC-004", "华夏 厨房湿巾 80抽×24包", 168.0, 86.0),
    ("HC-005", "华夏 三层抽纸 100抽×48包", 130.0, 78.0),
    ("HC-006", "华夏 加厚垃圾袋 100只×20卷", 160.0, 82.0),
    ("HC-007", "华夏 洁厕液 500g×24瓶", 168.0, 88.0),
]


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc(kind, area, rng):
    """A unified social credit code (GB 32100-2015) with valid check characters:
    kind (91 company, 92 individual business), area code, organisation code
    (GB 11714, its own check character) and the final check character."""
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _i in range(6))
    org_sum = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    org_check = 11 - org_sum % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    code17 = f"{kind}{area}{org}"
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code17, USCC_WEIGHTS, strict=True))
    return code17 + USCC_CHARS[(31 - total % 31) % 31]


def ean13(base12):
    """The EAN-13 barcode of a 12-digit base: the base and its check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(base12))
    return base12 + str((10 - total % 10) % 10)


def xmlid_name(code):
    return code.lower().replace("-", "_")


class DistributionDemo(models.AbstractModel):
    """Builds the demo channel. Called from demo data only."""

    _name = "distribution.demo"
    _description = "Channel Demo Data Generator"

    @api.model
    def _generate_demo(self):
        # The demo file has no noupdate flag: on a module update the function
        # runs again, and must not build a second channel.
        if self.env.ref("distribution_core.demo_company_hq", raise_if_not_found=False):
            return True
        started = time.monotonic()
        rng = random.Random(42)
        demo = self.with_context(**DEMO_CONTEXT)
        hq = demo._demo_company(rng)
        demo = demo.with_company(hq)
        users = demo._demo_internal_users(hq)
        territories = demo._demo_territories(hq, users)
        members, contacts = demo._demo_members(hq, rng, users, territories)
        users.update(demo._demo_portal_users(hq, contacts))
        products = demo._demo_products(hq)
        demo._demo_onboarding(hq, rng, members, territories)
        _logger.info(
            "Channel network demo data: %s members, %s products built in %.1f s",
            len(members), len(products), time.monotonic() - started,
        )
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _demo_xmlids(self, records_by_name):
        """Give demo records an XML id (noupdate, so module updates keep them)."""
        self.env["ir.model.data"]._update_xmlids([
            {"xml_id": f"distribution_core.{name}", "record": record, "noupdate": True}
            for name, record in records_by_name.items()
        ])

    def _demo_state(self, key):
        return self.env.ref(PROVINCES[key])

    # ------------------------------------------------------------------
    # HQ company
    # ------------------------------------------------------------------
    def _demo_company(self, rng):
        """The brand HQ, a new company in CNY.

        Why not rename the main company and switch it to CNY: the demo data of
        ``account`` (and ``sale``) has already posted invoices in it when this
        runs, and ``res.company.write`` then refuses the change ("You cannot
        change the currency of the company since some journal items already
        exist"). So HQ is a new Chinese company with the generic chart of
        accounts (``l10n_cn`` is not a dependency), 13% VAT, a warehouse, and
        the admin user working in it by default.
        """
        cn = self.env.ref("base.cn")
        hq = (
            self.env["res.company"]
            # install_mode: on a ready registry (e.g. demo loaded later from the
            # apps screen) a Chinese company would auto-install l10n_cn.
            .with_context(install_mode=True)
            .create({
                "name": HQ["name"],
                "currency_id": self.env.ref("base.CNY").id,
                "country_id": cn.id,
                "state_id": self._demo_state(HQ["province"]).id,
                "city": HQ["city"],
                "street": HQ["street"],
                "zip": HQ["zip"],
                "phone": HQ["phone"],
                "email": HQ["email"],
                "website": HQ["website"],
                "vat": uscc("91", HQ["area"], rng),
            })
        )
        # ``_load`` rather than ``try_loading``: the latter warns when called
        # before the registry is fully loaded, which is always the case here.
        self.env["account.chart.template"]._load("generic_coa", hq, install_demo=False)
        hq = hq.with_company(hq)
        # The generic chart is American and sets the currency of its fiscal
        # country (USD): back to China and CNY (no journal items yet), with the
        # 13% VAT of goods (增值税) as default taxes.
        generic_sale, generic_purchase = hq.account_sale_tax_id, hq.account_purchase_tax_id
        hq.write({"currency_id": self.env.ref("base.CNY").id, "account_fiscal_country_id": cn.id})
        vat_group = generic_sale.tax_group_id.copy({"name": "增值税 13%", "country_id": cn.id})
        sale_tax = generic_sale.copy({
            "name": "增值税 13%", "description": "13%", "amount": 13.0,
            "tax_group_id": vat_group.id, "country_id": cn.id,
        })
        purchase_tax = generic_purchase.copy({
            "name": "增值税 13%", "description": "13%", "amount": 13.0,
            "tax_group_id": vat_group.id, "country_id": cn.id,
        })
        hq.write({"account_sale_tax_id": sale_tax.id, "account_purchase_tax_id": purchase_tax.id})
        self.env["account.tax"].search([
            ("company_id", "=", hq.id), ("id", "not in", (sale_tax | purchase_tax).ids),
        ]).active = False
        # Its "Domestic" fiscal position (which keeps the taxes) is for the US;
        # any other country gets "Foreign Trade", which removes them.
        self.env["account.fiscal.position"].search([
            ("company_id", "=", hq.id), ("country_id", "=", self.env.ref("base.us").id),
        ]).country_id = cn

        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(hq.id)], "company_id": hq.id})

        self._demo_xmlids({
            "demo_company_hq": hq,
            "demo_tax_sale_13": sale_tax,
            "demo_tax_purchase_13": purchase_tax,
        })
        return hq

    def _demo_internal_users(self, hq):
        """Channel managers (渠道经理): ``manager`` runs the whole channel and the
        South, ``east`` manages the East members."""
        group = self.env.ref
        common = {
            "company_id": hq.id,
            "company_ids": [Command.set(hq.ids)],
            "tz": "Asia/Shanghai",
            "notification_type": "inbox",
        }
        manager, east = self.env["res.users"].create([
            dict(common, name="刘洋", login="manager", password="manager", function="渠道总监",
                 email="liuyang@huaxia.example.com", phone="+86 138 0571 6601",
                 group_ids=[Command.set([
                     group("distribution_core.group_channel_manager").id,
                     group("account.group_account_invoice").id,
                 ])]),
            dict(common, name="周杰", login="east", password="east", function="华东区渠道经理",
                 email="zhoujie@huaxia.example.com", phone="+86 139 0571 8802",
                 group_ids=[Command.set([group("distribution_core.group_channel_user").id])]),
        ])
        self._demo_xmlids({
            "demo_user_manager": manager,
            "demo_user_east": east,
        })
        return {"manager": manager, "east": east}

    # ------------------------------------------------------------------
    # Territories, tiers
    # ------------------------------------------------------------------
    def _demo_territories(self, hq, users):
        """中国 › 大区 (custom) › 省 (state) › 市 (city), created level by level."""
        cn = self.env.ref("base.cn")
        territories = {}
        pending = list(TERRITORIES)
        while pending:
            level = [row for row in pending if row[3] is None or row[3] in territories]
            pending = [row for row in pending if row not in level]
            records = self.env["distribution.territory"].create([
                {
                    "code": code,
                    "name": name,
                    "territory_type": territory_type,
                    "parent_id": territories[parent].id if parent else False,
                    "country_id": cn.id,
                    "state_ids": [Command.set([self._demo_state(key).id for key in provinces])],
                    "city": city or False,
                    "manager_id": users[manager].id if manager else False,
                    "company_id": hq.id,
                }
                for code, name, territory_type, parent, provinces, city, manager in level
            ])
            territories.update(zip([row[0] for row in level], records, strict=True))
        self._demo_xmlids({f"demo_territory_{xmlid_name(code)}": t for code, t in territories.items()})
        return territories


    # ------------------------------------------------------------------
    # Members, contacts, portal users
    # ------------------------------------------------------------------
    def _demo_members(self, hq, rng, users, territories):
        today = fields.Date.context_today(self)
        cn = self.env.ref("base.cn")
        payment_term = self.env.ref("account.account_payment_term_30days")
        Partner = self.env["res.partner"]
        companies = Partner.create([
            {
                "name": row["name"],
                "is_company": True,
                "company_id": hq.id,
                "ref": row["code"],
                "vat": uscc("92" if row["tier"] == "ST" else "91", row["area"], rng),
                "street": row["street"],
                "city": row["city"],
                "zip": row["zip"],
                "state_id": self._demo_state(row["province"]).id,
                "country_id": cn.id,
                "phone": row["phone"],
                "email": f"info@{row['domain']}.example.com",
                "website": f"https://www.{row['domain']}.example.com",
                "property_payment_term_id": payment_term.id,
            }
            for row in MEMBERS
        ])
        contacts = Partner.create([
            {
                "name": row["contact"],
                "parent_id": company.id,
                "type": "contact",
                "company_id": hq.id,
                "function": row["function"],
                "email": f"contact@{row['domain']}.example.com",
                "phone": f"+86 13{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            }
            for row, company in zip(MEMBERS, companies, strict=True)
        ])
        partner_by_code = dict(zip([row["code"] for row in MEMBERS], companies, strict=True))

        members = {}
        for tier in ("RD", "DL", "ST"):  # parents first
            rows = [row for row in MEMBERS if row["tier"] == tier]
            vals_list = []
            for row in rows:
                state = row.get("state", "active")
                joined = today - relativedelta(months=row["joined"], days=rng.randint(0, 20))
                vals = {
                    "partner_id": partner_by_code[row["code"]].id,
                    "code": row["code"],
                    "tier_id": self.env.ref(f"distribution_core.{TIER_KEYS[tier]}").id,
                    "parent_id": members[row["parent"]].id if row["parent"] else False,
                    "territory_id": territories[row["territory"]].id,
                    "manager_id": users[row["manager"]].id,
                    "company_id": hq.id,
                    "state": state,
                    "date_applied": joined - timedelta(days=rng.randint(10, 30)),
                }
                if state == "application":
                    vals["date_applied"] = today - timedelta(days=row["applied_days"])
                else:
                    vals["date_activated"] = joined
                if state == "suspended":
                    vals.update(date_suspended=today - timedelta(days=row["suspended_days"]),
                                state_reason=row["reason"])
                vals_list.append(vals)
            records = self.env["distribution.member"].create(vals_list)
            members.update(zip([row["code"] for row in rows], records, strict=True))
        self._demo_xmlids({f"demo_member_{xmlid_name(code)}": member for code, member in members.items()})
        return members, dict(zip([row["code"] for row in MEMBERS], contacts, strict=True))

    def _demo_portal_users(self, hq, contacts):
        """One portal user per regional distributor, one for a dealer and one for
        a store: the member's contact, password = login."""
        rows = [row for row in MEMBERS if row.get("login")]
        portal = self.env.ref("base.group_portal")
        users = self.env["res.users"].create([
            {
                "partner_id": contacts[row["code"]].id,
                "login": row["login"],
                "password": row["login"],
                "company_id": hq.id,
                "company_ids": [Command.set(hq.ids)],
                "tz": "Asia/Shanghai",
                "group_ids": [Command.set(portal.ids)],
            }
            for row in rows
        ])
        by_login = dict(zip([row["login"] for row in rows], users, strict=True))
        self._demo_xmlids({f"demo_user_{login}": user for login, user in by_login.items()})
        return by_login

    # ------------------------------------------------------------------
    # Products
    # ------------------------------------------------------------------
    def _demo_products(self, hq):
        Category = self.env["product.category"]
        root = Category.create({"name": "华夏优品", "parent_id": self.env.ref("product.product_category_goods").id})
        categories = Category.create([{"name": name, "parent_id": root.id} for _key, name in CATEGORIES])
        category_by_key = dict(zip([key for key, _name in CATEGORIES], categories, strict=True))
        counters = defaultdict(int)
        vals_list = []
        for code, name, list_price, cost in PRODUCTS:
            key = code.split("-")[0]
            counters[key] += 1
            category_index = [k for k, _n in CATEGORIES].index(key) + 1
            vals_list.append({
                "name": name,
                "default_code": code,
                # 6923450: the brand's (made-up) GS1 company prefix, 690-699 = China;
                # then category and item number, and the check digit.
                "barcode": ean13(f"6923450{category_index}{counters[key]:04d}"),
                "type": "consu",
                "categ_id": category_by_key[key].id,
                "list_price": list_price,
                "standard_price": cost,
                "company_id": hq.id,
                "taxes_id": [Command.set(hq.account_sale_tax_id.ids)],
                "supplier_taxes_id": [Command.set(hq.account_purchase_tax_id.ids)],
            })
        templates = self.env["product.template"].create(vals_list)
        products = {template.default_code: template.product_variant_id for template in templates}
        xmlids = {f"demo_product_{xmlid_name(code)}": product for code, product in products.items()}
        xmlids["demo_product_category"] = root
        xmlids.update({f"demo_product_category_{key.lower()}": c for key, c in category_by_key.items()})
        self._demo_xmlids(xmlids)
        return products

    # ------------------------------------------------------------------
    # Onboarding: invitations and applications
    # ------------------------------------------------------------------
    def _demo_onboarding(self, hq, rng, members, territories):
        now = fields.Datetime.now()
        tier = self.env.ref
        cn = self.env.ref("base.cn")
        Invitation = self.env["distribution.invitation"]
        rd_north, store_hz, expired = Invitation.create([
            {
                "name": "华北大区区域分销商招募",
                "tier_id": tier("distribution_core.tier_regional_distributor").id,
                "territory_id": territories["NORTH"].id,
                "expiry_date": now + timedelta(days=45),
                "max_uses": 3,
                "company_id": hq.id,
            },
            {
                "name": "杭州门店加盟（春季订货会）",
                "inviter_member_id": members["DL001"].id,
                "tier_id": tier("distribution_core.tier_store").id,
                "territory_id": territories["ZJ-HZ"].id,
                "expiry_date": now + timedelta(days=14),
                "max_uses": 5,
                "company_id": hq.id,
            },
            {
                "name": "广州门店加盟（糖酒会）",
                "inviter_member_id": members["DL004"].id,
                "tier_id": tier("distribution_core.tier_store").id,
                "territory_id": territories["GD-GZ"].id,
                "expiry_date": now - timedelta(days=12),
                "max_uses": 5,
                "company_id": hq.id,
            },
        ])
        pending, rejected = self.env["distribution.application"].create([
            {
                "invitation_id": store_hz.id,
                "name": "杭州拱墅好邻居便利店",
                "contact_name": "蒋文",
                "email": "jiangwen@hlj-gs.example.com",
                "phone": "+86 137 5710 2286",
                "vat": uscc("92", "330105", rng),
                "street": "拱墅区湖墅南路 186 号",
                "city": "杭州市",
                "zip": "310005",
                "state_id": self._demo_state("ZJ").id,
                "country_id": cn.id,
            },
            {
                "invitation_id": rd_north.id,
                "name": "北京京北商贸有限公司",
                "contact_name": "韩冬",
                "email": "handong@jingbei.example.com",
                "phone": "+86 10 6552 8810",
                "street": "朝阳区建国路 89 号",
                "city": "北京市",
                "zip": "100022",
                "state_id": self._demo_state("BJ").id,
                "country_id": cn.id,
            },
        ])
        # Decided directly rather than through _action_reject, which e-mails the
        # applicant: a demo database must not queue mails to made-up addresses.
        rejected.write({
            "state": "rejected",
            "reject_reason": "暂未取得食品经营许可证，且在华北没有自有仓储与配送能力；具备条件后欢迎重新申请。",
            "decided_by_id": self.env.ref("distribution_core.demo_user_manager").id,
            "decided_date": now - timedelta(days=3),
        })
        rejected.activity_unlink(["mail.mail_activity_data_todo"])
        self._demo_xmlids({
            "demo_invitation_rd_north": rd_north,
            "demo_invitation_store_hz": store_hz,
            "demo_invitation_expired": expired,
            "demo_application_pending": pending,
            "demo_application_rejected": rejected,
        })
