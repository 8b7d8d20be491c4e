"""Totals by source, area and year, the page and its .xlsx; and the indicators the grants feed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ocop.funding import selectors
from ocop.funding.models import SupportGrant
from ocop.planning import indicators
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN

from .helpers import grant, make_product, pay, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(province_admin, product, unit):
    """Na Rì: two grants in 2025 (ntm 30 M paid 30 M; khuyến công 20 M paid 5 M) and one in 2026
    (ntm 100 M, paid 40 M in 2026); Chợ Đồn: one in 2026 (khuyến công 10 M, nothing paid)."""
    ntm = source(province_admin, unit(THAI_NGUYEN), year=2025)
    kc = source(province_admin, unit(THAI_NGUYEN), kind="industrial_promotion", name="Khuyến công", year=2025)
    other = make_product(province_admin, "Mật ong bạc hà", commune=CHO_DON)
    a = grant(province_admin, product.producer, ntm, 30_000_000, dt.date(2025, 3, 1), decision_number="1/QĐ")
    b = grant(
        province_admin,
        product.producer,
        kc,
        20_000_000,
        dt.date(2025, 6, 1),
        decision_number="2/QĐ",
        kind="trade_fair",
    )
    c = grant(
        province_admin,
        product.producer,
        ntm,
        100_000_000,
        dt.date(2026, 1, 5),
        decision_number="3/QĐ",
        kind="equipment",
    )
    d = grant(
        province_admin,
        other.producer,
        kc,
        10_000_000,
        dt.date(2026, 1, 20),
        decision_number="4/QĐ",
        kind="training",
    )
    pay(province_admin, a, 30_000_000, dt.date(2025, 4, 1))
    pay(province_admin, b, 5_000_000, dt.date(2025, 12, 31))
    pay(province_admin, c, 40_000_000, dt.date(2026, 1, 10))
    return {"ntm": ntm, "kc": kc, "grants": (a, b, c, d), "chodon": other.producer, "nari": product.producer}


def test_totals_by_source_area_and_year(book):
    data = selectors.totals(SupportGrant.objects.all())
    by_source = {r["source_id"]: r for r in data["by_source"]}
    assert by_source[book["ntm"].pk]["approved"] == Decimal(130_000_000)
    assert by_source[book["ntm"].pk]["disbursed"] == Decimal(70_000_000)
    assert (by_source[book["ntm"].pk]["n_grants"], by_source[book["ntm"].pk]["n_producers"]) == (2, 1)
    assert by_source[book["kc"].pk]["approved"] == Decimal(30_000_000)
    assert by_source[book["kc"].pk]["disbursed"] == Decimal(5_000_000)
    assert by_source[book["kc"].pk]["n_producers"] == 2
    by_area = {r["commune_id"]: r for r in data["by_area"]}
    assert by_area[book["nari"].commune_id]["approved"] == Decimal(150_000_000)
    assert by_area[book["chodon"].commune_id]["disbursed"] == Decimal(0)
    by_year = {r["decision_year"]: r for r in data["by_year"]}
    assert by_year[2025]["approved"] == Decimal(50_000_000) and by_year[2025]["disbursed"] == Decimal(
        35_000_000
    )
    assert by_year[2026]["approved"] == Decimal(110_000_000) and by_year[2026]["disbursed"] == Decimal(
        40_000_000
    )
    assert data["total"] == {
        "approved": Decimal(160_000_000),
        "disbursed": Decimal(75_000_000),
        "n_grants": 4,
        "n_producers": 2,
    }


def test_totals_page_shows_vnd_and_exports_xlsx(client, province_admin, chodon_officer, book):
    client.force_login(province_admin)
    response = client.get(reverse("funding:totals"), {"year": 2025})
    body = response.content.decode()
    assert "50.000.000" in body and "35.000.000" in body and "160.000.000" not in body
    response = client.get(reverse("funding:totals"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo nguồn", "Theo địa bàn", "Theo năm"]
    rows = list(wb["Theo năm"].iter_rows(values_only=True))
    assert rows[1][0] == "2025" and rows[1][3:] == (50_000_000, 35_000_000)
    assert rows[-1][3:] == (160_000_000, 75_000_000)
    assert wb["Theo năm"].cell(row=2, column=4).number_format == "#,##0"
    # The commune officer of Chợ Đồn totals only Chợ Đồn's support.
    client.force_login(chodon_officer)
    body = client.get(reverse("funding:totals")).content.decode()
    assert "10.000.000" in body and "160.000.000" not in body and "150.000.000" not in body


def test_support_indicators(book, unit):
    assert {"support_amount", "producers_supported"} <= set(indicators.registered())
    year_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    year_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert indicators.count("support_amount", None, *year_2025) == Decimal(35_000_000)
    assert indicators.count("support_amount", unit(THAI_NGUYEN), *year_2026) == Decimal(40_000_000)
    assert indicators.count("support_amount", unit(CHO_DON), *year_2026) == Decimal(0)
    assert indicators.count("support_amount", None, dt.date(2025, 12, 31), dt.date(2025, 12, 31)) == Decimal(
        5_000_000
    )
    assert indicators.count("producers_supported", None, *year_2026) == 2
    assert indicators.count("producers_supported", unit(NA_RI), *year_2026) == 1
    assert indicators.count("producers_supported", unit(CHO_DON), *year_2025) == 0
    # Paid in the period under an older decision counts as support received in the period.
    assert (
        indicators.count("producers_supported", unit(NA_RI), dt.date(2025, 12, 1), dt.date(2025, 12, 31)) == 1
    )
    records = indicators.get("support_amount").records(None, *year_2025)
    assert sorted(r.amount for r in records) == [Decimal(5_000_000), Decimal(30_000_000)]


def test_grants_feed_producers_strengthened_by_the_names_planning_reads(book):
    """planning's producers_strengthened reads funding.SupportGrant by `producer` and `decision_date`."""
    from django.apps import apps

    model = apps.get_model("funding", "SupportGrant")
    assert model.objects.filter(decision_date__year=2026, producer=book["nari"]).count() == 1


@pytest.mark.parametrize("name", ["funding:grant_list", "funding:source_list", "funding:asset_list"])
def test_list_query_counts_do_not_grow_with_rows(client, province_admin, product, name):
    from ocop.funding import services

    client.force_login(province_admin)
    src = source(province_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    def add(start, n):
        for i in range(start, start + n):
            g = grant(province_admin, product.producer, src, 1_000_000, decision_number=f"{i}/QĐ")
            pay(province_admin, g, 500_000)
            source(province_admin, name=f"Nguồn {i}")
            services.create_asset(
                province_admin,
                {
                    "producer": product.producer,
                    "name": f"Máy {i}",
                    "value": Decimal(1_000_000),
                    "decision_number": f"{i}/QĐ",
                    "handed_on": dt.date(2025, 7, 5),
                    "source": src,
                },
            )

    add(0, 2)
    few = count()
    add(2, 10)
    assert count() == few


def test_a_grant_strengthens_a_producer_certified_before(province_admin, product, unit):
    """planning's producers_strengthened counts a producer certified before the period that got
    a support grant (by its decision_date) in it."""
    from tests.programme.helpers import certify

    if indicators.get("producers_strengthened") is None:
        pytest.skip("the planning app's counters are not registered")
    certify(product, 3, dt.date(2024, 1, 1))
    period = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert indicators.count("producers_strengthened", unit(NA_RI), *period) == 0
    grant(province_admin, product.producer, source(province_admin), 5_000_000, dt.date(2026, 2, 1))
    assert indicators.count("producers_strengthened", unit(NA_RI), *period) == 1
    assert indicators.count("producers_strengthened", unit(CHO_DON), *period) == 0
