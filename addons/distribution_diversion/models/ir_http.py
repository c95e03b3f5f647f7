from werkzeug.routing import PathConverter

from odoo import models


class UnitCodeConverter(PathConverter):
    """The text after /dist/scan/: anything, slashes and line breaks included (werkzeug's `path` stops
    at a line break), so that every scanned text reaches the scan check, is answered with a 400 or a 404
    and counts against the rate limit, instead of falling through to the website's 404 page."""

    regex = "(?s:[^/].*?)"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return {**super()._get_converters(), "dms_unit_code": UnitCodeConverter}
