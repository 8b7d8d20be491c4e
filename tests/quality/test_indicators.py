"""inspections_done: counted from the inspections carried out in the period, in the area."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.planning import indicators
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN

from .helpers import inspect, make_product

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def test_inspections_done_counts_carried_out_inspections_in_the_period_and_area(
    province_admin, product, unit
):
    other = make_product(province_admin, "Mật ong bạc hà", commune=CHO_DON)
    inspect(province_admin, product, day=dt.date(2026, 1, 1))  # first day: in
    inspect(province_admin, product, outcome="passed", day=dt.date(2026, 3, 31))  # last day: in
    inspect(province_admin, product, outcome="pending", day=dt.date(2026, 2, 2))  # done, results awaited: in
    inspect(
        province_admin, product, state="scheduled", outcome="pending", day=dt.date(2026, 2, 3)
    )  # not done
    inspect(
        province_admin, product, state="cancelled", outcome="pending", day=dt.date(2026, 2, 4)
    )  # cancelled
    inspect(province_admin, product, day=dt.date(2025, 12, 31))  # before
    inspect(province_admin, other, day=dt.date(2026, 2, 5))  # Chợ Đồn
    assert "inspections_done" in indicators.registered()
    assert indicators.count("inspections_done", unit(NA_RI), START, END) == 3
    assert indicators.count("inspections_done", unit(CHO_DON), START, END) == 1
    assert indicators.count("inspections_done", unit(THAI_NGUYEN), START, END) == 4
    assert indicators.count("inspections_done", None, START, END) == 4
    records = indicators.get("inspections_done").records(unit(NA_RI), START, END)
    assert sorted(r.date.day for r in records) == [1, 2, 31]
