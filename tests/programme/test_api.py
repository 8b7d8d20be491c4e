"""The API: the same path as the screens, through the same services, within the caller's scope."""

import pytest
from django.urls import reverse

from ocop.evaluation.scoring import SheetTree
from ocop.programme import services
from ocop.programme.models import Dossier

from .helpers import CONTENT, commune_complete, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.programme.urls")]


def test_a_producer_files_a_dossier_through_the_api(client, owner, nari_officer, province_admin, product):
    client.force_login(owner)
    response = client.post(
        reverse("programme_api:start_product_dossier"),
        {"product_id": product.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    dossier_id = body["id"]
    assert body["state"] == "draft" and body["content"]["producer_name"] == "HTX Miến dong Tài Hoan"
    assert {p["code"] for p in body["problems"]} >= {"field", "assessment", "business_registration"}
    patch = dict(CONTENT)
    response = client.patch(
        reverse("programme_api:update_dossier_content", args=[dossier_id]),
        patch,
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["content"]["history"] == CONTENT["history"]
    dossier = Dossier.objects.get(pk=dossier_id)
    tree = SheetTree.load(dossier.versions.get().sheet)
    answers = {tree.keys[n.id]: {"option_id": max(n.options, key=lambda o: o[2])[0]} for n in tree.scorable}
    response = client.put(
        reverse("programme_api:set_dossier_assessment", args=[dossier_id]),
        {"answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "assessment" not in {p["code"] for p in response.json()["problems"]}
    # Filing without the business registration: refused, with the reason.
    response = client.post(reverse("programme_api:submit_product_dossier", args=[dossier_id]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    services.add_evidence(
        owner, dossier, {"kind": "legal", "paper": "business_registration", "title": "Đăng ký"}, upload=pdf()
    )
    response = client.post(reverse("programme_api:submit_product_dossier", args=[dossier_id]))
    assert response.status_code == 200 and response.json()["state"] == "at_commune"
    assert response.json()["standing"]["deadline"] == response.json()["commune_deadline"]
    # The producer cannot do the commune's step.
    response = client.post(reverse("programme_api:propose_dossier", args=[dossier_id]))
    assert response.status_code == 403
    client.force_login(nari_officer)
    dossier.refresh_from_db()
    commune_complete(nari_officer, dossier)
    response = client.post(reverse("programme_api:propose_dossier", args=[dossier_id]))
    assert response.status_code == 200 and response.json()["state"] == "at_province"
    client.force_login(province_admin)
    response = client.post(
        reverse("programme_api:return_dossier_for_completion", args=[dossier_id]),
        {"reason": "Bổ sung phiếu kiểm nghiệm.", "target": "producer"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["return_reason"] == "Bổ sung phiếu kiểm nghiệm."
    listed = client.get(reverse("programme_api:list_dossiers"), {"state": "returned"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == dossier_id


def test_ideas_through_the_api(client, owner, nari_officer, product):
    client.force_login(owner)
    response = client.post(
        reverse("programme_api:create_product_idea"),
        {
            "producer_id": product.producer_id,
            "product_name": "Bún khô",
            "description": "Bún gạo khô.",
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["state"] == "submitted"
    idea_id = response.json()["id"]
    client.force_login(nari_officer)
    response = client.post(
        reverse("programme_api:review_product_idea", args=[idea_id]),
        {"decision": "return", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        reverse("programme_api:review_product_idea", args=[idea_id]),
        {"decision": "accept"},
        content_type="application/json",
    )
    assert response.json()["state"] == "accepted"
    plans = client.get(reverse("programme_api:list_business_plans")).json()
    assert plans["count"] == 1 and plans["items"][0]["idea_id"] == idea_id


def test_cycles_and_overdue_through_the_api(client, province_admin, nari_officer, unit):
    from tests.conftest import THAI_NGUYEN

    cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    client.force_login(nari_officer)  # a commune sees its province's cycle
    body = client.get(reverse("programme_api:get_programme_cycle", args=[cycle.pk])).json()
    assert [s["step"] for s in body["steps"]][:2] == ["publicise", "ideas"]
    assert {(r["level"], r["number"]) for r in body["rounds"]} == {
        ("province", 1),
        ("province", 2),
        ("ministry", 1),
        ("ministry", 2),
    }
    assert client.get(reverse("programme_api:list_overdue_steps")).json() == []
