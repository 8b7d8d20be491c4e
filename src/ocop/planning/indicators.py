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

* `placed_by="commune"` (optional) says that the count is the number of `records(...)` and that
  they are placed by that foreign key: the targets of many communes are then counted with one
  grouped query per province (`count_in_communes`) rather than one query per commune.

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
    placed_by: str = ""  # the records' unit key when the count is the number of records


_REGISTRY: dict[str, Counter] = {}


def counter(code: str, *, records: Records | None = None, placed_by: str = "") -> Callable[[Count], Count]:
    """Register the function counting indicator `code` (one function per code)."""
    if placed_by and records is None:
        raise ValueError(f"Indicator {code!r}: placed_by needs the records function")

    def register(fn: Count) -> Count:
        existing = _REGISTRY.get(code)
        same = existing is not None and existing.count.__qualname__ == fn.__qualname__
        if existing is not None and not same:
            raise RuntimeError(f"Indicator {code!r} already has a counter: {existing.count.__qualname__}")
        _REGISTRY[code] = Counter(code=code, count=fn, records=records, placed_by=placed_by)
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


def count_in_communes(code: str, communes, start: dt.date, end: dt.date) -> dict[int, int] | None:
    """The count of `code` in each of these current communes ({commune id: count}), with one
    grouped query per province; None when the counter cannot be grouped (count each commune).

    Exactly what `count(code, commune, ...)` gives each: by `within`, a current commune holds the
    records of its own unit and of the former communes whose current unit it is."""
    from django.db.models import Case, CharField, F, When
    from django.db.models import Count as Counted

    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit
    from ocop.geo.selectors import current_province_part

    c = _REGISTRY.get(code)
    if c is None or not c.placed_by:
        return None
    communes = list(communes)
    if any(u.is_legacy or u.level != Level.COMMUNE for u in communes):
        return None
    by_path = {u.path: u.pk for u in communes}
    counts = dict.fromkeys(by_path.values(), 0)
    unit = f"{c.placed_by}__"
    place = Case(
        When(**{f"{unit}edition": Edition.Y2025}, then=F(f"{unit}path")),
        default=F(f"{unit}current_path"),
        output_field=CharField(),
    )
    provinces = AdminUnit.objects.filter(path__in={current_province_part(p) for p in by_path})
    for province in provinces:
        rows = (
            c.records(province, start, end)
            .order_by()
            .annotate(counted_in=place)
            .values("counted_in")
            .annotate(n=Counted("pk", distinct=True))
            .values_list("counted_in", "n")
        )
        for path, n in rows:
            if path in by_path:
                counts[by_path[path]] += n
    return counts
