"""Certificate numbers: `{PREFIX}-{YYYY}-{SEQUENCE}-{CHECK}`, e.g. `QMS-2026-000042-7`.

- PREFIX: the scheme's `certificate_prefix` (1-6 upper-case letters or digits).
- YYYY: the year of issue.
- SEQUENCE: six digits (more when a scheme issues over 999,999 in a year), counted per scheme and
  year in `CertificateSequence`, whose row is locked while a number is drawn: two approvals at the
  same moment get consecutive numbers, never the same one.
- CHECK: one character from 0-9A-Z, the Luhn mod 36 check character over PREFIX + YYYY + SEQUENCE
  (hyphens ignored). It catches every single mistyped character and most swaps of two neighbours, so
  a mistyped number is recognised without asking the database.

Luhn mod N (N = 36, alphabet 0-9A-Z): walk the characters from right to left, doubling the value of
every second one starting with the rightmost; a doubled value d becomes d // 36 + d % 36; the check
character is the one whose value is (36 - sum % 36) % 36. A number is well-formed when the same walk
over the characters and the check (the check not doubled) gives a sum divisible by 36.
"""

import re
import unicodedata

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
N = len(ALPHABET)
NUMBER_PATTERN = re.compile(r"^([A-Z0-9]{1,6})-(\d{4})-(\d{6,})-([A-Z0-9])$")


def _luhn_sum(payload: str, *, double_first: bool) -> int:
    total = 0
    double = double_first
    for char in reversed(payload):
        value = ALPHABET.index(char)
        if double:
            value *= 2
            value = value // N + value % N
        total += value
        double = not double
    return total


def check_character(payload: str) -> str:
    """The Luhn mod 36 check character for `payload` (upper-case letters and digits)."""
    return ALPHABET[(N - _luhn_sum(payload, double_first=True) % N) % N]


def format_number(prefix: str, year: int, sequence: int) -> str:
    body = f"{prefix}{year:04d}{sequence:06d}"
    return f"{prefix}-{year:04d}-{sequence:06d}-{check_character(body)}"


# Dashes a keyboard or a word processor may give for "-" (NFKC already folds the full-width one).
DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63]")
# Spaces, hyphens or both between the parts of a number read as one hyphen.
SEPARATORS = re.compile(r"[\s-]+")


def normalise(number: str) -> str:
    """The number as stored, from a number as printed or typed: any case, spaces for or around the
    hyphens, en/em dashes, the full-width letters, digits and spaces of a Chinese keyboard."""
    folded = DASHES.sub("-", unicodedata.normalize("NFKC", number)).upper()
    return SEPARATORS.sub("-", folded).strip("-")


def is_well_formed(number: str) -> bool:
    match = NUMBER_PATTERN.match(normalise(number))
    if not match:
        return False
    payload = "".join(match.groups())
    return _luhn_sum(payload, double_first=False) % N == 0
