"""Member and product codes: pure functions, no ORM (the data migration cleans codes with them too)."""

import re
import unicodedata

_BLANKS = re.compile(r"\s+")


def normalize_code(code, case="upper", halfwidth=True):
    """Normalise a member or product code: full-width characters become half-width (NFKC),
    blanks are removed, letters are upper-cased.

    The channel stores member codes this way (on create and write), and compares them
    case-insensitively; the data migration cleans codes with this same function, with its
    profile's case ("upper", "lower" or "keep") and full-width options for the targets that
    keep a case of their own (product references)."""
    if not code:
        return code
    if halfwidth:
        code = unicodedata.normalize("NFKC", code)
    code = _BLANKS.sub("", code)
    if case == "upper":
        return code.upper()
    if case == "lower":
        return code.lower()
    return code
