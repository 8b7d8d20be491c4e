"""Scope: the commune officer of Chợ Đồn can neither see nor change Na Rì's promotion events,
sales points, courses and articles (or their participants, assessments, attendees) through the
screens or the API; an anonymous visitor is sent to the login page (401 in the API), except on
the public news page. Every route of the activities is walked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.activities import services
from ocop.activities.api import router
from ocop.activities.models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    SalesPointAssessment,
    TrainingCourse,
)
from ocop.registry.models import MarketplaceListing
from tests.conftest import NA_RI
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .helpers import area, article, course, event, make_product, sales_point

pytestmark = pytest.mark.django_db

SECRET = "BI-MAT-NA-RI"


@pytest.fixture
def secrets(province_admin, nari_officer):
    product = make_product(province_admin, f"Miến {SECRET}")
    e = event(nari_officer, NA_RI, name=f"Phiên chợ {SECRET}")
    participation = services.add_participation(
        nari_officer, e, {"producer": product.producer, "products": [product]}
    )
    point = sales_point(nari_officer, NA_RI, name=f"Điểm bán {SECRET}", products=[product])
    services.assess_sales_point(
        nari_officer,
        point,
        {
            "checklist_version": "920-2019",
            "assessed_on": dt.date(2025, 10, 1),
            "answers": dict.fromkeys(
                ("location", "products_quality", "products_ocop", "origin", "signage", "display", "staff"),
                True,
            ),
        },
    )
    c = course(nari_officer, NA_RI, title=f"Lớp {SECRET}", level="commune")
    attendee = services.add_attendee(nari_officer, c, {"kind": "official", "user": nari_officer})
    a = article(nari_officer, NA_RI, title=f"Tin {SECRET}", public=False)
    MarketplaceListing.objects.create(product=product, platform="shopee", url=f"https://shopee.vn/{SECRET}")
    return {
        "area": area(NA_RI),
        "product": product,
        "event": e,
        "participation": participation,
        "point": point,
        "course": c,
        "attendee": attendee,
        "article": a,
    }


def cases(s) -> dict[str, Case]:
    e, p, c, a = s["event"].pk, s["point"].pk, s["course"].pk, s["article"].pk
    area_id = s["area"].pk
    common = {"area": area_id, "responsible_unit": "x"}
    api_common = {"area_id": area_id, "responsible_unit": "x"}
    return {
        "activities:event_list": Case(expect="absent"),
        "activities:event_create": Case(
            "post",
            data={
                **common,
                "name": "x",
                "kind": "fair",
                "start_date": "2026-01-01",
                "end_date": "2026-01-01",
                "place": "inside",
                "venue": "x",
                "organiser": "x",
            },
            expect="refused",
        ),
        "activities:event_detail": Case(kwargs={"pk": e}),
        "activities:event_edit": Case(kwargs={"pk": e}),
        "activities:participation_add": Case("post", {"pk": e}, {"producer": s["product"].producer_id}),
        "activities:participation_edit": Case(kwargs={"pk": s["participation"].pk}),
        "activities:participation_remove": Case("post", {"pk": s["participation"].pk}),
        "activities:salespoint_list": Case(expect="absent"),
        "activities:salespoint_create": Case(
            "post",
            data={
                **common,
                "name": "x",
                "location_kind": "market",
                "address": "x",
                "operator": "x",
                "opened_on": "2026-01-01",
            },
            expect="refused",
        ),
        "activities:salespoint_detail": Case(kwargs={"pk": p}),
        "activities:salespoint_edit": Case(kwargs={"pk": p}),
        "activities:assessment_add": Case("post", {"pk": p}, {"checklist_version": "920-2019"}),
        "activities:listing_list": Case(expect="absent"),
        "activities:course_list": Case(expect="absent"),
        "activities:course_create": Case(
            "post",
            data={
                **common,
                "title": "x",
                "topic": "x",
                "audience": "officials",
                "level": "commune",
                "start_date": "2026-01-01",
                "end_date": "2026-01-01",
                "organiser": "x",
            },
            expect="refused",
        ),
        "activities:course_detail": Case(kwargs={"pk": c}),
        "activities:course_edit": Case(kwargs={"pk": c}),
        "activities:attendee_add": Case("post", {"pk": c}, {"kind": "other", "name": "x"}),
        "activities:attendee_remove": Case("post", {"pk": s["attendee"].pk}),
        "activities:article_list": Case(expect="absent"),
        "activities:article_create": Case(
            "post",
            data={**common, "title": "x", "outlet": "x", "kind": "web", "published_on": "2026-01-01"},
            expect="refused",
        ),
        "activities:article_detail": Case(kwargs={"pk": a}),
        "activities:article_edit": Case(kwargs={"pk": a}),
        # The API.
        "api:list_promotion_events": Case(expect="absent"),
        "api:get_promotion_event": Case(kwargs={"event_id": e}),
        "api:create_promotion_event": Case(
            "post",
            data={
                **api_common,
                "name": "x",
                "kind": "fair",
                "start_date": "2026-01-01",
                "end_date": "2026-01-01",
                "venue": "x",
                "organiser": "x",
            },
            json=True,
        ),
        "api:update_promotion_event": Case("patch", {"event_id": e}, {"name": "x"}, json=True),
        "api:add_event_participation": Case(
            "post", {"event_id": e}, {"producer_id": s["product"].producer_id}, json=True
        ),
        "api:remove_event_participation": Case("delete", {"participation_id": s["participation"].pk}),
        "api:list_sales_points": Case(expect="absent"),
        "api:get_sales_point": Case(kwargs={"point_id": p}),
        "api:create_sales_point": Case(
            "post",
            data={
                **api_common,
                "name": "x",
                "location_kind": "market",
                "address": "x",
                "operator": "x",
                "opened_on": "2026-01-01",
            },
            json=True,
        ),
        "api:update_sales_point": Case("patch", {"point_id": p}, {"name": "x"}, json=True),
        "api:assess_sales_point": Case(
            "post",
            {"point_id": p},
            {"checklist_version": "920-2019", "assessed_on": "2026-01-01", "answers": {}},
            json=True,
        ),
        "api:list_sales_point_criteria": Case(expect="reference"),
        "api:list_marketplace_listings": Case(expect="absent"),
        "api:online_listing_share": Case(expect="absent"),
        "api:list_training_courses": Case(expect="absent"),
        "api:get_training_course": Case(kwargs={"course_id": c}),
        "api:create_training_course": Case(
            "post",
            data={
                **api_common,
                "title": "x",
                "topic": "x",
                "audience": "officials",
                "level": "commune",
                "start_date": "2026-01-01",
                "end_date": "2026-01-01",
                "organiser": "x",
            },
            json=True,
        ),
        "api:update_training_course": Case("patch", {"course_id": c}, {"title": "x"}, json=True),
        "api:add_course_attendee": Case("post", {"course_id": c}, {"kind": "other", "name": "x"}, json=True),
        "api:remove_course_attendee": Case("delete", {"attendee_id": s["attendee"].pk}),
        "api:list_outreach_articles": Case(expect="absent"),
        "api:get_outreach_article": Case(kwargs={"article_id": a}),
        "api:create_outreach_article": Case(
            "post",
            data={**api_common, "title": "x", "outlet": "x", "kind": "web", "published_on": "2026-01-01"},
            json=True,
        ),
        "api:update_outreach_article": Case("patch", {"article_id": a}, {"title": "x"}, json=True),
    }


PUBLIC = {"activities:public_news"}


def routes() -> set[str]:
    return app_routes("activities", router=router)


def _state():
    return (
        PromotionEvent.objects.values_list("name", flat=True).order_by("pk").first(),
        SalesPoint.objects.values_list("name", flat=True).order_by("pk").first(),
        TrainingCourse.objects.values_list("title", flat=True).order_by("pk").first(),
        OutreachArticle.objects.values_list("title", flat=True).order_by("pk").first(),
        PromotionEvent.objects.count(),
        SalesPoint.objects.count(),
        TrainingCourse.objects.count(),
        OutreachArticle.objects.count(),
        EventParticipation.objects.count(),
        SalesPointAssessment.objects.count(),
        CourseAttendee.objects.count(),
    )


def test_every_activities_route_is_walked(secrets):
    assert sorted(routes() - set(cases(secrets)) - PUBLIC) == []


def test_chodon_cannot_see_or_change_nari(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    before = _state()
    failures = []
    for name, case in cases(secrets).items():
        response = call(client, case, name)
        body = response.content.decode(errors="replace")
        if case.expect == "denied" and response.status_code not in (403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "refused" and response.status_code not in (400, 403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect in ("absent", "reference") and (
            response.status_code not in (200, 403) or SECRET in body
        ):
            failures.append(f"{name}: {response.status_code}, leaked={SECRET in body}")
    assert failures == []
    assert _state() == before
    for url in (
        "/activities/events/",
        "/activities/sales-points/",
        "/activities/courses/",
        "/activities/articles/",
        "/activities/listings/",
    ):
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code == 200 and SECRET.encode() not in response.content, url
    # The public news page shows nothing of an article not marked public.
    assert SECRET not in client.get(reverse("activities:public_news")).content.decode()


def test_the_nari_officer_sees_them(client, nari_officer, secrets):
    client.force_login(nari_officer)
    for name in (
        "activities:event_detail",
        "activities:salespoint_detail",
        "activities:course_detail",
        "activities:article_detail",
    ):
        key = {
            "activities:event_detail": "event",
            "activities:salespoint_detail": "point",
            "activities:course_detail": "course",
            "activities:article_detail": "article",
        }[name]
        assert client.get(reverse(name, args=[secrets[key].pk])).status_code == 200, name
    for url in (
        "/activities/events/",
        "/activities/sales-points/",
        "/activities/courses/",
        "/activities/articles/",
        "/activities/listings/",
        "/api/v1/activities/events",
    ):
        assert SECRET in client.get(url).content.decode(), url


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets)) == []
    assert client.get(reverse("activities:public_news")).status_code == 200
