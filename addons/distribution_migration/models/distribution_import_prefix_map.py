from odoo import fields, models


class DistributionImportPrefixMap(models.Model):
    """An old code prefix replaced by a new one (e.g. legacy KH- customer codes become M-)."""

    _name = "distribution.import.prefix.map"
    _description = "Import Code Prefix Map"
    _order = "profile_id, id"

    profile_id = fields.Many2one("distribution.import.profile", required=True, ondelete="cascade", index=True)
    old_prefix = fields.Char(required=True)
    new_prefix = fields.Char(help="Empty: the old prefix is removed.")
