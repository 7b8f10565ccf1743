"""统一社会信用代码 (unified social credit code) validation per GB 32100-2015, and phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code (no I, O, Z, S, V), in value order.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(code)},
        )
    bad = [char for char in code if char not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _(
                "The credit code contains characters that are not allowed: %(chars)s (I, O, Z, S and V are never used)."
            ),
            code="credit_code_chars",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of the credit code must be the administrative division code (6 digits)."),
            code="credit_code_division",
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check digit of the credit code is wrong: please check the code was copied correctly."),
            code="credit_code_check_digit",
        )


def validate_division_code(value: str) -> None:
    if value and not (value.isdigit() and len(value) in (6, 9, 12)):
        raise ValidationError(
            _("An administrative division code has 6, 9 or 12 digits."),
            code="division_code_format",
        )


PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


def validate_phone(value: str) -> None:
    """A phone number of digits (a leading +, spaces and dashes allowed); blank passes."""
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(_("Enter a phone number of digits only, e.g. 13812345678."), code="bad_phone")
