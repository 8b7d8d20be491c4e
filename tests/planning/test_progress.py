"""Progress: actual ÷ target, the share of the period elapsed, the traffic light, entered values,
a period with no data, and the scope of the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ocop.planning import selectors, services
from ocop.planning.selectors import elapsed_share, light_for, progress
from tests.conftest import BAC_KAN_LEGACY, CON_MINH_LEGACY, CON_MINH_NEW, NA_RI_DISTRICT, THAI_NGUYEN

from .factories import indicator, make_plan, set_target
from .helpers import certify, producer, product, unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_elapsed_share_is_pro_rata_and_clipped():
    start, end = D(2024, 1, 1), D(2024, 12, 31)  # 366 days
    assert elapsed_share(start, end, D(2023, 12, 31)) == 0
    assert elapsed_share(start, end, D(2024, 1, 1)) == Decimal("0.0027")
    assert elapsed_share(start, end, D(2024, 7, 1)) == Decimal("0.5000")  # 183 of 366 days
    assert elapsed_share(start, end, D(2024, 12, 31)) == 1
    assert elapsed_share(start, end, D(2026, 1, 1)) == 1


@pytest.mark.parametrize(
    ("ratio", "share", "light"),
    [
        ("0.50", "0.50", "green"),
        ("0.36", "0.50", "amber"),
        ("0.35", "0.50", "amber"),
        ("0.34", "0.50", "red"),
        ("1.20", "1", "green"),
        ("0.69", "1", "red"),
        ("0.70", "1", "amber"),
        ("0", "0.0027", "red"),
    ],
)
def test_traffic_light(ratio, share, light):
    assert light_for(Decimal(ratio), Decimal(share)) == light


def test_light_none_without_an_actual():
    assert light_for(None, Decimal(1)) == "none"


def test_progress_of_a_legacy_plan_mid_year(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "new_products_3star", BAC_KAN_LEGACY, 4)
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 2)
    owner = producer(CON_MINH_LEGACY)
    certify(product(owner, "A"), 3, D(2024, 2, 1))
    certify(product(owner, "B"), 3, D(2024, 9, 1))  # after as_of: not yet counted

    rows = progress(plan, as_of=D(2024, 7, 1))
    by_area = {r.area.path: r for r in rows}
    province, district = by_area[BAC_KAN_LEGACY], by_area[NA_RI_DISTRICT]
    assert rows[0].area.path == BAC_KAN_LEGACY  # province first
    assert (province.target, province.actual, province.ratio) == (Decimal(4), Decimal(1), Decimal("0.2500"))
    assert province.expected == Decimal("2.00")  # half the period elapsed
    assert province.light == "red"  # 0.25 < 0.7 × 0.5
    assert (district.actual, district.ratio, district.light) == (Decimal(1), Decimal("0.5000"), "green")
    assert district.records_url.startswith("/planning/records/?indicator=new_products_3star")
    # At the end of the year both products count; the expected figure is the whole target.
    end = {r.area.path: r for r in progress(plan, as_of=D(2025, 3, 1))}
    assert end[BAC_KAN_LEGACY].actual == 2 and end[BAC_KAN_LEGACY].expected == 4
    assert end[BAC_KAN_LEGACY].light == "red"  # 0.5 of the target, period over
    assert end[NA_RI_DISTRICT].light == "green"  # 2 of 2
    # Area filter: only the district's target.
    assert [r.area.path for r in progress(plan, area=unit(NA_RI_DISTRICT), as_of=D(2024, 7, 1))] == [
        NA_RI_DISTRICT
    ]


def test_progress_before_the_period_and_with_no_data(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "products_traceable", BAC_KAN_LEGACY, 20)
    (before,) = progress(plan, as_of=D(2023, 12, 1))
    assert before.actual is None and before.light == "none" and before.expected == 0
    assert "not started" in before.note
    (row,) = progress(plan, as_of=D(2024, 12, 31))
    assert row.actual == 0 and row.ratio == 0 and row.light == "red"
    assert row.note == "No records in the period."


def test_a_counted_indicator_without_a_counter_says_so(province_admin):
    from ocop.planning.models import Indicator

    Indicator.objects.create(code="not_yet_counted", name="Chỉ tiêu chưa có bộ đếm", counted_by="activities")
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "not_yet_counted", BAC_KAN_LEGACY, 24)
    (row,) = progress(plan, as_of=D(2024, 12, 31))
    assert row.actual is None and row.light == "none" and row.records_url is None
    assert "No counter" in row.note


def test_entered_indicator_sums_the_values_in_the_period_and_area(province_admin, nari_officer):
    plan = make_plan(province_admin, THAI_NGUYEN, period_start=D(2025, 7, 1), period_end=D(2025, 12, 31))
    set_target(province_admin, plan, "ocop_workers", THAI_NGUYEN, 100)
    (empty,) = progress(plan, as_of=D(2025, 12, 31))
    assert empty.actual == 0 and "Nothing was entered" in empty.note
    workers = indicator("ocop_workers")
    na_ri = unit("2025/19/02155/")
    for start, end, value in [
        (D(2025, 7, 1), D(2025, 9, 30), 30),
        (D(2025, 10, 1), D(2025, 12, 31), 25),
        (D(2025, 1, 1), D(2025, 6, 30), 999),  # before the plan's period
    ]:
        services.enter_value(
            nari_officer,
            {"indicator": workers, "area": na_ri, "period_start": start, "period_end": end, "value": value},
        )
    services.enter_value(
        province_admin,
        {"indicator": workers, "area": unit(CON_MINH_NEW), "period_start": D(2025, 7, 1),
         "period_end": D(2025, 12, 31), "value": 10},
    )  # fmt: skip
    (row,) = progress(plan, as_of=D(2025, 12, 31))
    assert row.actual == 65 and row.ratio == Decimal("0.6500") and row.light == "red"
    assert row.records_url.startswith("/planning/entered/?indicator=")
    # Mid-period only the values whose period has ended by then.
    (mid,) = progress(plan, as_of=D(2025, 10, 15))
    assert mid.actual == 30  # the Côn Minh value covers Jul–Dec: not ended by then


def test_plans_in_force_and_plan_areas(province_admin, chodon_officer):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 2)
    assert list(selectors.plans_in_force(province_admin, D(2024, 6, 1))) == []
    services.set_plan_state(province_admin, plan, "in_force")
    assert list(selectors.plans_in_force(province_admin, D(2024, 6, 1))) == [plan]
    assert list(selectors.plans_in_force(province_admin, D(2025, 6, 1))) == []
    assert list(selectors.plans_in_force(chodon_officer, D(2024, 6, 1))) == []
    assert [a.path for a in selectors.plan_areas(plan)] == [BAC_KAN_LEGACY, NA_RI_DISTRICT]


def test_current_breakdown_of_a_legacy_plan(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31))
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 2)
    owner = producer(CON_MINH_NEW, registration_date=D(2025, 8, 1))
    certify(product(owner), 3, D(2025, 9, 1))
    communes, rows = selectors.current_breakdown(plan, as_of=D(2025, 12, 31))
    assert unit(CON_MINH_NEW) in communes
    (row,) = rows
    values = {u.path: v for u, v, _url in row["cells"]}
    assert values[CON_MINH_NEW] == 1 and sum(values.values()) == 1


def test_commune_targets_counted_together_give_the_rows_counted_one_by_one(province_admin, monkeypatch):
    from tests.conftest import CHO_DON, NA_RI

    plan = make_plan(province_admin, THAI_NGUYEN, period_start=D(2025, 7, 1), period_end=D(2026, 12, 31))
    for path, value in ((NA_RI, 2), (CHO_DON, 1), (CON_MINH_NEW, 4)):
        set_target(province_admin, plan, "new_products_3star", path, value)
    certify(product(producer(CON_MINH_LEGACY)), 3, D(2025, 8, 1))
    certify(product(producer(CON_MINH_NEW)), 3, D(2025, 9, 1))
    certify(product(producer(NA_RI)), 3, D(2025, 10, 1))

    def table(rows):
        return [(r.area.path, r.target, r.actual, r.ratio, r.light, r.records_url, r.note) for r in rows]

    together = table(progress(plan, as_of=D(2026, 6, 30)))
    monkeypatch.setattr(selectors, "GROUPED_FROM", 10**6)
    assert together == table(progress(plan, as_of=D(2026, 6, 30)))
    assert {path: actual for path, _t, actual, *_ in together} == {NA_RI: 1, CHO_DON: 0, CON_MINH_NEW: 2}
