"""Vietnamese phone numbers, the one check of every form that takes one (the survey form and
every channel of the response write path, the case form and the desk intake, the import of
regular customers).

Since the 2017–2018 renumbering (Thông tư 22/2014/TT-BTTTT as amended, Quyết định
798/QĐ-BTTTT) a mobile number is 0 + 9 digits starting 3, 5, 7, 8 or 9, and a landline is
0 + 2xx area code + 8 digits; from abroad the leading 0 is written +84 (or 0084). People type
spaces, dots, dashes and brackets between the groups ("0912.345.678", "(+84) 912 345 678"):
those are ignored, anything else (letters) makes it not a number. A number that passes is
stored in one form, the national one ("0912345678"), so the desk finds it however it was typed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()]")
_VIETNAMESE = re.compile(r"(?:\+84|0084|0)(?:[35789]\d{8}|2\d{9})")


def phone_digits(phone: str) -> str:
    """The number without the separators people type between its groups."""
    return _SEPARATORS.sub("", phone or "")


def is_vietnamese_phone(phone: str) -> bool:
    return bool(_VIETNAMESE.fullmatch(phone_digits(phone)))


def canonical_phone(phone: str) -> str:
    """The national form of a Vietnamese number ("+84 912.345.678" -> "0912345678"); anything
    that is not one comes back as it was (its problem is reported by phone_problem)."""
    digits = phone_digits(phone)
    if not _VIETNAMESE.fullmatch(digits):
        return phone
    for prefix in ("+84", "0084"):
        if digits.startswith(prefix):
            return "0" + digits[len(prefix) :]
    return digits


def phone_problem(phone: str) -> str:
    """What is wrong with a phone number the person typed, for them; "" when it is fine or
    empty (every phone field is optional somewhere)."""
    if not phone or is_vietnamese_phone(phone):
        return ""
    return _("Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678.")


def validate_phone(phone: str) -> None:
    """The same check as a Django form validator."""
    problem = phone_problem(phone)
    if problem:
        raise ValidationError(problem, code="phone")
