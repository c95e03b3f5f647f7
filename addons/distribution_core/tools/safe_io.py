"""Hostile input and output of files: bounds on what an upload may cost to read, and spreadsheet
cells that stay text. Pure functions, no ORM; every addon that reads or writes a CSV or XLSX file
uses them."""

import math
import zipfile
from io import BytesIO

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# A number read from a file or a form: anything larger is a typing error (or an attack), never a
# quantity, a price or an amount of this business, and it would overflow the computations after it.
MAX_NUMBER = 1e12
# Characters of one cell: addresses and notes fit; a 50 MB string hidden in a small file does not.
MAX_CELL_LENGTH = 10000
# Bytes an XLSX file may unpack to, and how much more than its compressed size one part may be:
# spreadsheets compress 5 to 20 times, a decompression bomb a thousand times.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECKED_ABOVE = 1024 * 1024

# Cell texts that a spreadsheet application would run as a formula (or as a DDE command)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter writes every string given to write()/write_row() as a string: never as a formula nor a link
XLSX_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class LazyMessageError(ValueError):
    """An error whose ``message`` is a lazily translated text, told in the user's language at the end."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def translate(self, lang=None):
        """The message in the given language (``en_US`` or None: the source text)."""
        message = self.message
        if hasattr(message, "_translate"):
            return message._translate(lang or "en_US")
        return str(message)


class UnsafeInputError(LazyMessageError):
    """An upload beyond the bounds."""


def check_xlsx_archive(content, max_unpacked=MAX_UNPACKED_BYTES):
    """Refuse an XLSX file (a zip archive) that unpacks to more than ``max_unpacked`` bytes or
    whose parts are compressed suspiciously well, before any XML of it is parsed. A file that is
    not a zip archive is left for the reader to refuse."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    total = sum(info.file_size for info in infos)
    if total > max_unpacked:
        raise UnsafeInputError(
            _lt("The file unpacks to %(size)s MB, more than the %(max)s MB that are read: split it, or save it "
                "again without unused sheets, images or formatting.",
                size=math.ceil(total / 1048576), max=max_unpacked // 1048576)
        )
    for info in infos:
        if info.file_size > _RATIO_CHECKED_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise UnsafeInputError(
                _lt("The file is packed %(ratio)s times smaller than its content, which no spreadsheet is: "
                    "save it again from your spreadsheet application.",
                    ratio=info.file_size // max(info.compress_size, 1))
            )


def check_cell_length(text, row, max_length=MAX_CELL_LENGTH):
    """``text`` unchanged, or UnsafeInputError when it is longer than ``max_length`` characters."""
    if text is not None and len(text) > max_length:
        raise UnsafeInputError(
            _lt("Row %(row)s: a cell holds %(length)s characters, more than the %(max)s that are read: "
                "shorten it.", row=row, length=len(text), max=max_length)
        )
    return text


def is_sane_number(number, maximum=MAX_NUMBER):
    """Whether ``number`` (a number, or a text of one) is finite and at most ``maximum`` in absolute value."""
    try:
        number = float(number or 0)
        return math.isfinite(number) and abs(number) <= maximum
    except (TypeError, ValueError, OverflowError):
        return False


def spreadsheet_text(value):
    """``value`` as a spreadsheet should show it: a text that a spreadsheet application would run as a
    formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe; other values
    unchanged (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(values):
    """The cells of a CSV export row, user text neutralised (see spreadsheet_text)."""
    return [spreadsheet_text(value) for value in values]


def xlsx_workbook(output, options=None):
    """An xlsxwriter workbook that writes every string as text (never a formula nor a link)."""
    import xlsxwriter

    return xlsxwriter.Workbook(output, {"in_memory": True, **(options or {}), **XLSX_WORKBOOK_OPTIONS})
