"""Unified Social Credit Code (GB 32100-2015): 18 characters, mod-31 check character."""

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # W_i = 3^(i-1) mod 31, i = 1..17
LENGTH = 18


class InvalidUSCC(ValueError):
    """`reason` is one of: length, characters, region, check_character."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def normalise(value: str) -> str:
    return value.strip().upper()


def check_character(first17: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def validate(value: str) -> str:
    """Return the normalised code or raise InvalidUSCC saying what is wrong."""
    code = normalise(value)
    if len(code) != LENGTH:
        raise InvalidUSCC(
            _("A USCC has 18 characters; this one has %(length)d.") % {"length": len(code)},
            "length",
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise InvalidUSCC(
            _("Characters not allowed in a USCC: %(characters)s (I, O, S, V and Z are never used).")
            % {"characters": "".join(bad)},
            "characters",
        )
    if not code[2:8].isdigit():
        raise InvalidUSCC(
            _("Positions 3-8 of a USCC (the administrative region) must be digits."), "region"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(
            _(
                "The check character (the 18th) of this USCC should be %(expected)s, not "
                "%(given)s: check the code against the business licence."
            )
            % {"expected": expected, "given": code[17]},
            "check_character",
        )
    return code


def is_sichuan(code: str) -> bool:
    return code[2:4] == "51"


def make(first17: str) -> str:
    """Complete 17 characters with their check character (for demo data and tests)."""
    return first17 + check_character(first17)
