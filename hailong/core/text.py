"""Vietnamese text input.

The same Vietnamese word can arrive composed (NFC, what Windows keyboards such as Unikey send
by default) or decomposed (NFD, what macOS and some copy-pastes produce). Stored as-is, "Hòa"
would not equal "Hòa" and searches and duplicate checks would silently fail, so every text
input is normalised to NFC.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def normalize_text(value: str | None) -> str:
    """NFC-normalise and trim a piece of user text; None becomes ""."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def nfc(value: Any) -> Any:
    """NFC-normalise without trimming (passwords and free text keep their spaces)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def fold_for_search(value: str) -> str:
    """Lower-case and strip diacritics, so "ho tich" finds "Hộ tịch" (đ has no decomposition)."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")
