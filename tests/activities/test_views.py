"""The activities' screens: forms that call the services (errors in place), lists with filters and
exports whose query counts do not grow with rows, the assessment checklist, the listing overview,
and the promotion evidence on the registry's product page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ocop.activities import checklist, services
from ocop.activities.models import EventParticipation, PromotionEvent, SalesPointAssessment
from ocop.registry.models import MarketplaceListing
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN

from .helpers import area, article, certify, course, event, make_product, sales_point

pytestmark = pytest.mark.django_db


def test_an_officer_records_a_fair_and_its_participants(client, province_admin):
    one = make_product(province_admin, "Miến dong Tài Hoan")
    two = make_product(province_admin, "Chè Chợ Đồn", commune=CHO_DON)
    client.force_login(province_admin)
    form = client.get(reverse("activities:event_create")).content.decode()
    assert 'list="id_responsible_unit-options"' in form and "Sở Công Thương" in form
    data = {
        "name": "Hội chợ OCOP Thái Nguyên 2026",
        "kind": "fair",
        "start_date": "2026-03-10",
        "end_date": "2026-03-14",
        "place": "inside",
        "venue": "TP Thái Nguyên",
        "organiser": "Sở Công Thương",
        "area": area(THAI_NGUYEN).pk,
        "responsible_unit": "Sở Công Thương",
    }
    bad = client.post(reverse("activities:event_create"), {**data, "end_date": "2026-03-01"})
    assert bad.status_code == 400 and not PromotionEvent.objects.exists()
    assert "The end date is before the start date." in bad.content.decode()
    response = client.post(reverse("activities:event_create"), data)
    fair = PromotionEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == fair.get_absolute_url()
    url = reverse("activities:participation_add", args=[fair.pk])
    for product in (one, two):
        client.post(url, {"producer": product.producer_id, "products": [product.pk], "contracts_signed": 1})
    page = client.get(fair.get_absolute_url()).content.decode()
    assert 'data-testid="participant-count">2<' in page
    assert "Miến dong Tài Hoan" in page and "Chè Chợ Đồn" in page
    # A second time is refused with a message, nothing added.
    response = client.post(url, {"producer": one.producer_id, "contracts_signed": 0}, follow=True)
    assert "already takes part" in response.content.decode()
    assert EventParticipation.objects.count() == 2
    # The registry's product page shows the evidence for the evaluation.
    page = client.get(one.get_absolute_url()).content.decode()
    assert 'data-testid="promotion-inside">1<' in page and "Hội chợ OCOP Thái Nguyên 2026" in page


def test_the_promotion_evidence_counts_events_by_where_they_were_held(client, province_admin):
    from ocop.activities.selectors import promotion_summary

    product = make_product(province_admin)
    for name, place, start in (
        ("Hội chợ tỉnh", "inside", dt.date(2025, 3, 1)),
        ("Tuần hàng tại Hà Nội", "outside", dt.date(2025, 6, 1)),
        ("Hội chợ Côn Minh (Trung Quốc)", "abroad", dt.date(2025, 9, 1)),
        ("Hội chợ tương lai", "outside", dt.date(2099, 1, 1)),
    ):
        e = event(province_admin, name=name, place=place, start_date=start, end_date=start)
        services.add_participation(province_admin, e, {"producer": product.producer, "products": [product]})
    other = event(province_admin, name="Không mang sản phẩm")
    services.add_participation(province_admin, other, {"producer": product.producer})
    summary = promotion_summary(product, until=dt.date(2026, 1, 1))
    assert (summary["inside"], summary["outside"], summary["abroad"], summary["total"]) == (1, 1, 1, 3)


def test_the_assessment_form_follows_its_version(client, province_admin):
    point = sales_point(province_admin)
    client.force_login(province_admin)
    page = client.get(point.get_absolute_url()).content.decode()
    assert 'name="item_ocop_share"' in page  # 950-2023 is in force today
    page = client.get(point.get_absolute_url(), {"version": "920-2019"}).content.decode()
    assert 'name="item_display"' in page and 'name="item_ocop_share"' not in page
    url = reverse("activities:assessment_add", args=[point.pk])
    # The 920-2019 checklist answered, claimed as 950-2023: refused.
    answers = {"item_location": "on", "item_display": "on", "item_signage": "on"}
    response = client.post(
        url,
        {"form_version": "920-2019", "checklist_version": "950-2023", "assessed_on": "2025-10-01", **answers},
        follow=True,
    )
    assert "not items of version 950-2023" in response.content.decode()
    assert not SalesPointAssessment.objects.exists()
    # Answered on its own version: stored, with the version; some required item unanswered → fails.
    client.post(
        url,
        {"form_version": "920-2019", "checklist_version": "920-2019", "assessed_on": "2025-10-01", **answers},
    )
    assessment = SalesPointAssessment.objects.get()
    assert assessment.checklist_version == "920-2019" and assessment.answers["display"] is True
    assert assessment.answers["origin"] is False and not assessment.meets_criteria
    page = client.get(point.get_absolute_url()).content.decode()
    assert "Quyết định số 920/QĐ-BCT" in page


def test_the_listing_overview_shows_the_share_of_certified_products_online(client, province_admin):
    listed = make_product(province_admin, "Miến dong Tài Hoan")
    unlisted = make_product(province_admin, "Mật ong Na Rì")
    uncertified = make_product(province_admin, "Bánh khảo")
    today = timezone.localdate()
    certify(listed, 4, today - dt.timedelta(days=30))
    certify(unlisted, 3, today - dt.timedelta(days=30))
    MarketplaceListing.objects.create(product=listed, platform="shopee", url="https://shopee.vn/mien-dong")
    MarketplaceListing.objects.create(
        product=uncertified, platform="lazada", url="https://lazada.vn/banh-khao", status="closed"
    )
    client.force_login(province_admin)
    page = client.get(reverse("activities:listing_list")).content.decode()
    assert 'data-testid="online-share-value">50.0<' in page
    assert "https://shopee.vn/mien-dong" in page and "https://lazada.vn/banh-khao" in page
    page = client.get(reverse("activities:listing_list"), {"status": "active"}).content.decode()
    assert "https://lazada.vn/banh-khao" not in page
    export = client.get(reverse("activities:listing_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][0] in ("Bánh khảo", "Miến dong Tài Hoan")


def test_lists_filter_and_export(client, province_admin):
    event(province_admin, name="Hội chợ 2025", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 2))
    event(province_admin, name="Tuần hàng 2026", kind="ocop_week", place="outside")
    client.force_login(province_admin)
    page = client.get(reverse("activities:event_list"), {"year": 2025}).content.decode()
    assert "Hội chợ 2025" in page and "Tuần hàng 2026" not in page
    page = client.get(reverse("activities:event_list"), {"place": "outside"}).content.decode()
    assert "Tuần hàng 2026" in page and "Hội chợ 2025" not in page
    page = client.get(reverse("activities:event_list"), {"q": "tuan hang"}).content.decode()
    assert "Tuần hàng 2026" in page and "Hội chợ 2025" not in page
    export = client.get(reverse("activities:event_list"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument"
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"per_page": 100}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/activities/events/",
        "/activities/sales-points/",
        "/activities/courses/",
        "/activities/articles/",
        "/activities/listings/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(client, province_admin, url):
    def add(start, n):
        for i in range(start, start + n):
            product = make_product(province_admin, f"Sản phẩm số {i}", commune=NA_RI if i % 2 else CHO_DON)
            e = event(province_admin, name=f"Hội chợ {i}")
            services.add_participation(
                province_admin, e, {"producer": product.producer, "products": [product]}
            )
            point = sales_point(province_admin, name=f"Điểm bán {i}", products=[product])
            services.assess_sales_point(
                province_admin,
                point,
                {
                    "checklist_version": "950-2023",
                    "assessed_on": dt.date(2025, 10, 1),
                    "answers": dict.fromkeys(checklist.get("950-2023").item_codes(), True),
                },
            )
            c = course(province_admin, title=f"Lớp {i}")
            services.add_attendee(province_admin, c, {"kind": "producer", "producer": product.producer})
            article(province_admin, title=f"Tin {i}")
            MarketplaceListing.objects.create(
                product=product, platform="shopee", url=f"https://shopee.vn/{i}"
            )

    client.force_login(province_admin)
    add(0, 2)
    few = _count(client, url)
    add(2, 8)
    assert _count(client, url) <= few


def test_the_commune_officer_sees_the_add_button_only_with_the_right(client, nari_officer, province_admin):
    from tests.factories import make_user

    client.force_login(nari_officer)
    assert reverse("activities:event_create") in client.get(reverse("activities:event_list")).content.decode()
    supervisor = make_user("giam.sat", "supervisor", THAI_NGUYEN)
    client.force_login(supervisor)
    page = client.get(reverse("activities:event_list")).content.decode()
    assert reverse("activities:event_create") not in page
    assert client.get(reverse("activities:event_create")).status_code == 403
