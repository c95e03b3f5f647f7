"""Cleaning rules of the data migration: pure functions, no ORM.

Each function returns the cleaned value or raises :class:`CleaningError` with a
(lazily) translated message saying what is wrong with the cell.
"""

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass

from odoo.tools.translate import LazyTranslate

from odoo.addons.distribution_core.tools.codes import normalize_code
from odoo.addons.distribution_core.tools.safe_io import MAX_NUMBER, LazyMessageError, is_sane_number

_lt = LazyTranslate(__name__)

_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s\-().\u2010-\u2015/]+")
_NON_DIGITS = re.compile(r"\D")
_VAT_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_DATE_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

# GB 32100-2015: the unified social credit code alphabet (no I, O, S, V, Z) and weights
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

TRUE_WORDS = frozenset({"1", "y", "yes", "true", "t", "x", "on", "是", "有", "对", "真", "启用"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "f", "off", "否", "无", "不", "假", "停用"})


class CleaningError(LazyMessageError):
    """A cell that cannot be cleaned."""


@dataclass(frozen=True)
class CodeRules:
    """How codes are normalised (an import profile's cleaning rules). Targets whose records
    have a case rule of their own apply it over the profile's (see the member target's
    ``_code_rules``: member codes are upper case, as core stores them)."""

    case: str = "upper"  # "upper", "lower" or "keep"
    halfwidth: bool = True
    pad_width: int = 0
    prefix_map: tuple = ()  # ((old prefix, new prefix), ...), normalised, longest first

    @classmethod
    def make(cls, case="upper", halfwidth=True, pad_width=0, prefix_map=()):
        """Rules whose old prefixes are normalised the way codes are, longest first."""
        rules = cls(case=case or "upper", halfwidth=halfwidth, pad_width=pad_width or 0)
        pairs = []
        for old, new in prefix_map or ():
            old = rules._normalise(old or "")
            if old:
                pairs.append((old, rules._normalise(new or "")))
        pairs.sort(key=lambda pair: -len(pair[0]))
        return cls(case=rules.case, halfwidth=halfwidth, pad_width=rules.pad_width, prefix_map=tuple(pairs))

    def _normalise(self, text):
        # the channel's own normaliser: with the default rules (upper case, half-width), a code
        # is cleaned exactly as core stores it
        return normalize_code(text, case=self.case, halfwidth=self.halfwidth)


def halfwidth(text):
    """Full-width characters (ＡＢＣ１２３, full-width space and punctuation) become
    their half-width forms (Unicode NFKC)."""
    if not text:
        return ""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)  # (ASCII is left as it is)


def clean_name(text):
    """A name: trimmed, runs of blanks (full-width ones too) collapsed to one space."""
    return " ".join((text or "").split())


def clean_code(text, rules=None):
    """A code: half-width (NFKC), no blanks at all, case per the rules, an old prefix
    replaced by its new one, and purely numeric codes left-padded with zeros."""
    rules = rules or CodeRules()
    code = rules._normalise(text or "")
    for old, new in rules.prefix_map:
        if code.startswith(old):
            code = new + code[len(old):]
            break
    if rules.pad_width and code.isdigit() and code.isascii():
        code = code.zfill(rules.pad_width)
    if not code:
        raise CleaningError(_lt("The code is empty."))
    return code


def clean_phone(text, country="86"):
    """A phone number in international form, "+8613800138000".

    Accepts separators (blanks, hyphens, dots, brackets), a leading "+" or "00",
    a country code without "+" and, for the default country, a trunk "0". For
    China (86) a mobile has 11 digits starting with 13 to 19, a landline 10 or 11
    digits (area code + number); elsewhere the national number has 6 to 13 digits."""
    country = _NON_DIGITS.sub("", country or "")
    phone = _PHONE_SEPARATORS.sub("", halfwidth(text))
    if phone.startswith("+"):
        digits = phone[1:]
        international = True
    elif phone.startswith("00"):
        digits = phone[2:]
        international = True
    else:
        digits = phone
        international = False
    if not digits.isdigit() or not digits.isascii():
        raise CleaningError(_lt("%(phone)s is not a phone number.", phone=text))
    if not international and country and digits.startswith(country) and len(digits) > 11:
        digits = digits[len(country):]  # "86 138 0013 8000" written without "+"
        international = True
    elif international:
        if country and digits.startswith(country):
            digits = digits[len(country):]
        else:  # another country: keep it as written, E.164 allows up to 15 digits
            if not 8 <= len(digits) <= 15:
                raise CleaningError(_lt("Phone %(phone)s does not have a valid length.", phone=text))
            return "+" + digits
    if not international and digits.startswith("0"):
        digits = digits[1:]  # trunk prefix of a landline: 0571 8888 8888
    if country == "86":
        # mobile: 1[3-9] + 9 digits; landline: area code 10 or 2x + 8 digits, or a
        # three-digit area code 3xx-9xx + 7 or 8 digits
        valid = (
            len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"
            or len(digits) == 10 and (digits.startswith("10") or digits[0] == "2")
            or len(digits) in (10, 11) and digits[0] in "3456789"
        )
    else:
        valid = 6 <= len(digits) <= 13
    if not valid or not country:
        raise CleaningError(_lt("Phone %(phone)s does not have a valid length.", phone=text))
    return f"+{country}{digits}"


def uscc_check_character(code17):
    """The GB 32100-2015 check character of the first 17 characters of a unified
    social credit code (raises KeyError on a character outside its alphabet)."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(code17, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def clean_vat(text, check_uscc=False):
    """A tax ID: half-width, upper case, without blanks or hyphens; with ``check_uscc``
    it must be an 18-character unified social credit code with a valid check character."""
    vat = _VAT_SEPARATORS.sub("", halfwidth(text)).upper()
    if not vat:
        raise CleaningError(_lt("The tax ID is empty."))
    if check_uscc:
        if len(vat) != 18 or any(char not in USCC_ALPHABET for char in vat):
            raise CleaningError(
                _lt("%(vat)s is not an 18-character unified social credit code.", vat=text)
            )
        if uscc_check_character(vat[:17]) != vat[17]:
            raise CleaningError(_lt("%(vat)s: the check character of the credit code is wrong.", vat=text))
    return vat


def parse_number(text):
    """A number: half-width, blanks, currency signs and thousands separators
    ("1,234.50") removed, "(12.5)" read as -12.5. A comma other than a thousands
    separator is refused rather than guessed."""
    value = halfwidth(text).strip()
    negative = value.startswith("(") and value.endswith(")")
    if negative:
        value = value[1:-1]
    value = _SPACES.sub("", value).replace("¥", "").replace("$", "").replace("€", "").replace("元", "")
    if "," in value:
        if not _THOUSANDS.match(value):
            raise CleaningError(_lt("%(value)s is not a number.", value=text))
        value = value.replace(",", "")
    if not _NUMBER.match(value):
        raise CleaningError(_lt("%(value)s is not a number.", value=text))
    number = float(value)
    if not math.isfinite(number):
        raise CleaningError(_lt("%(value)s is not a number.", value=text))
    if not is_sane_number(number):
        raise CleaningError(_lt("%(value)s is too large a number: at most %(max)s.", value=text[:40],
                                max=f"{MAX_NUMBER:,.0f}"))
    return -number if negative else number


def parse_date(text):
    """A date written 2026-01-31, 2026/1/31, 2026.1.31, 20260131, 2026年1月31日
    (an optional time is dropped) or as an Excel serial number (46053)."""
    value = _SPACES.sub(" ", halfwidth(text).strip())
    match = _DATE_SEP.match(value) or _DATE_CN.match(value.replace(" ", "")) or _DATE_COMPACT.match(value)
    try:
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        serial = float(value)
    except ValueError:
        raise CleaningError(_lt("%(value)s is not a date.", value=text))
    if not (1 <= serial < 2958466 and serial == int(serial)):
        raise CleaningError(_lt("%(value)s is not a date.", value=text))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def parse_bool(text):
    """Yes / no in English or Chinese, 1 / 0, true / false, x."""
    value = halfwidth(text).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise CleaningError(_lt("%(value)s is neither yes nor no.", value=text))


def clean_email(text):
    """An email address: half-width, trimmed; must look like name@domain.tld."""
    email = halfwidth(text).strip()
    if not _EMAIL.match(email):
        raise CleaningError(_lt("%(email)s is not an email address.", email=text))
    return email
