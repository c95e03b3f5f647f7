from odoo import api, fields, models

from odoo.addons.distribution_diversion.tools.unit_codes import normalize_unit_code


class DistributionPosCodeScan(models.AbstractModel):
    """Unit codes scanned at the store's till: checked against the channel
    (genuine, sold in its region or not), and marked sold when the order is paid."""

    _name = "distribution.pos.code.scan"
    _description = "Unit Code Scans at the Till"

    @api.model
    def _scan(self, config, text):
        """Check one code scanned at config's till and tell the cashier what it is.

        Returns the scan's answer ({result, product, message, incident}) plus
        ``code`` (normalised), ``product_id`` (to add the product to the order)
        and ``diverted`` (bound to another region: the cashier sees a warning).
        A malformed code is refused by the till before it gets here; one sent
        anyway is recorded as such."""
        config.ensure_one()
        code = normalize_unit_code(text or "")
        # sudo: the cashier may not read the channel network nor its codes; the
        # scan is recorded with the store's territory, as the store's own scans are
        store = config.sudo().channel_member_id
        answer = self.env["distribution.code.scan"].sudo()._record_scan(
            code, "pos", territory=store.territory_id or None, member=store or None, pos_config=config
        )
        product = self.env["product.product"]
        if answer.get("result") == "genuine":
            product = self.env["distribution.code"].sudo().search([("name", "=", code)], limit=1).product_id
        return dict(answer, code=code, product_id=product.id, diverted=bool(answer.get("incident")))

    @api.model
    def _mark_sold(self, orders):
        """The unit codes on the paid orders' lines are sold: one search and one
        write for all the orders synced together. A code counts for the product
        of its line only; codes already sold stay as they were."""
        lines = orders.filtered(lambda order: order.state in ("paid", "done", "invoiced")).lines.filtered(
            lambda line: line.dms_unit_codes and line.qty > 0
        )
        products_by_code = {}
        for line in lines:
            for text in line.dms_unit_codes.split(","):
                code = normalize_unit_code(text)
                if code:
                    products_by_code[code] = line.product_id.id
        if not products_by_code:
            return self.env["distribution.code"]
        # sudo: the cashier syncing the order may not write the channel's codes
        codes = self.env["distribution.code"].sudo().search(
            [("name", "in", list(products_by_code)), ("kind", "=", "unit"), ("state", "!=", "sold")]
        )
        codes = codes.filtered(lambda code: code.product_id.id == products_by_code[code.name])
        codes.write({"state": "sold", "date_sold": fields.Datetime.now()})
        return codes
