import io
import math
import unicodedata

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.distribution_core.tools.codes import normalize_code
from odoo.addons.distribution_core.tools.safe_io import (
    MAX_NUMBER,
    UnsafeInputError,
    check_cell_length,
    check_xlsx_archive,
    is_sane_number,
    xlsx_workbook,
)

MAX_ROWS = 10000
# an uploaded count: what a sheet of MAX_ROWS rows unpacks to, with room for formatting
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_CODE_LENGTH = 200


def _printable(text):
    """The text without NUL and control characters (they cannot be stored, nor shown)."""
    return "".join(char for char in text if char.isprintable())


class DistributionStockReport(models.Model):
    """A member's stock count (库存上报), entered in the portal (form or XLSX upload) or in the back office.

    The latest submitted report of a member whose stock is not kept in Odoo is its channel stock."""

    _name = "distribution.stock.report"
    _description = "Channel Stock Report"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index=True)
    member_id = fields.Many2one(
        "distribution.member", string="Channel Member", required=True, index=True, ondelete="cascade", tracking=True
    )
    date = fields.Date(
        string="Count Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the stock was counted.",
    )
    source = fields.Selection(
        [("portal", "Portal Form"), ("upload", "XLSX Upload"), ("backend", "Back Office")],
        required=True,
        default="backend",
        readonly=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Submitted")], required=True, default="draft", tracking=True, index=True
    )
    line_ids = fields.One2many("distribution.stock.report.line", "report_id", string="Lines", copy=True)
    rejected_ids = fields.One2many("distribution.stock.report.reject", "report_id", string="Rejected Rows")
    company_id = fields.Many2one(related="member_id.company_id", store=True, index=True)
    line_count = fields.Integer(compute="_compute_counts", string="Products")
    rejected_count = fields.Integer(compute="_compute_counts", string="Rejected")
    total_quantity = fields.Float(compute="_compute_counts", digits="Product Unit")
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("line_ids.quantity", "rejected_ids")
    def _compute_counts(self):
        for report in self:
            report.line_count = len(report.line_ids)
            report.rejected_count = len(report.rejected_ids)
            report.total_quantity = sum(report.line_ids.mapped("quantity"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("distribution.stock.report") or "/"
        return super().create(vals_list)

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for report in self:
            if report.date > today:
                raise ValidationError(
                    self.env._("Stock report %(name)s: the count date cannot be in the future.", name=report.name)
                )

    def action_submit(self):
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Stock report %(name)s is already submitted.", name=report.name))
            if not report.line_ids:
                raise UserError(
                    self.env._("Stock report %(name)s has no lines: add the counted products.", name=report.name)
                )
        self.write({"state": "done", "submitted_by_id": self.env.uid})
        return True

    def action_draft(self):
        if not self.env.user.has_group("distribution_core.group_channel_manager"):
            raise AccessError(self.env._("Only a channel manager can reopen a submitted stock report."))
        self.write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Import (portal form, XLSX upload)
    # ------------------------------------------------------------------
    @api.model
    def _parse_quantity(self, value):
        """(quantity, reason): a float, or None and the reason why the value is not a quantity (a code of
        the rejected row's reason_code: the row says it in its reader's language)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, "no_quantity"
        if isinstance(value, bool):
            return None, "not_number"
        if isinstance(value, (int, float)):
            try:
                quantity = float(value)
            except OverflowError:  # an integer beyond any float
                quantity = MAX_NUMBER * 10
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
            if text.count(",") and text.count("."):
                text = text.replace(",", "")  # 1,234.5
            elif text.count(",") == 1 and len(text.split(",")[1]) != 3:
                text = text.replace(",", ".")  # 12,5
            else:
                text = text.replace(",", "")
            try:
                quantity = float(text)
            except ValueError:
                return None, "not_number"
        if math.isnan(quantity) or math.isinf(quantity):
            return None, "not_number"
        if not is_sane_number(quantity):
            return None, "too_large"
        if quantity < 0:
            return None, "negative"
        return quantity, None

    @api.model
    def _check_import_access(self, member):
        """A portal user reports for its own member only; back-office users for the members they may read."""
        member.check_access("read")
        if self.env.user.share and member != self.env["distribution.member"]._for_user():
            raise AccessError(self.env._("You can only report the stock of your own company."))
        if not self.env.user.share:
            self.check_access("create")
            member._check_user_scope()  # a channel user counts for the members he manages only

    @api.model
    def _import_rows(self, member, rows, source):
        """Create a stock report of `member` from rows [(row_number, product_code, quantity)] and submit it.

        Each row is validated: product code (internal reference or barcode of a product the member may buy),
        quantity (a number, 0 or more), no product counted twice (the first row counts). Rejected rows are kept
        on the report with their reason. When no row is valid, the report stays a draft (it does not replace
        the member's stock). Returns the report."""
        member.ensure_one()
        self._check_import_access(member)
        rows = [row for row in rows if str(row[1] or "").strip() or str(row[2] if row[2] is not None else "").strip()]
        if not rows:
            raise UserError(self.env._("The stock report has no rows: enter product codes and quantities."))
        if len(rows) > MAX_ROWS:
            raise UserError(self.env._("A stock report has at most %(max)s rows: split the file.", max=MAX_ROWS))
        codes = {
            normalize_code(unicodedata.normalize("NFKC", _printable(str(code or "")[:MAX_CODE_LENGTH])))
            for _row, code, _qty in rows
        }
        codes.discard("")
        by_code = member._orderable_products_by_code(codes)
        lines, rejects, seen = [], [], {}
        for row, code, qty in rows:
            code_text = _printable(str(code if code is not None else "")[:MAX_CODE_LENGTH]).strip()
            qty_text = "" if qty is None else _printable(f"{qty:g}" if isinstance(qty, float) else str(qty)[:64]).strip()
            # the reason as a code (and its figures): each reader reads it in his own language
            reason, params = None, {}
            product = None
            quantity, qty_reason = self._parse_quantity(qty)
            if not code_text:
                reason = "no_code"
            else:
                product = by_code.get(normalize_code(unicodedata.normalize("NFKC", code_text)))
                if not product:
                    reason = "unknown_code"
                elif qty_reason:
                    reason = qty_reason
                elif product.id in seen:
                    reason, params = "duplicate", {"product_id": product.id, "row": seen[product.id]}
            if reason:
                rejects.append(
                    Command.create(
                        {"row": row, "product_code": code_text[:64], "quantity_text": qty_text[:64],
                         "reason_code": reason, "reason_params": params}
                    )
                )
                continue
            seen[product.id] = row
            lines.append(Command.create({"product_id": product.id, "quantity": quantity}))
        # sudo: a portal user creates its own member's report only (checked above), the models are read-only to it
        report = (
            self.sudo()
            .with_context(tracking_disable=True)
            .create(
                {
                    "member_id": member.id,
                    "date": fields.Date.context_today(self),
                    "source": source,
                    "line_ids": lines,
                    "rejected_ids": rejects,
                }
            )
        )
        if lines:
            report.write({"state": "done", "submitted_by_id": self.env.uid})
        return report.with_env(self.env)

    @api.model
    def _parse_xlsx(self, data):
        """Rows [(row_number, product_code, quantity)] of the first sheet of an .xlsx file: column A the
        product code, column B the quantity; a first row whose quantity is not a number is a header."""
        try:
            import openpyxl  # only needed for uploads
        except ImportError as exc:
            raise UserError(self.env._("Reading .xlsx files needs the Python library openpyxl.")) from exc
        if not data:
            raise UserError(self.env._("The file is empty."))
        try:
            # a stock count is two short columns: a file that unpacks to more is not one (or a bomb)
            check_xlsx_archive(data, max_unpacked=MAX_UNPACKED_BYTES)
        except UnsafeInputError as exc:
            raise UserError(exc.translate(self.env.lang)) from exc
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            raw_rows = []
            for number, values in enumerate(sheet.iter_rows(max_col=2, values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    raise UserError(
                        self.env._("A stock report has at most %(max)s rows: split the file.", max=MAX_ROWS)
                    )
                values = tuple(values) + (None, None)
                if isinstance(values[0], str):
                    check_cell_length(values[0], number, max_length=MAX_CODE_LENGTH)
                if isinstance(values[1], str):
                    check_cell_length(values[1], number, max_length=64)
                raw_rows.append((number, values[0], values[1]))
            workbook.close()
        except UserError:
            raise
        except UnsafeInputError as exc:
            raise UserError(exc.translate(self.env.lang)) from exc
        except Exception as exc:  # openpyxl raises many kinds of errors on a bad file
            raise UserError(
                self.env._("This file is not a valid Excel workbook (.xlsx): download the template and fill it in.")
            ) from exc
        rows = []
        for number, code, qty in raw_rows:
            if isinstance(code, float) and code.is_integer():
                code = int(code)  # a barcode typed as a number
            if number == 1 and self._parse_quantity(qty)[0] is None and code is not None:
                continue  # header
            rows.append((number, "" if code is None else str(code), qty))
        return rows

    @api.model
    def _xlsx_template(self, member=None):
        """An .xlsx template to fill in: header row, then the member's last counted products (or examples)."""
        output = io.BytesIO()
        workbook = xlsx_workbook(output)
        sheet = workbook.add_worksheet(self.env._("Stock"))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [self.env._("Product Code"), self.env._("Quantity"), self.env._("Product")], bold)
        sheet.set_column(0, 0, 20)
        sheet.set_column(1, 1, 12)
        sheet.set_column(2, 2, 40)
        products = self.env["product.product"]
        if member:
            last = self.sudo().search([("member_id", "=", member.id), ("state", "=", "done")], limit=1)
            products = last.line_ids.product_id
        for index, product in enumerate(products, start=1):
            sheet.write_string(index, 0, product.default_code or product.barcode or "")
            sheet.write_string(index, 2, product.display_name)
        workbook.close()
        return output.getvalue()
