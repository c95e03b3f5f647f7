from odoo import fields, models

ON_MISSING = [
    ("reject", "Reject the row"),
    ("default", "Use the default value"),
    ("ignore", "Leave empty / unchanged"),
]


class DistributionImportProfileMapping(models.Model):
    """A header of a source system's files and the field it goes to."""

    _name = "distribution.import.profile.mapping"
    _description = "Import Profile Header Mapping"
    _order = "profile_id, id"

    profile_id = fields.Many2one("distribution.import.profile", required=True, ondelete="cascade", index=True)
    target = fields.Selection(related="profile_id.target")
    header = fields.Char(required=True, help="The column header as written in the file.")
    field_id = fields.Many2one(
        "distribution.import.field",
        ondelete="cascade",
        domain="[('target', '=', target)]",
        help="Empty: the column is not imported.",
    )
    on_missing = fields.Selection(ON_MISSING, default="ignore", required=True, string="When Empty")
    default_value = fields.Char(help="Used for empty cells when 'When Empty' is 'Use the default value'.")
