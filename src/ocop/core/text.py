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


def search_text(*parts: str | None) -> str:
    """The stored search key of a record: its folded words, each preceded by a space.

    Queries match word prefixes (" " + word), so "na ri" finds "Na Rì" but not "Nam Triệu".
    """
    words = fold_words(" ".join(p for p in parts if p))
    return " " + " ".join(words) if words else ""


def search_q(field: str, query: str | None):
    """Q requiring every word of `query` to start a word of the `field` search key."""
    from django.db.models import Q

    q = Q()
    for word in fold_words(query):
        q &= Q(**{f"{field}__contains": " " + word})
    return q


def nfc(text: str | None) -> str:
    """Normalise to NFC (the composed form Vietnamese text must be stored in)."""
    return unicodedata.normalize("NFC", text or "").strip()
