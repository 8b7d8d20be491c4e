"""Working days (ngày làm việc) for the deadlines of the procedure.

A working day is Monday to Friday, except Vietnam's public holidays as the `holidays` package
knows them (New Year, Tết — Lunar New Year's Eve and the four days after —, Hùng Kings, 30/4,
1/5, National Day, and the substitute days off it lists). A year's extra days off or make-up
working Saturdays announced by the government can be added with the optional settings
`OCOP_EXTRA_DAYS_OFF` and `OCOP_EXTRA_WORKING_DAYS` (lists of ISO dates).

"Within N working days of receipt" counts from the working day after the day of receipt: the
deadline is the N-th working day after it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _dates(name: str) -> frozenset[dt.date]:
    out = set()
    for value in getattr(settings, name, None) or ():
        out.add(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
    return frozenset(out)


def is_working_day(day: dt.date) -> bool:
    if day in _dates("OCOP_EXTRA_WORKING_DAYS"):
        return True
    if day.weekday() >= 5:
        return False
    return day not in public_holidays(day.year) and day not in _dates("OCOP_EXTRA_DAYS_OFF")


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
