import base64
import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from odoo.addons.distribution_core.tests.common import DistributionCommon

from ..models import distribution_code_batch as distribution_code_batch_module
from ..tools.unit_codes import (
    ALPHABET,
    check_character,
    format_code,
    generate_codes,
    is_well_formed,
    normalize_unit_code,
)
from ..wizard import code_import as code_import_module

# Shared with the JS twin (static/src/js/dms_code.js): the same texts give the same answers.
VECTORS = [
    ("8264VXAJDZ2TGEGJ1", "8264VXAJDZ2TGEGJ1", True),
    ("8264-vxaj-dz2t-gegj-1", "8264VXAJDZ2TGEGJ1", True),
    (" 0JFZ P5G2 ES89 EHDB G ", "0JFZP5G2ES89EHDBG", True),
    ("mg3ak3d5gyzne4mqo", "MG3AK3D5GYZNE4MQ0", True),  # o is the digit 0
    ("https://dms.example.com/dist/scan/8264VXAJDZ2TGEGJ1", "8264VXAJDZ2TGEGJ1", True),
    ("00000000000000000", "00000000000000000", True),
    ("MG3AK3D5GYZNE4MQ1", "MG3AK3D5GYZNE4MQ1", False),  # wrong check character
    ("8264VXAJDZ2TGEJG1", "8264VXAJDZ2TGEJG1", False),  # G and J swapped
    ("8264VXAJDZ2TGEGJ", "8264VXAJDZ2TGEGJ", False),  # too short
    ("8264VXAJDZ2TGEGU1", "8264VXAJDZ2TGEGU1", False),  # U is not in the alphabet
]


@tagged("post_install", "-at_install")
class TestCodeFormat(TransactionCase):
    """The code text: normalisation and the check character, without the database."""

    def test_vectors(self):
        for text, normalized, well_formed in VECTORS:
            with self.subTest(text=text):
                self.assertEqual(normalize_unit_code(text), normalized)
                self.assertEqual(is_well_formed(normalize_unit_code(text)), well_formed)
        self.assertEqual(check_character("8264VXAJDZ2TGEGJ"), "1")
        self.assertEqual(format_code("8264VXAJDZ2TGEGJ1"), "8264-VXAJ-DZ2T-GEGJ-1")

    def test_javascript_twin_agrees(self):
        """static/src/js/dms_code.js gives the same answers on the same vectors (run with node)."""
        node = shutil.which("node")
        if not node:
            self.skipTest("node is not installed")
        source = file_path("distribution_diversion/static/src/js/dms_code.js")
        texts = [text for text, _normalized, _ok in VECTORS] + generate_codes(5)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(source, os.path.join(tmp, "dms_code.mjs"))
            script = os.path.join(tmp, "check.mjs")
            with open(script, "w", encoding="utf-8") as handle:
                handle.write(
                    'import {isWellFormed, normalizeCode} from "./dms_code.mjs";\n'
                    "const texts = JSON.parse(process.argv[2]);\n"
                    "console.log(JSON.stringify(texts.map((t) => [normalizeCode(t), isWellFormed(normalizeCode(t))])));\n"
                )
            output = subprocess.run(
                [node, script, json.dumps(texts)], capture_output=True, text=True, check=True, timeout=60
            ).stdout
        expected = [[normalize_unit_code(text), is_well_formed(normalize_unit_code(text))] for text in texts]
        self.assertEqual(json.loads(output), expected)

    def test_every_typo_is_caught(self):
        """Every single wrong character and every swap of two different adjacent characters of a
        generated code makes it malformed."""
        for code in generate_codes(30):
            self.assertTrue(is_well_formed(code), code)
            self.assertEqual(check_character(code[:16]), code[16])
            for position in range(len(code)):
                for char in ALPHABET:
                    if char != code[position]:
                        typo = code[:position] + char + code[position + 1 :]
                        self.assertFalse(is_well_formed(typo), f"{code} -> {typo}")
                if position and code[position] != code[position - 1]:
                    swapped = code[: position - 1] + code[position] + code[position - 1] + code[position + 1 :]
                    self.assertFalse(is_well_formed(swapped), f"{code} -> {swapped}")


@tagged("post_install", "-at_install")
class TestCodes(DistributionCommon):
    """Code batches (generation, cartons, exports) and the binding of codes down the channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([]).active = False
        cls.product_a.default_code = "PA-001"
        cls.cron = cls.env.ref("distribution_diversion.ir_cron_distribution_code_generate")

    def _run_cron(self):
        """Run the generation job as the cron worker does, in its own (test) cursor."""
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()

    def _batch(self, quantity, carton_size=0, product=None):
        batch = self.env["distribution.code.batch"].create(
            {"product_id": (product or self.product_a).id, "quantity": quantity, "carton_size": carton_size}
        )
        batch.action_generate()
        self._run_cron()
        return batch

    def _codes(self, batch, kind="unit"):
        return self.env["distribution.code"].search([("batch_id", "=", batch.id), ("kind", "=", kind)], order="id")

    def _import(self, document, text=None, file=None):
        field = "picking_id" if document._name == "stock.picking" else "channel_order_id"
        wizard = self.env["distribution.code.import"].create(
            {field: document.id, "codes_text": text, "file": file and base64.b64encode(file.encode())}
        )
        return wizard.action_import()

    def _delivery(self, key="ga"):
        picking = self.orders[key].picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        return picking

    def _validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _channel_order(self, key, qty=2):
        member = self.members[key].with_user(self.users[key])
        order = member._portal_submit_order([(self.product_a, qty)])
        order.with_user(self.users[order.supplier_member_id.code.lower()]).sudo().action_approve()
        self.assertEqual(order.state, "approved")
        return self.env[order._name].browse(order.id)  # back to the channel manager

    def _ship(self, order):
        order.with_user(self.users[order.supplier_member_id.code.lower()]).sudo().action_ship()
        self.assertEqual(order.state, "shipped")

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def test_generate_unique_codes(self):
        batch = self.env["distribution.code.batch"].create({"product_id": self.product_a.id, "quantity": 20000})
        self.assertEqual(batch.state, "draft")
        batch.action_generate()
        self.assertEqual(batch.state, "queued")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]), "the job is triggered at once"
        )
        with self.assertRaisesRegex(UserError, "already generated or being generated"):
            batch.action_generate()
        with self.assertRaisesRegex(UserError, "Only draft code batches can be changed"):
            batch.quantity = 10
        self._run_cron()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.progress, 100.0)
        self.assertEqual(batch.code_count, 20000)
        self.assertTrue(batch.date_done)
        self.env.cr.execute(
            "SELECT count(*), count(DISTINCT name), array_agg(name) FROM distribution_code WHERE batch_id = %s",
            [batch.id],
        )
        count, distinct, names = self.env.cr.fetchone()
        self.assertEqual((count, distinct), (20000, 20000))
        self.assertTrue(all(is_well_formed(name) for name in names))
        code = self._codes(batch)[0]
        self.assertEqual((code.state, code.level, code.product_id), ("new", 0, self.product_a))
        with self.assertRaisesRegex(UserError, "has generated codes"):
            batch.unlink()

    def test_progress_and_resume(self):
        """A batch generated in several chunks shows its progress and goes on where it stopped."""
        batch = self.env["distribution.code.batch"].create(
            {"product_id": self.product_a.id, "quantity": 100, "carton_size": 12}
        )
        batch.action_generate()
        batch.state = "running"
        batch._generate_chunk(30)  # whole cartons: 24 units in 2 cartons
        self.assertEqual((batch.generated_count, batch.carton_count), (24, 2))
        self.assertEqual(batch.progress, 24.0)
        self._run_cron()
        self.assertEqual(batch.state, "done")
        self.assertEqual((batch.generated_count, batch.carton_count, batch.code_count), (100, 9, 109))
        self.assertEqual(batch.progress, 100.0)

    def test_collision_redrawn(self):
        """A drawn code that already exists (or is drawn twice) is drawn again, cartons too."""
        taken = self._codes(self._batch(2, carton_size=1), "carton")[0].name
        real = generate_codes
        calls = []

        def unlucky(count):
            calls.append(count)
            codes = real(count)
            return [taken, *codes[1:]] if len(calls) in (1, 3) else codes

        with patch.object(distribution_code_batch_module, "generate_codes", unlucky):
            batch = self._batch(3, carton_size=3)
        self.assertEqual(calls, [1, 1, 3, 1], "carton drawn again, then one unit")
        self.assertEqual((batch.state, batch.code_count), ("done", 4))
        self.assertEqual(len(self._codes(batch)), 3)
        self.assertEqual(len(self._codes(batch, "carton")), 1)
        self.assertEqual(self._codes(batch).parent_id, self._codes(batch, "carton"))
        self.assertNotIn(taken, self._codes(batch).mapped("name"))

    def test_failure_shown_and_retried(self):
        batch = self.env["distribution.code.batch"].create({"product_id": self.product_a.id, "quantity": 10})
        batch.action_generate()
        with (
            patch.object(type(batch), "_generate_chunk", side_effect=ValueError("disk full")),
            self.assertLogs("odoo.addons.distribution_diversion.models.distribution_code_batch", "ERROR"),
        ):
            self._run_cron()
        self.assertEqual((batch.state, batch.error, batch.generated_count), ("failed", "disk full", 0))
        batch.action_generate()
        self.assertEqual((batch.state, batch.error), ("queued", False))
        self._run_cron()
        self.assertEqual((batch.state, batch.generated_count), ("done", 10))

    def test_cartons(self):
        batch = self._batch(25, carton_size=10)
        cartons = self._codes(batch, "carton")
        units = self._codes(batch)
        self.assertEqual((len(cartons), len(units), batch.code_count), (3, 25, 28))
        self.assertEqual([len(carton.unit_ids) for carton in cartons], [10, 10, 5])
        self.assertEqual(units[:10].parent_id, cartons[0])
        self.assertEqual(units[20:].parent_id, cartons[2])
        self.assertFalse(cartons.parent_id)

    def test_csv_export(self):
        batch = self._batch(3, carton_size=2)
        with self.assertRaisesRegex(UserError, "not generated yet"):
            self.env["distribution.code.batch"].create(
                {"product_id": self.product_a.id, "quantity": 5}
            ).action_export_csv()
        action = batch.action_export_csv()
        attachment = self.env["ir.attachment"].search([("res_model", "=", batch._name), ("res_id", "=", batch.id)])
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        rows = list(csv.reader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(rows[0], ["code", "kind", "carton", "product", "lot", "url"])
        self.assertEqual(len(rows), 1 + 3 + 2)
        cartons = self._codes(batch, "carton")
        unit = self._codes(batch)[0]
        base_url = batch.get_base_url()
        self.assertIn([unit.name, "unit", cartons[0].name, "PA-001", "", f"{base_url}/dist/scan/{unit.name}"], rows)
        self.assertIn([cartons[1].name, "carton", "", "PA-001", "", f"{base_url}/dist/scan/{cartons[1].name}"], rows)

    def test_labels(self):
        batch = self._batch(2)
        codes = self._codes(batch)
        action = batch.action_print_labels()
        self.assertEqual(action["report_name"], "distribution_diversion.report_distribution_code_label")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "distribution_diversion.report_distribution_code_label", codes.ids
        )[0].decode()
        self.assertIn(codes[0].display_code, html)
        self.assertEqual(html.count("data:image/png;base64"), 2, "one QR image per label")
        big = self._batch(1001)
        with self.assertRaisesRegex(UserError, "at most 1000 codes"):
            big.action_print_labels()
        with self.assertRaisesRegex(UserError, "at most 1000 codes"):
            self.env["ir.actions.report"]._render_qweb_html(
                "distribution_diversion.report_distribution_code_label", self._codes(big).ids
            )

    def test_access(self):
        Batch = self.env["distribution.code.batch"]
        with self.assertRaises(AccessError):
            Batch.with_user(self.channel_user).create({"product_id": self.product_a.id, "quantity": 5})
        batch = Batch.with_user(self.channel_manager).create({"product_id": self.product_a.id, "quantity": 5})
        batch.action_generate()
        self._run_cron()
        self.assertEqual(batch.state, "done")
        self.assertEqual(len(self._codes(batch).with_user(self.channel_user).read(["name", "state"])), 5)
        with self.assertRaises(AccessError):
            self._codes(batch).with_user(self.users["ga"]).read(["name"])

    # ------------------------------------------------------------------
    # Binding
    # ------------------------------------------------------------------
    def test_bind_on_delivery_and_down_the_tree(self):
        units = self._codes(self._batch(4))
        picking = self._delivery("ga")  # 2 units of product A to the general agent
        self.assertEqual(picking.channel_member_id, self.members["ga"])
        self._import(picking, f"{format_code(units[0].name).lower()}\n\n{units[1].name}\n")
        self.assertEqual(picking.dms_code_ids, units[:2])
        self.assertEqual(units[0].state, "new", "bound only when the goods leave")
        self._validate(picking)
        for unit in units[:2]:
            self.assertEqual(
                (unit.state, unit.member_id, unit.territory_id, unit.level),
                ("bound", self.members["ga"], self.terr_east, 1),
            )
            self.assertEqual(unit.binding_ids.picking_id, picking)
        self.assertEqual(units[2].state, "new")

        # the general agent ships to its Zhejiang distributor, which ships to its Hangzhou dealer
        order = self._channel_order("rd_zj")
        self._import(order, units[0].name + "\n" + units[1].name)
        self.assertEqual(order.dms_code_count, 2)
        self._ship(order)
        self.assertEqual(
            (units[0].state, units[0].member_id, units[0].territory_id, units[0].level),
            ("bound", self.members["rd_zj"], self.terr_zj, 2),
        )
        order2 = self._channel_order("dl_hz", qty=1)
        self._import(order2, units[0].name)
        self._ship(order2)
        self.assertEqual((units[0].member_id, units[0].territory_id, units[0].level), (self.members["dl_hz"], self.terr_hz, 3))
        self.assertEqual(units[0].binding_ids.mapped("level"), [1, 2, 3])
        self.assertEqual(units[0].binding_ids.mapped("member_id"), self.members["ga"] | self.members["rd_zj"] | self.members["dl_hz"])
        self.assertEqual(units[0].binding_ids[2].channel_order_id, order2)
        self.assertEqual((units[1].member_id, units[1].level), (self.members["rd_zj"], 2))

    def test_rebind_elsewhere_refused(self):
        units = self._codes(self._batch(3))
        picking = self._delivery("ga")
        self._import(picking, f"{units[0].name}\n{units[1].name}")
        self._validate(picking)
        order = self._channel_order("rd_zj")
        self._import(order, units[0].name)
        self._ship(order)
        # bound to the Zhejiang distributor: the Nanjing dealer (under Jiangsu) may not get it
        order_nj = self._channel_order("dl_nj", qty=1)
        with self.assertRaisesRegex(UserError, f"{units[0].name} is bound to .*Zhejiang Distributor.*only be bound to a member below it"):
            self._import(order_nj, units[0].name)
        # nor the Jiangsu distributor, at the level it already has
        with self.assertRaisesRegex(UserError, f"{units[0].name} is already bound at level 2"):
            units[0]._bind(self.members["rd_js"])
        # delivered twice by HQ to the general agent: refused when the second delivery is validated
        order_ga = self.env["sale.order"].create(
            {"partner_id": self.members["ga"].partner_id.id,
             "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]}
        )
        order_ga.action_confirm()
        picking2 = order_ga.picking_ids
        picking2.dms_code_ids = units[1]
        with self.assertRaisesRegex(UserError, rf"{units[1].name} is already bound to \[GA\] Alpha General Agent"):
            self._validate(picking2)
        self.assertEqual(units[1].member_id, self.members["ga"])
        # a sold code cannot be bound any more
        units[2].write({"state": "sold"})
        with self.assertRaisesRegex(UserError, f"{units[2].name} was already sold"):
            units[2]._bind(self.members["ga"])
        self.assertEqual(len(units[0].binding_ids), 2)

    def test_import_errors(self):
        batch = self._batch(25, carton_size=20)
        units = self._codes(batch)
        carton = self._codes(batch, "carton")[0]
        other = self._codes(self._batch(1, product=self.product_b))
        picking = self._delivery("ga")  # 2 units of product A
        unknown = generate_codes(1)[0]
        typo = units[0].name[:-2] + units[0].name[-1] + units[0].name[-2]
        if is_well_formed(typo):  # same last two characters: change one instead
            typo = units[0].name[:-1] + ("0" if units[0].name[-1] != "0" else "1")
        lines = f"code\n{units[0].name}\n{typo}\n{unknown}\n{other.name}\n"
        with self.assertRaisesRegex(UserError, "No code was added") as catcher:
            self._import(picking, file=lines)
        message = str(catcher.exception)
        self.assertIn(f"Line 3: {typo} is not a valid code.", message)
        self.assertIn(f"Line 4: {unknown} is unknown.", message)
        self.assertIn(f"Line 5: {other.name} is a code of", message)
        self.assertFalse(picking.dms_code_ids)
        # a carton stands for its 20 units: more than the 2 units delivered
        with self.assertRaisesRegex(UserError, "20 unit codes of .* but only 2.0 on"):
            self._import(picking, carton.name)
        with self.assertRaisesRegex(UserError, "Scan or paste at least one code"):
            self._import(picking, "\n \n")
        self._import(picking, f"{units[20].name},PA-001\n{units[21].name};x")
        self.assertEqual(picking.dms_code_ids, units[20:22])
        # a customer that is not a channel member gets no codes
        order = self.env["sale.order"].create(
            {"partner_id": self.partner_a.id, "order_line": [Command.create({"product_id": self.product_a.id})]}
        )
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "is not a channel member"):
            order.picking_ids.action_import_codes()

    def test_import_bounds(self):
        """An import is refused, with what to do, beyond its size, its number of lines or the length
        of a line, before any line is read; nothing is added."""
        units = self._codes(self._batch(2))
        picking = self._delivery("ga")
        with patch.object(code_import_module, "MAX_IMPORT_BYTES", 1024):
            with self.assertRaisesRegex(UserError, r"The file holds 1 MB, more than the 0 MB that are read: split it"):
                self._import(picking, file=units[0].name + "\n" + "x" * 2000)
            with self.assertRaisesRegex(UserError, "More than 0 MB of codes"):
                self._import(picking, text="\n".join([units[0].name] * 100))
        with patch.object(code_import_module, "MAX_IMPORT_LINES", 3):
            with self.assertRaisesRegex(UserError, "More than 3 lines: split the codes into several imports."):
                self._import(picking, file="\n".join(["code", *units.mapped("name"), "extra"]))
            with self.assertRaisesRegex(UserError, "More than 3 lines"):
                self._import(picking, text="\r".join(["a", "b", "c", "d"]))  # old Mac line breaks count too
        with self.assertRaisesRegex(UserError, "Row 2: a cell holds 5017 characters, more than the 1000 that are read"):
            self._import(picking, text=f"{units[0].name}\n{units[1].name}{'=' * 5000}")
        # a spreadsheet file instead of its CSV (a zip archive): a clear message
        with self.assertRaisesRegex(UserError, "not a CSV file in UTF-8"):
            self.env["distribution.code.import"].create(
                {"picking_id": picking.id, "file": base64.b64encode(b"PK\x03\x04\x14\x00\xff\xfe")}
            ).action_import()
        self.assertFalse(picking.dms_code_ids)
        # within the bounds, the same codes go in
        self._import(picking, "\n".join(units.mapped("name")))
        self.assertEqual(picking.dms_code_ids, units)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300),
        st.lists(st.sampled_from(["\x00", "\x1b[31m", "=HYPERLINK(\"x\")", "1e308", "-1e308", "nan", "A" * 1200,
                                  "code", ",;\t", "\ud800", "8264-VXAJ-DZ2T-GEGJ-1"]), max_size=20).map("\n".join),
    ))
    def test_fuzz_import(self, raw):
        """Whatever the file holds (random bytes, NUL, control characters, formulas, huge cells, extreme
        numbers): a UserError that says what is wrong, never another error, and nothing added."""
        picking = self._delivery("ga")
        content = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        wizard = self.env["distribution.code.import"].create({"picking_id": picking.id, "file": base64.b64encode(content)})
        with self.assertRaises(UserError) as catcher:
            wizard.action_import()
        self.assertTrue(str(catcher.exception).strip())
        self.assertFalse(picking.dms_code_ids)

