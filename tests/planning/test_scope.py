"""Scope: the commune officer of Chợ Đồn can neither see nor change Na Rì's plans, tasks, entered
values or records behind an actual through the screens or the API; an anonymous visitor is sent to
the login page (401 in the API). Every route of the planning app is walked."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.urls import reverse

from ocop.planning import services
from ocop.planning.models import EnteredValue, Plan, PlanTask, Target, TaskReport
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .factories import indicator, make_plan, set_target
from .helpers import certify, producer, product, unit

pytestmark = pytest.mark.django_db

SECRET = "BI-MAT-NA-RI"
D = dt.date


@pytest.fixture
def secrets(province_admin, nari_officer):
    plan = make_plan(
        province_admin,
        NA_RI,
        number=f"12/KH-{SECRET}",
        title=f"Kế hoạch {SECRET}",
        period_start=D(2025, 7, 1),
        period_end=D(2025, 12, 31),
        issued_on=D(2025, 7, 10),
    )
    target = set_target(province_admin, plan, "new_products_3star", NA_RI, 3)
    task = services.add_task(province_admin, plan, {"title": f"Nhiệm vụ {SECRET}", "responsible": "UBND xã"})
    entry = services.enter_value(
        nari_officer,
        {
            "indicator": indicator("ocop_revenue"),
            "area": unit(NA_RI),
            "period_start": D(2025, 7, 1),
            "period_end": D(2025, 9, 30),
            "value": 1000,
            "note": SECRET,
        },
    )
    item = product(producer(NA_RI, f"HTX {SECRET}", registration_date=D(2025, 8, 1)), f"Sản phẩm {SECRET}")
    certify(item, 3, D(2025, 9, 1))
    return {"plan": plan, "target": target, "task": task, "entry": entry, "area": unit(NA_RI)}


def cases(s) -> dict[str, Case]:
    p, t, area = s["plan"].pk, s["task"].pk, s["area"].pk
    records = f"?indicator=new_products_3star&area={area}&start=2025-07-01&end=2025-12-31"
    return {
        "planning:plan_list": Case(expect="absent"),
        "planning:plan_create": Case(
            "post",
            data={
                "kind": "plan",
                "number": "1/KH",
                "title": "x",
                "issuing_body": "x",
                "issued_on": "2025-07-01",
                "period_start": "2025-07-01",
                "period_end": "2025-12-31",
                "area": area,
            },
            expect="refused",
        ),
        "planning:plan_detail": Case(kwargs={"pk": p}),
        "planning:plan_edit": Case(kwargs={"pk": p}),
        "planning:plan_targets": Case("post", {"pk": p}, {f"t-{s['target'].indicator_id}-{area}": "9"}),
        "planning:task_create": Case("post", {"pk": p}, {"title": "x", "responsible": "x", "status": "done"}),
        "planning:plan_progress_export": Case(kwargs={"pk": p, "fmt": "csv"}),
        "planning:plan_state": Case("post", {"pk": p, "action": "in-force"}),
        "planning:task_edit": Case(kwargs={"pk": t}),
        "planning:task_report": Case("post", {"pk": t}, {"progress": 50, "text": "x"}),
        "planning:records": Case(query=records),
        "planning:indicator_list": Case(expect="reference"),
        "planning:entered_list": Case(expect="absent"),
        "planning:entered_create": Case(
            "post",
            data={
                "indicator": indicator("ocop_revenue").pk,
                "area": area,
                "period_start": "2025-07-01",
                "period_end": "2025-09-30",
                "value": "5",
            },
            expect="refused",
        ),
        # The API (mounted by the project at /api/v1/planning/).
        "api:list_indicators": Case(expect="reference"),
        "api:list_plans": Case(expect="absent"),
        "api:get_plan": Case(kwargs={"plan_id": p}),
        "api:list_plan_targets": Case(kwargs={"plan_id": p}),
        "api:set_plan_targets": Case(
            "post",
            {"plan_id": p},
            {"targets": [{"indicator": "new_products_3star", "area_id": area, "value": 9}]},
            json=True,
        ),
        "api:get_plan_progress": Case(kwargs={"plan_id": p}),
        "api:list_plan_tasks": Case(kwargs={"plan_id": p}),
        "api:create_plan_task": Case("post", {"plan_id": p}, {"title": "x", "responsible": "x"}, json=True),
        "api:report_on_task": Case("post", {"task_id": t}, {"progress": 50, "text": "x"}, json=True),
        "api:list_entered_values": Case(expect="absent"),
        "api:create_entered_value": Case(
            "post",
            data={
                "indicator": "ocop_revenue",
                "area_id": area,
                "period_start": "2025-07-01",
                "period_end": "2025-09-30",
                "value": "5",
            },
            json=True,
            expect="refused",
        ),
    }


def routes() -> set[str]:
    return app_routes("planning", router=importlib.import_module("ocop.planning.api").router)


def _state(s):
    return (
        Plan.objects.get(pk=s["plan"].pk).state,
        list(Target.objects.values_list("value", flat=True)),
        PlanTask.objects.count(),
        TaskReport.objects.count(),
        EnteredValue.objects.count(),
        Plan.objects.count(),
    )


def test_every_planning_route_is_walked(secrets):
    assert sorted(routes() - set(cases(secrets))) == []


def test_chodon_cannot_see_or_change_nari(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    failures = []
    before = _state(secrets)
    for name, case in cases(secrets).items():
        response = call(client, case, name)
        body = response.content.decode(errors="replace")
        if case.expect == "denied" and response.status_code not in (403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "refused" and response.status_code not in (400, 403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect in ("absent", "reference") and (response.status_code != 200 or SECRET in body):
            failures.append(f"{name}: {response.status_code}, leaked={SECRET in body}")
    assert failures == []
    assert _state(secrets) == before
    for url in ("/planning/plans/", "/planning/entered/"):
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code == 200 and SECRET.encode() not in response.content


def test_the_nari_officer_sees_them(client, nari_officer, secrets):
    client.force_login(nari_officer)
    plan = secrets["plan"]
    body = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert SECRET in body
    assert SECRET in client.get(reverse("planning:plan_list")).content.decode()
    assert SECRET in client.get(reverse("planning:entered_list")).content.decode()
    rows = client.get(reverse("api:get_plan_progress", args=[plan.pk])).json()
    assert [(r["indicator"], r["actual"]) for r in rows] == [("new_products_3star", "1")]
    url = rows[0]["records_url"]
    assert SECRET in client.get(url).content.decode()


def test_a_province_plan_shows_a_commune_only_its_own_rows(client, province_admin, chodon_officer):
    plan = make_plan(
        province_admin,
        THAI_NGUYEN,
        title="Kế hoạch của tỉnh",
        period_start=D(2025, 7, 1),
        period_end=D(2025, 12, 31),
    )
    set_target(province_admin, plan, "new_products_3star", CHO_DON, 2)
    set_target(province_admin, plan, "new_products_3star", NA_RI, 7)
    client.force_login(chodon_officer)
    body = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert "Xã Chợ Đồn" in body and "Xã Na Rì" not in body
    targets = client.get(reverse("api:list_plan_targets", args=[plan.pk])).json()
    assert [t["area_id"] for t in targets] == [unit(CHO_DON).pk]
    progress = client.get(reverse("api:get_plan_progress", args=[plan.pk])).json()
    assert [r["area_id"] for r in progress] == [unit(CHO_DON).pk]
    export = client.get(reverse("planning:plan_progress_export", args=[plan.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert "Xã Chợ Đồn" in export and "Xã Na Rì" not in export
    # Nor can the commune change the province's plan.
    assert client.get(reverse("planning:plan_edit", args=[plan.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets)) == []
