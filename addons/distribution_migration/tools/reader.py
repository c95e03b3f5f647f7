"""Read a CSV or XLSX file into a header and rows of text cells (no ORM)."""

import csv
import datetime
import io
import sys
import zipfile

from odoo.tools.translate import LazyTranslate

from odoo.addons.distribution_core.tools.safe_io import (
    MAX_UNPACKED_BYTES,
    UnsafeInputError,
    check_cell_length,
    check_xlsx_archive,
)

from .cleaning import LazyMessageError

_lt = LazyTranslate(__name__)

DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReaderError(LazyMessageError):
    """A file that cannot be read."""


def decode(content, encoding="auto"):
    """The text of a CSV file. ``auto``: UTF-8 (with or without BOM), else GB18030,
    the superset of GBK that Chinese Windows and legacy ERPs export."""
    encoding = (encoding or "auto").lower()
    if encoding == "auto":
        candidates = ("utf-8-sig", "gb18030")
    elif encoding in ("utf-8", "utf8", "utf-8-sig"):
        candidates = ("utf-8-sig",)
    elif encoding in ("gbk", "gb2312", "gb18030", "cp936"):
        candidates = ("gb18030",)
    else:
        candidates = (encoding,)
    for candidate in candidates:
        try:
            return content.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReaderError(
        _lt("The file cannot be read as %(encoding)s text: choose its encoding (UTF-8 or GBK) on the import.",
            encoding=encoding if encoding != "auto" else "UTF-8 / GBK")
    )


def sniff_delimiter(text):
    """The delimiter of the header line: the candidate found most often outside quotes."""
    header = []
    quoted = False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            if any(c.strip() for c in header):
                break
            header = []
            continue
        header.append(char)
    line = ""
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            line += char
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def cell_text(value):
    """The text of an XLSX cell value, written the way a CSV export would write it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _bounded(cells, row):
    """The row's cells, or ReaderError when one is longer than a cell may be."""
    try:
        for cell in cells:
            check_cell_length(cell, row)
    except UnsafeInputError as error:
        raise ReaderError(error.message) from error
    return cells


def _csv_rows(text, delimiter):
    csv.field_size_limit(sys.maxsize)
    # NUL characters cannot be stored in PostgreSQL text: dropped
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield _bounded(cells, reader.line_num)
    except csv.Error as error:  # lenient dialect: only a broken file ends here
        raise ReaderError(_lt("The CSV file is broken after row %(row)s: %(error)s", row=reader.line_num, error=error))


def _xlsx_rows(content, max_unpacked=MAX_UNPACKED_BYTES):
    import openpyxl

    try:
        # before any XML is parsed: a small file may unpack to gigabytes
        check_xlsx_archive(content, max_unpacked=max_unpacked)
    except UnsafeInputError as error:
        raise ReaderError(error.message) from error
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReaderError(_lt("The XLSX file cannot be opened: %(error)s", error=error))
    try:
        if not workbook.worksheets:
            return
        rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        while True:
            try:
                row, values = next(rows)
            except StopIteration:
                break
            except Exception as error:  # openpyxl raises many kinds of errors on a broken sheet
                raise ReaderError(_lt("The XLSX file cannot be opened: %(error)s", error=error)) from error
            yield _bounded([cell_text(value).replace("\x00", "") for value in values], row)
    finally:
        workbook.close()


def read_table(content, file_name="", encoding="auto", delimiter="auto"):
    """(headers, rows) of a CSV or XLSX file (first sheet, values only).

    ``headers`` is the first non-empty row, trimmed; ``rows`` an iterator of lists
    of cell texts, one per following row (empty rows included, so that a row's
    position is its number in the file minus one). XLSX rows are padded to the
    header's width; CSV rows are given as they are (a row with a wrong number of
    cells is for the caller to report). Raises :class:`ReaderError`."""
    if not content:
        raise ReaderError(_lt("The file is empty."))
    name = (file_name or "").lower()
    if content.startswith(XLS_MAGIC) or name.endswith(".xls"):
        raise ReaderError(_lt("Old Excel files (.xls) are not supported: save the file as XLSX or CSV."))
    is_xlsx = content.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm"))
    if is_xlsx:
        rows = _xlsx_rows(content)
    else:
        text = decode(content, encoding)
        if delimiter in (None, "", "auto"):
            delimiter = sniff_delimiter(text)
        rows = _csv_rows(text, delimiter)
    headers = None
    for cells in rows:
        if any(cell.strip() for cell in cells):
            headers = [cell.strip().lstrip("\ufeff") for cell in cells]
            break
    if headers is None:
        raise ReaderError(_lt("The file has no header row."))
    while headers and not headers[-1]:
        headers.pop()
    if not is_xlsx:
        return headers, rows
    width = len(headers)

    def padded():
        for cells in rows:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield cells

    return headers, padded()
