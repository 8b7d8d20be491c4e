"""The indicator registry: how each indicator of the library is counted from the data.

An `Indicator` row (planning.models, loaded from planning/data/indicators.json) names a code, a
definition and whether it is *counted* or *entered by hand*. For a counted indicator, the code
here says how: a function registered with `@counter("code")` that takes an area and a period
and returns a number, and optionally a function returning the records behind the number (the
click-through from a dashboard figure to its list).

    from ocop.planning.indicators import counter

    @counter("promotion_participations", records=participations_in)
    def promotion_participations(area, start, end):
        return participations_in(area, start, end).count()

* `area` is an `AdminUnit` or None (the whole country). Place records in it with
  `ocop.geo.selectors.within(area, prefix)` — the one rule, which also makes a former
  district's target count the products now in its successor communes.
* `start`, `end` are dates, both inclusive.
* A counter reads with plain managers (not `for_user`): scope is applied by the caller, which
  only asks for areas the user may see (`planning.selectors` and `reporting` check it).
* Each app registers its counters in its own `indicators.py`, imported by its AppConfig.ready().

Actual ÷ target is computed where it is shown (planning.selectors.progress); never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Count = Callable[[object, dt.date, dt.date], "int | Decimal"]
Records = Callable[[object, dt.date, dt.date], object]  # -> QuerySet


@dataclass(frozen=True)
class Counter:
    code: str
    count: Count
    records: Records | None = None


_REGISTRY: dict[str, Counter] = {}


def counter(code: str, *, records: Records | None = None) -> Callable[[Count], Count]:
    """Register the function counting indicator `code` (one function per code)."""

    def register(fn: Count) -> Count:
        existing = _REGISTRY.get(code)
        same = existing is not None and existing.count.__qualname__ == fn.__qualname__
        if existing is not None and not same:
            raise RuntimeError(f"Indicator {code!r} already has a counter: {existing.count.__qualname__}")
        _REGISTRY[code] = Counter(code=code, count=fn, records=records)
        return fn

    return register


def get(code: str) -> Counter | None:
    return _REGISTRY.get(code)


def registered() -> dict[str, Counter]:
    return dict(_REGISTRY)


def count(code: str, area, start: dt.date, end: dt.date) -> int | Decimal:
    c = _REGISTRY.get(code)
    if c is None:
        raise KeyError(f"No counter is registered for indicator {code!r}")
    return c.count(area, start, end)
