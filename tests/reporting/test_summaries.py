"""Summary rows: equal to raw counts of the records, by legacy or current units, rebuilt after
writes (debounced to once per transaction), and the published 2021 figures of the demo."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within
from ocop.reporting import selectors, summaries
from ocop.reporting.models import ProductFigure, SummaryState
from tests.conftest import BAC_KAN_LEGACY, CHO_DON, NA_RI, NA_RI_DISTRICT, THAI_NGUYEN
from tests.programme.helpers import make_product

from .conftest import END_2021

pytestmark = pytest.mark.django_db


def raw_stars(area: AdminUnit, day: dt.date) -> dict[int, int]:
    """Products of `area` with a certificate valid on `day`, each at its highest star — counted
    from the certificates themselves."""
    best: dict[int, int] = {}
    for product_id, stars in (
        Certificate.objects.valid_on(day)
        .filter(within(area, "product__commune__"))
        .values_list("product_id", "stars")
    ):
        best[product_id] = max(best.get(product_id, 0), stars)
    counts = Counter(best.values())
    return {5: counts[5], 4: counts[4], 3: counts[3]}


def test_the_demo_dashboard_shows_the_published_2021_figures(built, province_officer, bac_kan):
    board = selectors.dashboard(province_officer, bac_kan, year=2021)
    assert board.day == END_2021 and not board.is_today
    assert board.total.value == 155
    assert {s: link.value for s, link in board.stars.items()} == {5: 1, 4: 11, 3: 143}
    assert (board.communes_without, board.communes_total) == (58, 108)
    # The new Thái Nguyên holds the same products (all demo records are in the former Bắc Kạn).
    whole = selectors.dashboard(province_officer, AdminUnit.objects.get(path=THAI_NGUYEN), year=2021)
    assert whole.total.value == 155


@pytest.mark.parametrize("path", [BAC_KAN_LEGACY, NA_RI_DISTRICT, THAI_NGUYEN, CHO_DON])
def test_summaries_equal_raw_counts_on_every_summarised_day(built, province_officer, path):
    area = AdminUnit.objects.get(path=path)
    assert len(built.days) >= 8  # 31/12 of 2018 … 2025, and today
    for day in built.day_list:
        year = "today" if day == built.built_for else day.year
        board = selectors.dashboard(province_officer, area, year=year)
        assert {s: link.value for s, link in board.stars.items()} == raw_stars(area, day), (path, day)
        assert sum(link.value for link in board.by_place) == board.total.value
        assert sum(link.value for link in board.by_category) == board.total.value


def test_legacy_and_current_grouping(built, province_officer):
    province = AdminUnit.objects.get(path=THAI_NGUYEN)
    legacy = selectors.dashboard(province_officer, province, year=2021, basis="legacy")
    current = selectors.dashboard(province_officer, province, year=2021, basis="current")
    assert legacy.total.value == current.total.value == 155
    # By legacy units, the province's products are grouped by former district; by current units,
    # by the communes of 2025.
    legacy_units = AdminUnit.objects.filter(path__in=[p.key for p in legacy.by_place])
    assert {u.level for u in legacy_units} == {2} and all(u.is_legacy for u in legacy_units)
    current_units = AdminUnit.objects.filter(path__in=[p.key for p in current.by_place])
    assert {u.level for u in current_units} == {3} and not any(u.is_legacy for u in current_units)
    assert sum(p.value for p in legacy.by_place) == sum(p.value for p in current.by_place) == 155
    # Communes: legacy ones of both former provinces, or the current communes of Thái Nguyên.
    assert (
        legacy.communes_total
        == AdminUnit.objects.filter(level=3, edition="legacy", current_path__startswith=THAI_NGUYEN).count()
    )
    assert current.communes_total == AdminUnit.objects.filter(level=3, parent=province).count()
    with_product = {c["id"] for c in current.communes if c["products"]}
    assert current.communes_without == current.communes_total - len(with_product)


def test_a_write_rebuilds_the_province_once_per_transaction(
    province_admin, unit, django_capture_on_commit_callbacks, monkeypatch
):
    from ocop.certification import services as certification

    SummaryState.objects.all().delete()  # whatever earlier tests summarised: only this test's writes
    calls = []
    original = summaries.rebuild
    monkeypatch.setattr(summaries, "rebuild", lambda p, *a, **k: calls.append(p.path) or original(p, *a, **k))
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(province_admin, "Miến dong Tổng hợp")  # producer + product: two writes
    assert calls == [THAI_NGUYEN]
    today_before = ProductFigure.objects.filter(day=SummaryState.objects.get().built_for).aggregate(
        n=Sum("products")
    )["n"]
    assert today_before is None
    with django_capture_on_commit_callbacks(execute=True):
        certification.record_certificate(
            province_admin,
            product,
            {
                "stars": 4,
                "issued_on": timezone.localdate() - dt.timedelta(days=10),
                "decision_number": "12/QĐ-UBND",
            },
        )
    assert calls == [THAI_NGUYEN, THAI_NGUYEN]
    board = selectors.dashboard(province_admin, unit(NA_RI), year="today")
    assert (board.total.value, board.stars[4].value) == (1, 1)


def test_the_marks_of_a_rolled_back_transaction_are_forgotten(
    province_admin, unit, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    SummaryState.objects.all().delete()
    calls = []
    original = summaries.rebuild
    monkeypatch.setattr(summaries, "rebuild", lambda p, *a, **k: calls.append(p.path) or original(p, *a, **k))
    with pytest.raises(RuntimeError), transaction.atomic():
        summaries.mark_dirty({unit("2025/01/").pk})  # Hà Nội, in a transaction that rolls back
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        make_product(province_admin, "Miến dong Sau")
    assert calls == [THAI_NGUYEN]


def test_automatic_rebuilds_can_be_turned_off(province_admin, settings, django_capture_on_commit_callbacks):
    settings.OCOP_SUMMARY_AUTO_REBUILD = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_product(province_admin, "Miến dong Tắt")
    assert callbacks == [] and not SummaryState.objects.exists()


def test_rebuild_summaries_command(demo_registry):
    out = StringIO()
    call_command("rebuild-summaries", "--area", "19", stdout=out)
    assert "1 provinces rebuilt" in out.getvalue()
    state = SummaryState.objects.get()
    assert state.province.path == THAI_NGUYEN
    end_2021 = ProductFigure.objects.filter(day=END_2021).aggregate(n=Sum("products"))["n"]
    assert end_2021 == 155
    # A former district's code is not a province: the command asks for a path or a province code.
    with pytest.raises(Exception, match="No administrative unit"):
        call_command("rebuild-summaries", "--area", "nowhere", stdout=StringIO())
