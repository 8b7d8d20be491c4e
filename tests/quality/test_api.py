"""The quality API: recording an inspection, refusals as 400 with the field, the case path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.quality.models import Inspection

from .helpers import certify

pytestmark = pytest.mark.django_db


def test_record_an_inspection_and_open_a_case_through_the_api(client, province_admin, product):
    certify(product, 3, dt.date(2025, 1, 1))
    client.force_login(province_admin)
    payload = {
        "kind": "ad_hoc",
        "state": "done",
        "inspecting_body": "Chi cục QLCL",
        "responsible_unit": "Sở Nông nghiệp và Môi trường",
        "date": "2026-03-01",
        "producer_id": product.producer_id,
        "product_ids": [product.pk],
        "outcome": "failed",
    }
    response = client.post(reverse("api:create_inspection"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    inspection_id = response.json()["id"]
    assert response.json()["product_ids"] == [product.pk]
    response = client.post(
        reverse("api:add_follow_up_action", args=[inspection_id]),
        {"action": "Sửa nhãn", "deadline": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "deadline"
    response = client.post(
        reverse("api:open_inspection_case", args=[inspection_id]),
        {"product_id": product.pk, "kind": "revocation"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["state"] == "open"
    detail = client.get(reverse("api:get_inspection", args=[inspection_id])).json()
    assert detail["cases"][0]["kind"] == "revocation"
    listed = client.get(reverse("api:list_inspections"), {"outcome": "failed"}).json()
    assert listed["count"] == 1 and Inspection.objects.count() == 1
