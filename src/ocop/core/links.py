"""Addresses of records, reversed once per URL name.

`reverse()` walks the URL resolver every call (~60 µs); a list of 50 rows links each row to its
record and its producer, and the dashboards link a thousand figures to a handful of lists. A URL
name is reversed once (per script prefix) with a marker in place of the id, and the address of
each record is the marker replaced by its id: the same address `reverse()` gives."""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

_MARK = 987654321012345  # an id no table reaches: it stands for the record's id while reversing


@functools.lru_cache(maxsize=512)
def _split(name: str, prefix: str) -> tuple[str, str] | None:
    url = reverse(name, args=[_MARK])
    head, mark, tail = url.partition(str(_MARK))
    if not mark or str(_MARK) in tail:
        return None
    return head, tail


@functools.lru_cache(maxsize=256)
def _plain(name: str, prefix: str) -> str:
    return reverse(name)


def url_to(name: str, pk: int | None = None) -> str:
    """`reverse(name)` or `reverse(name, args=[pk])` for an integer id, without walking the
    resolver each time."""
    prefix = get_script_prefix()
    if pk is None:
        return _plain(name, prefix)
    parts = _split(name, prefix)
    if parts is None or not isinstance(pk, int):
        return reverse(name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"
