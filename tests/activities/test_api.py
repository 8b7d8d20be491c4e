"""The activities' API: the same services as the screens, the same errors, the caller's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.activities.models import EventParticipation, SalesPointAssessment
from tests.conftest import CHO_DON, THAI_NGUYEN

from .helpers import area, make_product, sales_point

pytestmark = pytest.mark.django_db


def post(client, name, data, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), data, content_type="application/json")


def test_an_event_and_its_participants_through_the_api(client, province_admin):
    one = make_product(province_admin, "Miến dong Tài Hoan")
    two = make_product(province_admin, "Chè Chợ Đồn", commune=CHO_DON)
    client.force_login(province_admin)
    data = {
        "area_id": area(THAI_NGUYEN).pk,
        "responsible_unit": "Sở Công Thương",
        "name": "Tuần hàng OCOP tại Hà Nội",
        "kind": "ocop_week",
        "place": "outside",
        "start_date": "2026-10-01",
        "end_date": "2026-09-28",
        "venue": "Hà Nội",
        "organiser": "Sở Công Thương",
    }
    response = post(client, "api:create_promotion_event", data)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "end_date"
    response = post(client, "api:create_promotion_event", {**data, "end_date": "2026-10-05"})
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    for product in (one, two):
        response = post(
            client,
            "api:add_event_participation",
            {"producer_id": product.producer_id, "product_ids": [product.pk], "contracts_signed": 2},
            event_id=event_id,
        )
        assert response.status_code == 201, response.content
    body = client.get(reverse("api:get_promotion_event", args=[event_id])).json()
    assert body["participants"] == 2 and {p["producer_id"] for p in body["participations"]} == {
        one.producer_id,
        two.producer_id,
    }
    response = post(
        client,
        "api:add_event_participation",
        {"producer_id": one.producer_id, "product_ids": [two.pk]},
        event_id=event_id,
    )
    assert response.status_code == 400 and EventParticipation.objects.count() == 2
    listed = client.get(reverse("api:list_promotion_events"), {"place": "outside"}).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "Tuần hàng OCOP tại Hà Nội"


def test_assessing_a_sales_point_through_the_api(client, province_admin):
    point = sales_point(province_admin)
    client.force_login(province_admin)
    criteria = client.get(reverse("api:list_sales_point_criteria")).json()
    version = next(v for v in criteria if v["code"] == "950-2023")
    answers = {item["code"]: True for item in version["items"]}
    response = post(
        client,
        "api:assess_sales_point",
        {"checklist_version": "920-2019", "assessed_on": "2025-10-01", "answers": answers},
        point_id=point.pk,
    )
    assert response.status_code == 400 and not SalesPointAssessment.objects.exists()
    response = post(
        client,
        "api:assess_sales_point",
        {"checklist_version": "950-2023", "assessed_on": "2025-10-01", "answers": answers},
        point_id=point.pk,
    )
    assert response.status_code == 201
    assert response.json()["assessments"][0]["meets_criteria"] is True


def test_the_api_refuses_another_communes_records(client, chodon_officer, province_admin):
    point = sales_point(province_admin)  # in Na Rì
    client.force_login(chodon_officer)
    assert client.get(reverse("api:get_sales_point", args=[point.pk])).status_code == 404
    response = client.patch(
        reverse("api:update_sales_point", args=[point.pk]), {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.get(reverse("api:list_sales_points")).json()["count"] == 0
