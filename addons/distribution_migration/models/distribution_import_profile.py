from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.cleaning import CodeRules
from .distribution_import_field import TARGETS, normalise_header


class DistributionImportProfile(models.Model):
    """How files of one source system are imported into one target: the header
    mapping remembered from earlier imports and the cleaning rules."""

    _name = "distribution.import.profile"
    _description = "Import Profile"
    _order = "source_system, name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    source_system = fields.Char(help="The legacy system the files come from, e.g. Kingdee K3, 用友U8.")
    target = fields.Selection(TARGETS, required=True, default="member")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    encoding = fields.Selection(
        [("auto", "Automatic (UTF-8, else GBK)"), ("utf-8", "UTF-8"), ("gbk", "GBK / GB18030")],
        default="auto",
        required=True,
        help="Encoding of CSV files (XLSX files need none).",
    )
    delimiter = fields.Selection(
        [("auto", "Automatic"), (",", "Comma"), (";", "Semicolon"), ("\t", "Tab")],
        string="CSV Delimiter",
        default="auto",
        required=True,
    )
    mapping_ids = fields.One2many("distribution.import.profile.mapping", "profile_id", string="Header Mapping", copy=True)
    prefix_map_ids = fields.One2many("distribution.import.prefix.map", "profile_id", string="Code Prefix Map", copy=True)
    job_ids = fields.One2many("distribution.import.job", "profile_id", string="Imports")
    job_count = fields.Integer(compute="_compute_job_count")
    note = fields.Text()

    # cleaning rules
    code_case = fields.Selection(
        [("upper", "Upper case"), ("lower", "Lower case"), ("keep", "Keep as is")],
        default="upper",
        required=True,
        help="Case of the codes once cleaned (e.g. product references). Member codes are always upper case, as the "
        "channel stores them.",
    )
    code_halfwidth = fields.Boolean(
        string="Full-width to Half-width",
        default=True,
        help="Full-width letters, digits and punctuation (ＡＢＣ１２３) become half-width in codes, phones, "
        "tax IDs, numbers and dates. Names are only trimmed and their blanks collapsed.",
    )
    code_pad_width = fields.Integer(
        string="Zero-pad Numeric Codes to",
        help="Purely numeric codes are left-padded with zeros to this width (123 → 000123). 0: no padding.",
    )
    phone_normalise = fields.Boolean(
        string="Normalise Phones",
        default=True,
        help="Phones become +<country code><number>; a phone of invalid length rejects the row.",
    )
    phone_country_code = fields.Char(default="86", help="Country calling code of numbers written without one.")
    vat_normalise = fields.Boolean(
        string="Normalise Tax IDs", default=True, help="Upper case, without blanks or hyphens."
    )
    vat_check_uscc = fields.Boolean(
        string="Check Unified Social Credit Code",
        help="Tax IDs must be 18-character unified social credit codes with a valid check character "
        "(GB 32100-2015).",
    )
    price_min = fields.Float(default=0.0, help="Prices and amounts below are rejected (e.g. negative prices).")
    price_max = fields.Float(default=1e7, help="Prices and amounts above are rejected as absurd.")
    qty_max = fields.Float(string="Maximum Quantity", default=1e7, help="Quantities above (or below 0) are rejected.")
    date_min = fields.Date(default=fields.Date.to_date("2000-01-01"), help="Dates before are rejected.")
    date_max = fields.Date(help="Dates after are rejected. Empty: one year after the day of the import.")
    dup_file_policy = fields.Selection(
        [("reject", "Reject later duplicates"), ("merge", "Merge into the first row")],
        string="Duplicates in the File",
        default="reject",
        required=True,
        help="Rows with the same code (or the same tax ID or phone) as an earlier row of the file: reject them "
        "as duplicates, or fold them into the first row (later non-empty values win).",
    )
    dup_db_policy = fields.Selection(
        [("merge", "Merge into the existing record"), ("reject", "Reject")],
        string="Duplicates in the Database",
        default="merge",
        required=True,
        help="A row with a new code whose tax ID or phone matches exactly one existing record: update that "
        "record (counted as merged), or reject the row. Several matches always reject the row.",
    )
    # opening balances (the balance target)
    journal_id = fields.Many2one(
        "account.journal",
        string="Opening Entry Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the opening balance entries. Empty: the company's first miscellaneous journal.",
    )
    counterpart_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        help="Account balancing the opening receivables. Empty: the company's unaffected earnings account.",
    )

    @api.depends("job_ids")
    def _compute_job_count(self):
        counts = dict(self.env["distribution.import.job"]._read_group([("profile_id", "in", self.ids)], ["profile_id"], ["__count"]))
        for profile in self:
            profile.job_count = counts.get(profile, 0)

    @api.constrains("price_min", "price_max", "qty_max", "date_min", "date_max", "code_pad_width")
    def _check_ranges(self):
        for profile in self:
            if profile.price_min > profile.price_max:
                raise ValidationError(self.env._("The minimum price must not exceed the maximum price."))
            if profile.qty_max <= 0:
                raise ValidationError(self.env._("The maximum quantity must be positive."))
            if profile.date_min and profile.date_max and profile.date_min > profile.date_max:
                raise ValidationError(self.env._("The earliest date must not be after the latest date."))
            if profile.code_pad_width < 0 or profile.code_pad_width > 64:
                raise ValidationError(self.env._("Zero padding must be between 0 and 64 characters."))

    def _code_rules(self):
        """The profile's code rules for the pure cleaning functions."""
        self.ensure_one()
        return CodeRules.make(
            case=self.code_case,
            halfwidth=self.code_halfwidth,
            pad_width=self.code_pad_width,
            prefix_map=[(line.old_prefix, line.new_prefix or "") for line in self.prefix_map_ids],
        )

    def _effective_date_max(self):
        self.ensure_one()
        return self.date_max or fields.Date.context_today(self) + relativedelta(years=1)

    def _remember_mapping(self, columns):
        """Save the header → field choices of a job's columns, so that the next file
        of the same source system is mapped the same way."""
        self.ensure_one()
        existing = {normalise_header(line.header): line for line in self.mapping_ids}
        commands = []
        for column in columns:
            if not column.header:
                continue
            vals = {
                "field_id": column.field_id.id,
                "on_missing": column.on_missing,
                "default_value": column.default_value,
            }
            line = existing.get(normalise_header(column.header))
            if line:
                if (line.field_id.id, line.on_missing, line.default_value or False) != (
                    vals["field_id"], vals["on_missing"], vals["default_value"] or False
                ):
                    commands.append(Command.update(line.id, vals))
            elif column.field_id:
                commands.append(Command.create(dict(vals, header=column.header)))
        if commands:
            self.mapping_ids = commands

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("distribution_migration.distribution_import_job_action")
        action["domain"] = [("profile_id", "=", self.id)]
        action["context"] = {"default_profile_id": self.id}
        return action
