"""Anti-diversion (防窜货) unit codes: generated in batches, bound down the channel.

A code is 16 random Crockford base32 characters (80 bits from `secrets`) followed by one
check character, e.g. ``8264VXAJDZ2TGEGJ`` + ``1``. The check character makes the sum

    c_0 * a^0 + c_1 * a^1 + ... + c_16 * a^16 = 0

hold in the field GF(32) = GF(2)[x] / (x^5 + x^2 + 1), where c_k is the value (0..31) of the
k-th character counted from the right (the check character is c_0), a = x (a primitive element,
so a^0 .. a^30 are distinct and non-zero) and + is XOR. Hence every single wrong character and
every swap of two different adjacent characters (check character included) breaks the sum: both
change it by a non-zero product. The check needs no database: the JS twin in
``static/src/js/dms_code.js`` rejects a mistyped code offline, with the same test vectors.

Normalisation (`normalize_unit_code`) upper-cases, drops blanks and dashes and maps the Crockford
aliases O -> 0 and I, L -> 1, so ``8264-vxaj-dz2t-gegj-1`` is the same code.
"""

import base64
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
BODY_LENGTH = 16  # 80 random bits
CODE_LENGTH = BODY_LENGTH + 1
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_BLANKS = re.compile(r"[\s\-_.]+")
# codes of a previous system, imported as they are printed on the units in the field: no check character
LEGACY_CODE = re.compile(r"[0-9A-Z]{6,40}")
_RFC4648_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())
_GF_MODULUS = 0b100101  # x^5 + x^2 + 1


def _gf_mul(a, b):
    """Product of a and b in GF(32)."""
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _GF_MODULUS
    return result


_POWERS = [1]
for _k in range(CODE_LENGTH):
    _POWERS.append(_gf_mul(_POWERS[-1], 2))
# _WEIGHTED[k][v]: value v at position k (from the right) times a^k
_WEIGHTED = [[_gf_mul(value, _POWERS[k]) for value in range(32)] for k in range(CODE_LENGTH)]
# the check value is linear over GF(2) in the 80 random bits: bit j of the check character is
# the parity of (body bits & _CHECK_MASKS[j]); used to compute a million check characters fast
_CHECK_MASKS = [0] * 5
for _i in range(BODY_LENGTH):
    for _bit in range(5):
        _product = _WEIGHTED[BODY_LENGTH - _i][1 << _bit]
        for _j in range(5):
            if _product >> _j & 1:
                _CHECK_MASKS[_j] |= 1 << (5 * (BODY_LENGTH - 1 - _i) + _bit)


def normalize_unit_code(text):
    """The canonical form of a typed or scanned code: upper case, without blanks or dashes,
    with the Crockford aliases (O = 0, I = L = 1) resolved. Also accepts the scan URL."""
    if not text:
        return ""
    text = text.strip()
    if "/" in text:  # a scanned QR label holds the scan URL: keep its last part
        text = text.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return _BLANKS.sub("", text).upper().translate(_ALIASES)


def check_character(body):
    """The check character of a normalized 16-character body."""
    total = 0
    for index, char in enumerate(body):
        total ^= _WEIGHTED[BODY_LENGTH - index][_VALUES[char]]
    return ALPHABET[total]


def is_well_formed(text):
    """Whether the normalized text has the length, the alphabet and the check character of a
    code (says nothing about whether the code exists)."""
    if not text or len(text) != CODE_LENGTH:
        return False
    total = 0
    for index, char in enumerate(text):
        value = _VALUES.get(char)
        if value is None:
            return False
        total ^= _WEIGHTED[CODE_LENGTH - 1 - index][value]
    return total == 0


def is_legacy_candidate(text):
    """Whether the normalized text may be a code imported from a previous system (letters and digits, 6 to
    40 of them, no check character). A text shaped like one of our codes (17 characters of our alphabet)
    is not: a typing error in one of ours must still be caught offline by its check character."""
    if not text or not LEGACY_CODE.fullmatch(text):
        return False
    return not (len(text) == CODE_LENGTH and all(char in _VALUES for char in text))


def format_code(code):
    """A code in groups of four for people to read: 8264-VXAJ-DZ2T-GEGJ-1."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def generate_codes(count):
    """`count` new random codes (with their check characters), from `secrets`."""
    raw = secrets.token_bytes(10 * count)
    text = base64.b32encode(raw).translate(_RFC4648_TO_CROCKFORD).decode()
    m0, m1, m2, m3, m4 = _CHECK_MASKS
    from_bytes = int.from_bytes
    codes = []
    append = codes.append
    for offset in range(count):
        bits = from_bytes(raw[10 * offset : 10 * offset + 10])
        check = (
            ((bits & m0).bit_count() & 1)
            | ((bits & m1).bit_count() & 1) << 1
            | ((bits & m2).bit_count() & 1) << 2
            | ((bits & m3).bit_count() & 1) << 3
            | ((bits & m4).bit_count() & 1) << 4
        )
        append(text[16 * offset : 16 * offset + 16] + ALPHABET[check])
    return codes
