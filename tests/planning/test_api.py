"""The planning API: the same services and validation as the screens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.planning.models import EnteredValue, Target
from tests.conftest import BAC_KAN_LEGACY, CON_MINH_LEGACY, NA_RI, NA_RI_DISTRICT

from .factories import make_plan
from .helpers import certify, producer, product, unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_targets_progress_and_tasks(client, province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY)
    client.force_login(province_admin)
    url = reverse("api:set_plan_targets", args=[plan.pk])
    bad = {
        "targets": [
            {"indicator": "new_products_3star", "area_id": unit(BAC_KAN_LEGACY).pk, "value": "20"},
            {"indicator": "new_products_3star", "area_id": unit("2025/01/").pk, "value": "1"},
        ]
    }
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400 and "outside the plan" in response.json()["errors"][0]["message"]
    assert not Target.objects.exists()
    response = client.post(
        url, {"targets": [{"indicator": "nope", "area_id": 1, "value": 1}]}, content_type="application/json"
    )
    assert response.status_code == 400
    good = {
        "targets": [
            {"indicator": "new_products_3star", "area_id": unit(BAC_KAN_LEGACY).pk, "value": "20"},
            {"indicator": "new_products_3star", "area_id": unit(NA_RI_DISTRICT).pk, "value": "3"},
        ]
    }
    assert client.post(url, good, content_type="application/json").json() == {
        "created": 2,
        "updated": 0,
        "deleted": 0,
    }
    certify(product(producer(CON_MINH_LEGACY)), 4, D(2024, 5, 1))
    rows = client.get(reverse("api:get_plan_progress", args=[plan.pk]), {"as_of": "2024-12-31"}).json()
    assert [(r["area_id"], r["target"], r["actual"], r["light"]) for r in rows] == [
        (unit(BAC_KAN_LEGACY).pk, "20.00", "1", "red"),
        (unit(NA_RI_DISTRICT).pk, "3.00", "1", "red"),
    ]
    response = client.post(
        reverse("api:create_plan_task", args=[plan.pk]),
        {"title": "Tập huấn", "responsible": "VPĐP", "deadline": "2024-03-31"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["overdue"] is True
    task_id = response.json()["id"]
    response = client.post(
        reverse("api:report_on_task", args=[task_id]),
        {"progress": 100, "text": "Xong", "date": "2024-03-30"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "done"
    assert response.json()["overdue"] is False and len(response.json()["reports"]) == 1
    codes = [i["code"] for i in client.get(reverse("api:list_indicators")).json()]
    assert "new_products_3star" in codes and "ocop_revenue" in codes


def test_entered_values_refuse_counted_indicators(client, nari_officer):
    client.force_login(nari_officer)
    url = reverse("api:create_entered_value")
    data = {
        "indicator": "products_traceable",
        "area_id": unit(NA_RI).pk,
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
        "value": "5",
    }
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 400 and not EnteredValue.objects.exists()
    response = client.post(url, {**data, "indicator": "ocop_workers"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["entered_by"] == nari_officer.username
    listed = client.get(reverse("api:list_entered_values")).json()
    assert listed["count"] == 1
