"""The indicators the activities feed, counted against hand-built records: by area (with the former
Bắc Kạn communes counting for the new Thái Nguyên) and by period; each records function lists
exactly what its number counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ocop.accounts.models import Role, RoleAssignment
from ocop.activities import services
from ocop.planning import indicators
from tests.conftest import CHO_DON, CON_MINH_LEGACY, HA_NOI, NA_RI, THAI_NGUYEN
from tests.factories import make_user

from .helpers import HANOI_COMMUNE, area, article, course, event, make_product, sales_point

pytestmark = pytest.mark.django_db

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CODES = (
    "sales_points",
    "promotion_participations",
    "officials_trained_share",
    "producers_trained",
    "articles_published",
)


def count(code, path, period):
    return indicators.count(code, area(path) if path else None, *period)


def records(code, path, period):
    return list(indicators.get(code).records(area(path) if path else None, *period))


def test_the_activities_register_their_counters_with_records():
    for code in CODES:
        counter = indicators.get(code)
        assert counter is not None and counter.records is not None, code


def test_sales_points_open_at_the_end_of_the_period(province_admin, hanoi_admin):
    nari = sales_point(province_admin, NA_RI, name="Điểm OCOP Na Rì", opened_on=dt.date(2025, 9, 1))
    sales_point(
        province_admin,
        CHO_DON,
        name="Điểm OCOP Chợ Đồn (đã đóng)",
        opened_on=dt.date(2024, 1, 1),
        closed_on=dt.date(2025, 6, 1),
    )
    legacy = sales_point(
        province_admin, CON_MINH_LEGACY, name="Điểm OCOP Côn Minh", opened_on=dt.date(2023, 5, 1)
    )
    sales_point(hanoi_admin, HANOI_COMMUNE, name="Điểm OCOP Hà Nội", opened_on=dt.date(2024, 1, 1))
    assert count("sales_points", THAI_NGUYEN, Y2025) == 2  # Na Rì and the former commune of Côn Minh
    assert {p.pk for p in records("sales_points", THAI_NGUYEN, Y2025)} == {nari.pk, legacy.pk}
    # At the end of May 2025 the Chợ Đồn point was still open and Na Rì's not yet.
    may = (dt.date(2025, 1, 1), dt.date(2025, 5, 31))
    assert {p.name for p in records("sales_points", THAI_NGUYEN, may)} == {
        "Điểm OCOP Chợ Đồn (đã đóng)",
        "Điểm OCOP Côn Minh",
    }
    assert count("sales_points", NA_RI, Y2025) == 1
    assert count("sales_points", CHO_DON, Y2025) == 0
    assert count("sales_points", HA_NOI, Y2025) == 1
    assert count("sales_points", None, Y2025) == 3


def test_promotion_participations_by_the_producers_commune_and_the_events_start(province_admin):
    nari_one = make_product(province_admin, "Miến dong Tài Hoan")
    nari_two = make_product(province_admin, "Mật ong Na Rì")
    chodon = make_product(province_admin, "Chè Chợ Đồn", commune=CHO_DON)
    fair = event(province_admin, start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 14))
    week = event(
        province_admin,
        name="Tuần hàng OCOP Bắc Kạn tại Hà Nội",
        kind="ocop_week",
        place="outside",
        start_date=dt.date(2025, 12, 29),
        end_date=dt.date(2026, 1, 2),
    )
    for product in (nari_one, nari_two, chodon):
        services.add_participation(
            province_admin, fair, {"producer": product.producer, "products": [product]}
        )
    services.add_participation(province_admin, week, {"producer": nari_one.producer})
    assert count("promotion_participations", THAI_NGUYEN, Y2026) == 3
    assert count("promotion_participations", NA_RI, Y2026) == 2
    assert count("promotion_participations", CHO_DON, Y2026) == 1
    assert count("promotion_participations", THAI_NGUYEN, Y2025) == 1  # the week started in 2025
    assert [p.event_id for p in records("promotion_participations", NA_RI, Y2025)] == [week.pk]
    assert count("promotion_participations", HA_NOI, Y2026) == 0


def test_officials_trained_share(province_admin, nari_officer, chodon_officer):
    officer = make_user("tinh.ocop", "province_officer", THAI_NGUYEN)
    department = make_user("sct.ocop", "department_officer", THAI_NGUYEN)
    retired = make_user("xa.cu", "commune_officer", NA_RI)
    RoleAssignment.objects.filter(user=retired).update(valid_until=dt.date(2025, 12, 31))
    hanoi = make_user("hn.xa", "commune_officer", HA_NOI)
    # Officials: nari, chodon, officer, department (province_admin holds no officer role; the
    # retired one's assignment ended before 2026).
    c = course(province_admin, start_date=dt.date(2026, 4, 2), end_date=dt.date(2026, 4, 3))
    services.add_attendee(province_admin, c, {"kind": "official", "user": nari_officer})
    services.add_attendee(province_admin, c, {"kind": "official", "user": officer})
    services.add_attendee(province_admin, c, {"kind": "official", "user": province_admin})
    services.add_attendee(province_admin, c, {"kind": "other", "name": "Khách mời"})
    assert count("officials_trained_share", THAI_NGUYEN, Y2026) == Decimal("50.0")
    assert {u.pk for u in records("officials_trained_share", THAI_NGUYEN, Y2026)} == {
        nari_officer.pk,
        officer.pk,
    }
    assert count("officials_trained_share", NA_RI, Y2026) == Decimal("100.0")
    assert count("officials_trained_share", CHO_DON, Y2026) == Decimal("0")
    assert count("officials_trained_share", THAI_NGUYEN, Y2025) == Decimal("0")  # 0 of 5 in 2025
    assert count("officials_trained_share", HA_NOI, Y2026) == Decimal("0")
    # The whole country: two of five (nari, chodon, officer, department and the Hà Nội officer).
    assert count("officials_trained_share", None, Y2026) == Decimal("40.0")
    assert hanoi.pk not in {u.pk for u in records("officials_trained_share", None, Y2026)}
    assert department.pk and Role.objects.filter(code="department_officer").exists()


def test_producers_trained_counts_each_producer_once(province_admin):
    nari = make_product(province_admin, "Miến dong Tài Hoan")
    chodon = make_product(province_admin, "Chè Chợ Đồn", commune=CHO_DON)
    first = course(province_admin, audience="producers", title="Tập huấn bao bì, nhãn mác")
    second = course(
        province_admin,
        audience="producers",
        title="Tập huấn thương mại điện tử",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 1),
    )
    old = course(
        province_admin,
        audience="producers",
        title="Tập huấn 2025",
        start_date=dt.date(2025, 9, 1),
        end_date=dt.date(2025, 9, 2),
    )
    services.add_attendee(province_admin, first, {"kind": "producer", "producer": nari.producer})
    services.add_attendee(province_admin, second, {"kind": "producer", "producer": nari.producer})
    services.add_attendee(province_admin, second, {"kind": "producer", "producer": chodon.producer})
    services.add_attendee(province_admin, old, {"kind": "producer", "producer": chodon.producer})
    assert count("producers_trained", THAI_NGUYEN, Y2026) == 2
    assert count("producers_trained", NA_RI, Y2026) == 1
    assert [p.pk for p in records("producers_trained", CHO_DON, Y2025)] == [chodon.producer_id]
    assert count("producers_trained", NA_RI, Y2025) == 0


def test_articles_published_in_the_period(province_admin, nari_officer):
    for month in (1, 1, 2, 7):
        article(province_admin, title=f"Tin OCOP tháng {month}", published_on=dt.date(2025, month, 15))
    article(nari_officer, NA_RI, title="Tin OCOP xã Na Rì", published_on=dt.date(2025, 3, 1))
    article(province_admin, title="Tin năm 2024", published_on=dt.date(2024, 12, 31))
    assert count("articles_published", THAI_NGUYEN, Y2025) == 5
    assert count("articles_published", NA_RI, Y2025) == 1
    q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert [a.title for a in records("articles_published", THAI_NGUYEN, q1)] == [
        "Tin OCOP tháng 1",
        "Tin OCOP tháng 1",
        "Tin OCOP tháng 2",
        "Tin OCOP xã Na Rì",
    ]
