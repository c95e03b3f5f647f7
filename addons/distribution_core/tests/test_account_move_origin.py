from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAccountMoveOrigin(TransactionCase):
    """What made a journal entry is shown to the accountant and set only by the DMS engines."""

    def test_invoice_form_shows_the_dms_origin(self):
        arch = etree.fromstring(
            self.env["account.move"].get_view(self.env.ref("account.view_move_form").id, "form")["arch"]
        )
        fields_ = arch.xpath("//field[@name='dms_origin']")
        self.assertEqual(len(fields_), 1, "the invoice form shows which DMS engine made the document")
        self.assertEqual(fields_[0].get("invisible"), "not dms_origin", "and only on the documents they made")

    def test_origin_set_only_by_the_engines(self):
        partner = self.env["res.partner"].create({"name": "Origin test customer"})
        user = self.env["res.users"].create({
            "name": "Origin billing user", "login": "origin_billing",
            "group_ids": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
        })
        origin = self.env["account.move"]._fields["dms_origin"].selection[0][0]
        Move = self.env["account.move"].with_user(user)
        # the billing user may make the same credit note: only the mark is refused
        own = Move.create({"move_type": "out_refund", "partner_id": partner.id})
        self.assertFalse(own.dms_origin)
        with self.assertRaises(AccessError):
            Move.create({"move_type": "out_refund", "partner_id": partner.id, "dms_origin": origin})
        # nor can he mark his own document afterwards, nor unmark an engine's so that it counts as a sale
        with self.assertRaises(AccessError):
            own.write({"dms_origin": origin})
        self.assertFalse(own.dms_origin)
        engine_made = self.env["account.move"].sudo().create(
            {"move_type": "out_refund", "partner_id": partner.id, "dms_origin": origin}
        )
        with self.assertRaises(AccessError):
            engine_made.with_user(user).write({"dms_origin": False})
        self.assertEqual(engine_made.dms_origin, origin)
