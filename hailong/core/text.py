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
    """Lower-case, strip diacritics and collapse spaces, so "ho  tich" finds "Hộ tịch"
    (đ has no Unicode decomposition, so it is mapped by hand)."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").split())


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# then the tone as a tie-breaker (ngang, huyền, hỏi, ngã, sắc, nặng). Databases sort by code
# point (SQLite) or by the server's locale (PostgreSQL); small lists are sorted with this key.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(value: str) -> tuple:
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", (value or "").lower()):
        base = unicodedata.normalize("NFD", char)
        tone = next((_TONES[m] for m in base if m in _TONES), 0)
        letter = unicodedata.normalize("NFC", "".join(c for c in base if c not in _TONES))
        index = _ALPHABET.find(letter) if len(letter) == 1 else -1
        # Spaces and punctuation before letters, so "An Bình" comes before "Anh".
        letters.append((1, index) if index >= 0 else (0, ord(letter[0]) if letter else 0))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def vietnamese_sort_string(value: str) -> str:
    """The Vietnamese sort key as a string of digits, to store in an indexed column so that the
    database itself orders names the Vietnamese way whatever its collation (digits compare the
    same in every collation). Two digits a character, then one digit a tone."""
    letters, tones = vietnamese_sort_key(value)
    codes = []
    for kind, code in letters:
        if kind == 1:  # a letter of the alphabet
            codes.append(f"{11 + code:02d}")
        elif 48 <= code <= 57:  # a digit
            codes.append(f"{code - 47:02d}")
        elif code in (32, 45, 44, 46, 40, 41, 47):  # space and common punctuation
            codes.append("00")
        else:
            codes.append("40")
    return "".join(codes)[:400] + "9" + "".join(str(t) for t in tones)[:99]


def join_sentences(messages) -> str:
    """Several messages of one row in one line, each a sentence: capital first, full stop
    last ("Đơn vị “X” không có. Cột HL: chưa có câu trả lời."), whether a message was written
    as a sentence or as a clause; never "A.; B." nor "a; B."."""
    sentences = []
    for message in messages:
        text = str(message).strip()
        if not text:
            continue
        text = text[0].upper() + text[1:]
        sentences.append(text if text.endswith((".", "!", "?", "…")) else f"{text}.")
    return " ".join(sentences)


def sentence_case(value: str) -> str:
    """A heading printed in capitals ("PHIẾU KHẢO SÁT SỰ HÀI LÒNG …", as forms are headed) in
    sentence case for a page title or a tab ("Phiếu khảo sát sự hài lòng …"); text that is not
    all capitals is kept as written (its proper nouns with it)."""
    value = normalize_text(value)
    if not value or value != value.upper() or value == value.lower():
        return value
    lowered = value.lower()
    return lowered[0].upper() + lowered[1:]
