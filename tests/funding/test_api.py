"""The funding API: a grant, its disbursements (refused beyond the approved amount), the totals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import source

pytestmark = pytest.mark.django_db


def test_grant_and_disbursements_through_the_api(client, province_admin, product):
    src = source(province_admin)
    client.force_login(province_admin)
    response = client.post(
        reverse("api:create_support_grant"),
        {
            "producer_id": product.producer_id,
            "product_id": product.pk,
            "kind": "traceability_stamps",
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2026-02-01",
            "approved_amount": 15000000,
            "source_id": src.pk,
            "responsible_unit": "Văn phòng Điều phối NTM",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    grant_id = response.json()["id"]
    url = reverse("api:add_grant_disbursement", args=[grant_id])
    response = client.post(url, {"date": "2026-03-01", "amount": 10000000}, content_type="application/json")
    assert response.status_code == 201 and response.json()["disbursed"] == "10000000"
    response = client.post(url, {"date": "2026-03-02", "amount": 6000000}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "amount"
    totals = client.get(reverse("api:get_funding_totals"), {"year": 2026}).json()
    assert totals["total"]["approved"] == "15000000" and totals["total"]["disbursed"] == "10000000"
    assert totals["by_year"][0]["label"] == "2026"
