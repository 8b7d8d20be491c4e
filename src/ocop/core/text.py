"""Vietnamese text folding, used by every search in the system.

Folding happens in Python and the folded form is stored beside the original (`*_folded`
columns), so a search behaves identically on SQLite and PostgreSQL: "cho don" finds "Chợ Đồn",
"mien dong" finds "Miến dong".
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d), collapse whitespace.

    >>> fold("  Chợ   Đồn ")
    'cho don'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFD", str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACE_RE.sub(" ", text).strip()


def fold_words(text: str | None) -> list[str]:
    """Folded words of a query with punctuation removed, for AND-searching."""
    return [w for w in _SPACE_RE.split(_PUNCT_RE.sub(" ", fold(text))) if w]


def nfc(text: str | None) -> str:
    """Normalise to NFC (the composed form Vietnamese text must be stored in)."""
    return unicodedata.normalize("NFC", text or "").strip()
