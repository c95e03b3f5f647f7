from odoo import api, fields, models

from ..tools.cleaning import halfwidth

TARGETS = [
    ("member", "Channel Members"),
    ("product", "Products"),
    ("price", "Regional Prices and Floors"),
    ("balance", "Opening Balances"),
    ("code", "Unit Codes"),
]

FIELD_TYPES = [
    ("code", "Code"),
    ("char", "Text"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("vat", "Tax ID"),
    ("email", "Email"),
    ("float", "Number"),
    ("price", "Price / Amount"),
    ("qty", "Quantity"),
    ("date", "Date"),
    ("ref", "Reference"),
    ("bool", "Yes / No"),
]


class DistributionImportField(models.Model):
    """A field an import target understands, with the headers legacy files use for it.

    How a cell is cleaned depends on ``field_type``:

    - code: half-width, no blanks, case, prefix map and zero padding of the profile
      (also for references by code, e.g. a parent member's code, so that they match
      the normalised key);
    - char / name: trimmed, blanks collapsed (names keep their full-width characters);
    - phone, vat, email: normalised or rejected per the profile;
    - float: any number; price: within the profile's price range; qty: 0 to the
      profile's maximum quantity; date: within the profile's date range;
    - ref: a name or code the target resolves (tier, territory ...), trimmed;
    - bool: yes / no, 1 / 0, 是 / 否.
    """

    _name = "distribution.import.field"
    _description = "Import Field"
    _order = "target, sequence, id"

    target = fields.Selection(TARGETS, required=True, index=True)
    key = fields.Char(required=True, help="Technical key of the field in the import target, e.g. code.")
    name = fields.Char(required=True, translate=True)
    field_type = fields.Selection(FIELD_TYPES, required=True, default="char")
    required = fields.Boolean(help="Every row must have a value (from the file or the column's default).")
    is_key = fields.Boolean(
        string="Import Key",
        help="The normalised external code that makes a re-import update instead of duplicate.",
    )
    aliases = fields.Char(
        help="Headers that map to this field, comma separated (English and Chinese), e.g. "
        "code,member code,客户编码,编码. Compared case- and blank-insensitively.",
    )
    help_text = fields.Char(string="Help", translate=True)
    sequence = fields.Integer(default=10)

    _target_key_unique = models.Constraint("UNIQUE(target, key)", "An import field key must be unique per target.")

    @api.depends("name", "key")
    def _compute_display_name(self):
        for field in self:
            field.display_name = f"{field.name} ({field.key})" if field.key else field.name

    def _alias_set(self):
        """The normalised headers this field answers to (its key, name and aliases)."""
        self.ensure_one()
        names = [self.key, self.name, self.with_context(lang="en_US").name, *(self.aliases or "").split(",")]
        return {normalise_header(name) for name in names if name and name.strip()}


def normalise_header(header):
    """A header as compared with aliases: half-width, lower case, no blanks, "_" or "-"."""
    text = halfwidth(header or "").lower()
    return "".join(char for char in text if not char.isspace() and char not in "_-")
