"""Scope: the commune officer of Chợ Đồn can neither see nor change Na Rì's ideas, plans, dossiers
(or their files) through the screens or the API; a producer sees only their own; an anonymous
visitor is sent to the login page (401 in the API). Every route of the programme is walked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.programme import services
from ocop.programme.choices import StageState
from ocop.programme.models import BusinessPlan, Dossier, ProductIdea, ProgrammeCycle
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN
from tests.factories import make_user
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .helpers import fill, make_product, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.programme.urls")]

SECRET = "BI-MAT-NA-RI"


@pytest.fixture
def secrets(province_admin, nari_officer, unit):
    """Na Rì's records: a commune cycle, an idea, a plan with its attachment, a filed dossier with
    evidence, a province cycle with an open round (visible to the whole province)."""
    area = unit(NA_RI)
    product = make_product(province_admin, f"Miến {SECRET}")
    owner = make_user("htx.bimat", "producer", NA_RI)
    product.producer.accounts.add(owner)
    cycle = services.create_cycle(province_admin, {"year": 2027, "area": area, "name": f"Chu trình {SECRET}"})
    province_cycle = services.create_cycle(province_admin, {"year": 2027, "area": unit(THAI_NGUYEN)})
    round_ = province_cycle.rounds.get(level="province", number=1)
    idea = services.create_idea(
        owner,
        {"producer": product.producer, "product_name": f"Ý tưởng {SECRET}", "description": SECRET},
        submit=True,
    )
    services.review_idea(nari_officer, idea, "accept")
    plan = BusinessPlan.objects.get(idea=idea)
    attachment = services.add_plan_attachment(owner, plan, pdf(f"{SECRET}.pdf"), f"Tệp {SECRET}")
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier, {"history": SECRET})
    dossier = services.submit_dossier(owner, dossier)
    evidence = dossier.versions.get().evidence.first()
    return {
        "area": area,
        "product": product,
        "owner": owner,
        "cycle": cycle,
        "step": cycle.steps.first(),
        "round": round_,
        "idea": idea,
        "plan": plan,
        "attachment": attachment,
        "dossier": dossier,
        "evidence": evidence,
    }


def cases(s) -> dict[str, Case]:
    d, p, i = s["dossier"].pk, s["plan"].pk, s["idea"].pk
    return {
        "programme:dossier_list": Case(expect="absent"),
        "programme:overdue": Case(expect="absent"),
        "programme:cycle_list": Case(expect="absent"),
        "programme:cycle_create": Case("post", data={"year": 2028, "area": s["area"].pk}, expect="refused"),
        "programme:cycle_detail": Case(kwargs={"pk": s["cycle"].pk}),
        "programme:cycle_edit": Case(kwargs={"pk": s["cycle"].pk}),
        "programme:round_create": Case(kwargs={"pk": s["cycle"].pk}),
        "programme:cycle_action": Case("post", {"pk": s["cycle"].pk, "action": "start"}),
        "programme:step_edit": Case(kwargs={"pk": s["step"].pk}),
        "programme:step_action": Case("post", {"pk": s["step"].pk, "action": "start"}),
        "programme:round_action": Case("post", {"pk": s["round"].pk, "action": "open"}),
        "programme:idea_list": Case(expect="absent"),
        "programme:idea_create": Case(
            "post",
            data={
                "commune": s["area"].pk,
                "proposer_name": "x",
                "product_name": "x",
                "description": "x",
                "kind": "new",
            },
            expect="refused",
        ),
        "programme:idea_detail": Case(kwargs={"pk": i}),
        "programme:idea_edit": Case(kwargs={"pk": i}),
        "programme:idea_action": Case(
            "post", {"pk": i, "action": "review"}, {"decision": "reject", "reason": "x"}
        ),
        "programme:plan_list": Case(expect="absent"),
        "programme:plan_detail": Case(kwargs={"pk": p}),
        "programme:plan_edit": Case(kwargs={"pk": p}),
        "programme:plan_action": Case("post", {"pk": p, "action": "submit"}),
        "programme:plan_attachment_file": Case(kwargs={"pk": p, "attachment_id": s["attachment"].pk}),
        "programme:plan_attachment_action": Case(
            "post", {"pk": p, "attachment_id": s["attachment"].pk, "action": "detach"}
        ),
        "programme:dossier_create": Case(
            "post", data={"product": s["product"].pk, "kind": "first"}, expect="refused"
        ),
        "programme:dossier_detail": Case(kwargs={"pk": d}),
        "programme:dossier_edit": Case(kwargs={"pk": d}),
        "programme:dossier_assessment": Case(kwargs={"pk": d}),
        "programme:commune_report": Case(kwargs={"pk": d}),
        "programme:evidence_add": Case("post", {"pk": d}, {"kind": "other", "url": "https://x.vn"}),
        "programme:evidence_file": Case(kwargs={"pk": d, "evidence_id": s["evidence"].pk}),
        "programme:evidence_delete": Case("post", {"pk": d, "evidence_id": s["evidence"].pk}),
        "programme:dossier_version": Case(kwargs={"pk": d, "number": 1}),
        "programme:dossier_document": Case(kwargs={"pk": d, "form": "mau-02"}),
        "programme:dossier_document_pdf": Case(kwargs={"pk": d, "form": "mau-01"}),
        "programme:dossier_action": Case("post", {"pk": d, "action": "commune-return"}, {"reason": "x"}),
        # The API.
        "programme_api:list_programme_cycles": Case(expect="absent"),
        "programme_api:get_programme_cycle": Case(kwargs={"cycle_id": s["cycle"].pk}),
        "programme_api:list_product_ideas": Case(expect="absent"),
        "programme_api:get_product_idea": Case(kwargs={"idea_id": i}),
        "programme_api:create_product_idea": Case(
            "post",
            data={"commune_id": s["area"].pk, "proposer_name": "x", "product_name": "x", "description": "x"},
            json=True,
        ),
        "programme_api:submit_product_idea": Case("post", {"idea_id": i}),
        "programme_api:review_product_idea": Case(
            "post", {"idea_id": i}, {"decision": "reject", "reason": "x"}, json=True
        ),
        "programme_api:list_business_plans": Case(expect="absent"),
        "programme_api:get_business_plan": Case(kwargs={"plan_id": p}),
        "programme_api:list_dossiers": Case(expect="absent"),
        "programme_api:get_dossier": Case(kwargs={"dossier_id": d}),
        "programme_api:start_product_dossier": Case("post", data={"product_id": s["product"].pk}, json=True),
        "programme_api:update_dossier_content": Case("patch", {"dossier_id": d}, {"history": "x"}, json=True),
        "programme_api:set_dossier_assessment": Case("put", {"dossier_id": d}, {"answers": {}}, json=True),
        "programme_api:submit_product_dossier": Case("post", {"dossier_id": d}),
        "programme_api:new_dossier_version": Case("post", {"dossier_id": d}),
        "programme_api:return_dossier_to_producer": Case(
            "post", {"dossier_id": d}, {"reason": "x"}, json=True
        ),
        "programme_api:propose_dossier": Case("post", {"dossier_id": d}),
        "programme_api:return_dossier_for_completion": Case(
            "post", {"dossier_id": d}, {"reason": "x"}, json=True
        ),
        "programme_api:accept_product_dossier": Case("post", {"dossier_id": d}),
        "programme_api:assign_dossier_to_session": Case(
            "post", {"dossier_id": d}, {"round_id": s["round"].pk, "session_id": 1}, json=True
        ),
        "programme_api:list_overdue_steps": Case(expect="absent"),
    }


OWN = {"programme:my"}
# The test API's own documentation routes (the project's API has its own).
DOCS = {"programme_api:api-root", "programme_api:openapi-json", "programme_api:openapi-view"}


def routes() -> set[str]:
    return app_routes("programme", "programme_api")


def test_every_programme_route_is_walked(secrets):
    assert sorted(routes() - set(cases(secrets)) - OWN - DOCS) == []


def test_chodon_cannot_see_or_change_nari(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    failures = []
    before = (
        ProductIdea.objects.get(pk=secrets["idea"].pk).state,
        BusinessPlan.objects.get(pk=secrets["plan"].pk).attachments.count(),
        Dossier.objects.get(pk=secrets["dossier"].pk).state,
        ProgrammeCycle.objects.get(pk=secrets["cycle"].pk).state,
        Dossier.objects.count(),
        ProductIdea.objects.count(),
    )
    for name, case in cases(secrets).items():
        response = call(client, case, name)
        body = response.content.decode(errors="replace")
        if case.expect == "denied" and response.status_code not in (403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "refused" and response.status_code not in (400, 403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "absent" and (response.status_code not in (200, 403) or SECRET in body):
            failures.append(f"{name}: {response.status_code}, leaked={SECRET in body}")
    response = client.get(reverse("programme:my"))
    assert response.status_code == 200 and SECRET not in response.content.decode()
    assert failures == []
    after = (
        ProductIdea.objects.get(pk=secrets["idea"].pk).state,
        BusinessPlan.objects.get(pk=secrets["plan"].pk).attachments.count(),
        Dossier.objects.get(pk=secrets["dossier"].pk).state,
        ProgrammeCycle.objects.get(pk=secrets["cycle"].pk).state,
        Dossier.objects.count(),
        ProductIdea.objects.count(),
    )
    assert after == before
    for url in ("/programme/dossiers/", "/programme/ideas/", "/programme/plans/", "/programme/cycles/"):
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code == 200 and SECRET.encode() not in response.content


def test_the_nari_officer_and_the_producer_see_them(client, nari_officer, secrets):
    for user in (nari_officer, secrets["owner"]):
        client.force_login(user)
        for url in (
            reverse("programme:dossier_detail", args=[secrets["dossier"].pk]),
            reverse("programme:idea_detail", args=[secrets["idea"].pk]),
            reverse("programme:plan_detail", args=[secrets["plan"].pk]),
            reverse("programme_api:get_dossier", args=[secrets["dossier"].pk]),
        ):
            assert client.get(url).status_code == 200, url
        assert SECRET in client.get("/programme/dossiers/").content.decode()
        response = client.get(
            reverse("programme:evidence_file", args=[secrets["dossier"].pk, secrets["evidence"].pk])
        )
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Another producer's account sees none of it.
    stranger = make_user("htx.khac", "producer", CHO_DON)
    client.force_login(stranger)
    assert client.get(reverse("programme:dossier_detail", args=[secrets["dossier"].pk])).status_code == 404
    assert SECRET not in client.get(reverse("programme:my")).content.decode()
    assert SECRET not in client.get(reverse("programme_api:list_dossiers")).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets), api="programme_api:") == []


def test_round_actions_need_the_province(client, province_admin, secrets):
    """The province's office starts the cycle its round belongs to; the commune cannot."""
    cycle = secrets["round"].cycle
    client.force_login(province_admin)
    client.post(reverse("programme:cycle_action", args=[cycle.pk, "start"]))
    cycle.refresh_from_db()
    assert cycle.state == StageState.ACTIVE
