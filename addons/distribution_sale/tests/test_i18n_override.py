import os
import tempfile
from unittest.mock import patch

from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.translate import TranslationImporter, file_path

from odoo.addons.distribution_approval.models.ir_module_module import IrModuleModule

from .common import DistributionSaleCommon

TARGETS = ["base_tier_validation", "sale_tier_validation"]


@tagged("post_install", "-at_install")
class TestTranslationOverrides(DistributionSaleCommon):
    """The approval engine (OCA base/sale_tier_validation) speaks Chinese to a
    zh_CN user: distribution_core ships i18n_override/<module>/zh_CN.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.Module = cls.env["ir.module.module"]
        cls.env["tier.definition"].search([]).active = False
        cls.reviewer = new_test_user(
            cls.env, login="zh_reviewer", groups="sales_team.group_sale_salesman_all_leads", name="Wang Wei",
        )
        cls.env["tier.definition"].create(
            {
                "name": "Manager",
                "model_id": cls.env.ref("sale.model_sale_order").id,
                "review_type": "individual",
                "reviewer_id": cls.reviewer.id,
                "definition_domain": "[]",
                "notify_on_create": True,
                "notify_on_pending": True,
                "dms_channel_rule": True,
            }
        )

    def _load_language(self, module_names):
        """What loading/updating zh_CN does for these modules (Settings > Languages)."""
        self.Module.search([("name", "in", module_names)])._update_translations("zh_CN")

    def _buttons(self, order):
        """{method: label} of the buttons of the order's form, as the user's browser gets them."""
        arch = etree.fromstring(order.get_view(view_type="form")["arch"])
        return {button.get("name"): button.get("string") for button in arch.iter("button")}

    def _requested_order(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [(0, 0, {"product_id": self.product_a.id, "product_uom_qty": 1})]}
        )
        order.with_context(lang="zh_CN", tracking_disable=False).request_validation()
        return order.with_context(lang="zh_CN")

    def test_language_load_translates_the_approval_engine(self):
        self._load_language(TARGETS)
        order = self._requested_order()
        buttons = self._buttons(order)
        # the banner and buttons injected by base_tier_validation
        self.assertEqual(buttons["validate_tier"], "批准")
        self.assertEqual(buttons["reject_tier"], "驳回")
        self.assertEqual(buttons["restart_validation"], "重新审批")
        self.assertEqual(buttons["request_validation"], "提交审批")
        # the banner text (Python code of base_tier_validation)
        self.assertIn("待 Wang Wei 审批", order.to_validate_message)
        self.assertNotIn("Pending validation", order.to_validate_message)
        # the chatter message posted when the review was requested
        bodies = " ".join(order.sudo().message_ids.mapped("body"))
        self.assertIn("创建了一条待审批记录", bodies)
        self.assertIn("待 Wang Wei 审批，由", bodies)
        self.assertNotIn("Review pending for", bodies)
        # labels of the rule form, the queue and the order's status
        rule_fields = self.env["tier.definition"].with_context(lang="zh_CN").fields_get(
            ["reviewer_id", "exclude_requester", "model_id"], ["string"])
        self.assertEqual(rule_fields["reviewer_id"]["string"], "审批人")
        self.assertEqual(rule_fields["exclude_requester"]["string"], "四眼原则（提交人不得自审）")
        review_fields = self.env["tier.review"].with_context(lang="zh_CN").fields_get(["todo_by"], ["string"])
        self.assertEqual(review_fields["todo_by"]["string"], "待审批人")
        status = dict(order.fields_get(["validation_status"], ["selection"])["validation_status"]["selection"])
        self.assertEqual(status["no"], "无需审批")
        self.assertEqual(status["rejected"], "已驳回")
        # the same options on our own documents (OCA's file names only the models it knows)
        status = dict(self.env["distribution.channel.order"].with_context(lang="zh_CN").fields_get(
            ["validation_status"], ["selection"])["validation_status"]["selection"])
        self.assertEqual((status["no"], status["rejected"]), ("无需审批", "已驳回"))

    def test_updating_our_addon_overrides_the_oca_translation(self):
        """The OCA zh_CN.po leaves 'Reject' untranslated; updating our addons fixes it."""
        importer = TranslationImporter(self.env.cr, verbose=False)
        importer.load_file(file_path("base_tier_validation/i18n/zh_CN.po"), "zh_CN")
        importer.save(overwrite=True, force_overwrite=True)
        # the OCA file says 多层级审批（抽象） for the 'accepted' mail subtype; we say 审批通过通知
        subtype = self.env.ref("sale_tier_validation.sale_order_tier_validation_accepted")
        self.assertNotIn("审批通过通知", subtype.with_context(lang="zh_CN").name)
        # sale_tier_validation's words come with distribution_sale, base_tier_validation's with
        # distribution_approval
        self._load_language(["distribution_core", "distribution_approval", "distribution_sale"])
        self.assertEqual(subtype.with_context(lang="zh_CN").name, "审批通过通知")
        self.assertEqual(self._buttons(self._requested_order())["reject_tier"], "驳回")

    def test_module_not_installed_is_skipped(self):
        country = self.env.ref("base.fr")
        before = country.with_context(lang="zh_CN").name
        with tempfile.TemporaryDirectory() as tmp:
            for target in ("dms_not_installed_module", "base"):
                os.makedirs(os.path.join(tmp, "i18n_override", target))
                with open(os.path.join(tmp, "i18n_override", target, "zh_CN.po"), "w", encoding="utf-8") as po:
                    po.write(
                        '#. module: base\n#: model:res.country,name:base.fr\nmsgid "France"\n'
                        f'msgstr "{target} France"\n'
                    )
            with patch.object(IrModuleModule, "_translation_override_providers",
                              lambda self: {"distribution_core": tmp}):
                # the language of an unrelated module is loaded: nothing of ours is applied
                self.Module._load_module_terms(["uom"], ["zh_CN"])
                self.assertEqual(country.with_context(lang="zh_CN").name, before)
                self.Module._load_module_terms(["distribution_core"], ["zh_CN"])
        # 'base' is installed: applied; the other target is not installed: skipped
        self.assertEqual(country.with_context(lang="zh_CN").name, "base France")

    def test_banner_names_the_document_type_in_chinese(self):
        """The OCA banner reads "This <model> needs to be validated" with the model's
        _description, English whatever the language: 此Sales Order需要审批."""
        self._load_language([*TARGETS, "sale"])
        order = self.env["sale.order"].create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [(0, 0, {"product_id": self.product_a.id, "product_uom_qty": 1})]}
        ).with_context(lang="zh_CN")
        banner = order._get_to_validate_message()
        self.assertIn("此销售订单需要审批", banner)
        self.assertNotIn("Sales Order", banner)
        self.assertIn("This Sales Order needs to be validated", order.with_context(lang="en_US")._get_to_validate_message())

    def test_units_read_as_pieces(self):
        """uom's zh_CN says 单位 for Units; a Chinese member counts pieces: 件."""
        unit = self.env.ref("uom.product_uom_unit")
        self._load_language(["uom"])
        self.assertEqual(unit.with_context(lang="zh_CN").name, "件")
        self.assertEqual(unit.with_context(lang="en_US").name, "Units")
        # loading uom's own file again (language update with overwrite) keeps ours
        self.Module.search([("name", "=", "uom")])._update_translations("zh_CN", overwrite=True)
        self.assertEqual(unit.with_context(lang="zh_CN").name, "件")
        order = self.orders["ga"].with_context(lang="zh_CN")
        self.assertEqual(order.order_line[0].product_uom_id.name, "件")
