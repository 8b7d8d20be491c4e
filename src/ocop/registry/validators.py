"""Checks of identifiers and names that officials type in."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ocop.core.text import fold_words

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def normalize_tax_code(raw: str | None) -> str:
    """Digits and the branch dash only: "0100 109 106" → "0100109106"."""
    return re.sub(r"[^\d-]", "", str(raw or "")).strip("-")


def tax_code_checksum_ok(ten_digits: str) -> bool:
    """The 10th digit of an enterprise tax code is a check digit (weights 31, 29, …, 3, mod 11)."""
    total = sum(int(d) * w for d, w in zip(ten_digits[:9], _TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return check < 10 and check == int(ten_digits[9])


def validate_tax_code(code: str) -> str:
    """Return the normalised code or raise ValidationError with a message officials understand.

    Accepted: 10 digits (enterprise, cooperative), 10-3 digits (a branch or dependent unit),
    12 digits (a personal identification number, used as the tax code of households).
    """
    code = normalize_tax_code(code)
    if re.fullmatch(r"\d{12}", code):
        return code
    if re.fullmatch(r"\d{10}(-\d{3})?", code):
        if not tax_code_checksum_ok(code[:10]):
            raise ValidationError(
                _("Tax code %(code)s is not valid: its check digit does not match."),
                params={"code": code},
                code="tax_checksum",
            )
        return code
    raise ValidationError(
        _("A tax code has 10 digits, 10-3 digits for a branch, or 12 digits (personal ID)."),
        code="tax_format",
    )


# Common long forms in producers' names, folded, and the short form officials also write.
_NAME_ABBREVIATIONS = [
    ("hop tac xa", "htx"),
    ("to hop tac", "tht"),
    ("cong ty", "cty"),
    ("trach nhiem huu han", "tnhh"),
    ("mot thanh vien", "mtv"),
    ("co phan", "cp"),
    ("ho kinh doanh", "hkd"),
    ("co so", "cs"),
]


def name_key(name: str | None) -> str:
    """A key that makes "Hợp tác xã Tài Hoan" and "HTX  Tài hoan" the same producer."""
    text = " ".join(fold_words(name))
    for long, short in _NAME_ABBREVIATIONS:
        text = re.sub(rf"\b{long}\b", short, text)
    return text
