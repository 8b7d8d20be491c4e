"""Scope: the commune officer of Chợ Đồn can neither see nor change Na Rì's inspections, samples,
follow-ups, cases or standards through the screens or the API; an anonymous visitor is sent to the
login page (401 in the API). Every route of the quality app is walked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.quality import services
from ocop.quality.models import FollowUpAction, Inspection, InspectionCase, InspectionSample
from ocop.registry.models import ProductStandard
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .helpers import certify, inspect, make_product

pytestmark = pytest.mark.django_db

SECRET = "BI-MAT-NA-RI"


@pytest.fixture
def secrets(province_admin):
    product = make_product(province_admin, f"Miến {SECRET}")
    product.traceability_system = f"Tem {SECRET}"
    product.save()
    certify(product, 4, dt.date(2025, 1, 1))
    ProductStandard.objects.create(
        product=product, kind="vietgap", certificate_number=SECRET, expires_on=dt.date(2027, 1, 1)
    )
    inspection = inspect(province_admin, product, findings=SECRET, subject=SECRET)
    services.add_sample(province_admin, inspection, {"sample": SECRET, "test": "Độ ẩm"})
    action = services.add_action(
        province_admin, inspection, {"action": SECRET, "deadline": dt.date(2026, 4, 1)}
    )
    case = services.open_case(
        province_admin, inspection, {"product": product, "kind": "revocation", "note": SECRET}
    )
    return {"product": product, "inspection": inspection, "action": action, "case": case}


def cases(s) -> dict[str, Case]:
    i, a, c, p = s["inspection"].pk, s["action"].pk, s["case"].pk, s["product"].pk
    inspection_form = {
        "kind": "planned",
        "state": "done",
        "inspecting_body": "x",
        "responsible_unit": "x",
        "date": "2026-03-01",
        "producer": s["product"].producer_id,
        "outcome": "passed",
    }
    return {
        "quality:standard_list": Case(expect="absent"),
        "quality:traceability_list": Case(expect="absent"),
        "quality:qms_list": Case(expect="absent"),
        "quality:inspection_list": Case(expect="absent"),
        "quality:inspection_create": Case("post", data=inspection_form, expect="refused"),
        "quality:inspection_detail": Case(kwargs={"pk": i}),
        "quality:inspection_edit": Case("post", {"pk": i}, inspection_form),
        "quality:sample_add": Case("post", {"pk": i}, {"sample": "x", "test": "x"}),
        "quality:action_add": Case("post", {"pk": i}, {"action": "x", "deadline": "2026-05-01"}),
        "quality:action_done": Case("post", {"pk": i, "action_id": a}, {"done_on": "2026-03-20"}),
        "quality:case_open": Case("post", {"pk": i}, {"product": p, "kind": "reevaluation"}),
        "quality:case_revocation": Case(
            "post", {"pk": i, "case_id": c}, {"decision_number": "1/QĐ", "decision_date": "2026-03-20"}
        ),
        "api:list_product_standards": Case(expect="absent"),
        "api:list_traceability": Case(expect="absent"),
        "api:list_inspections": Case(expect="absent"),
        "api:get_inspection": Case(kwargs={"inspection_id": i}),
        "api:create_inspection": Case(
            "post",
            data={
                "kind": "planned",
                "inspecting_body": "x",
                "responsible_unit": "x",
                "date": "2026-03-01",
                "producer_id": s["product"].producer_id,
            },
            json=True,
        ),
        "api:update_inspection": Case("patch", {"inspection_id": i}, {"outcome": "passed"}, json=True),
        "api:add_inspection_sample": Case(
            "post", {"inspection_id": i}, {"sample": "x", "test": "x"}, json=True
        ),
        "api:add_follow_up_action": Case(
            "post", {"inspection_id": i}, {"action": "x", "deadline": "2026-05-01"}, json=True
        ),
        "api:complete_follow_up_action": Case(
            "post", {"inspection_id": i, "action_id": a}, {"done_on": "2026-03-20"}, json=True
        ),
        "api:open_inspection_case": Case(
            "post", {"inspection_id": i}, {"product_id": p, "kind": "reevaluation"}, json=True
        ),
        "api:record_case_revocation": Case(
            "post",
            {"inspection_id": i, "case_id": c},
            {"decision_number": "1/QĐ", "decision_date": "2026-03-20"},
            json=True,
        ),
    }


def routes() -> set[str]:
    from ocop.quality.api import router

    return app_routes("quality", router=router)


def _state():
    return (
        Inspection.objects.count(),
        list(Inspection.objects.values_list("outcome", "findings")),
        InspectionSample.objects.count(),
        list(FollowUpAction.objects.values_list("action", "done_on")),
        list(InspectionCase.objects.values_list("state", "dossier_id")),
    )


def test_every_quality_route_is_walked(secrets):
    assert sorted(routes() - set(cases(secrets))) == []


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
        if case.expect == "absent" and (response.status_code not in (200, 403) or SECRET in body):
            failures.append(f"{name}: {response.status_code}, leaked={SECRET in body}")
    assert failures == []
    assert _state() == before
    for name in (
        "quality:standard_list",
        "quality:traceability_list",
        "quality:qms_list",
        "quality:inspection_list",
    ):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(name), {"export": fmt})
            assert response.status_code == 200 and SECRET.encode() not in response.content


def test_the_nari_officer_and_the_producer_see_them(client, nari_officer, secrets):
    from tests.conftest import NA_RI
    from tests.factories import make_user

    owner = make_user("htx.bimat", "producer", NA_RI)
    secrets["product"].producer.accounts.add(owner)
    for user in (nari_officer, owner):
        client.force_login(user)
        assert SECRET in client.get(secrets["inspection"].get_absolute_url()).content.decode()
        assert (
            SECRET
            in client.get(reverse("api:get_inspection", args=[secrets["inspection"].pk])).content.decode()
        )
    client.force_login(nari_officer)
    assert SECRET in client.get(reverse("quality:standard_list")).content.decode()
    # The commune officer sees but may not change.
    response = client.post(
        reverse("quality:action_add", args=[secrets["inspection"].pk]),
        {"action": "y", "deadline": "2026-05-01"},
    )
    assert response.status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets)) == []
