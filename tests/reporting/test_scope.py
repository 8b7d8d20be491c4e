"""Scope: the commune officer of Chợ Đồn sees no figure, report or file of Na Rì through the
screens or the API, and cannot request a report on it; an anonymous visitor is sent to the login
page (401 in the API). Every route of the reporting app is walked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.reporting import services
from ocop.reporting.models import Report
from ocop.reporting.summaries import rebuild
from tests.conftest import NA_RI, THAI_NGUYEN
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .helpers import products

pytestmark = pytest.mark.django_db

SECRET = "BIMAT"


@pytest.fixture(autouse=True)
def reports_dir(settings, tmp_path):
    settings.OCOP_REPORTS_DIR = str(tmp_path / "reports")


@pytest.fixture
def secrets(province_admin, nari_officer, unit):
    area = unit(NA_RI)
    products(province_admin, 3, NA_RI, issued=dt.date(2025, 8, 1), prefix=SECRET)
    report = services.request_report(nari_officer, {"kind": "annual", "area": area, "year": 2025})
    Report.objects.filter(pk=report.pk).update(title=f"Báo cáo {SECRET}")
    rebuild(unit(THAI_NGUYEN))
    return {"area": area, "report": Report.objects.get(pk=report.pk)}


def cases(s) -> dict[str, Case]:
    a, r = s["area"].pk, s["report"].pk
    return {
        "reporting:dashboard": Case(data={"area": a}),
        "reporting:map": Case(data={"area": a}),
        "reporting:report_list": Case(expect="absent"),
        "reporting:report_create": Case(
            "post", data={"kind": "annual", "year": 2025, "area": a}, expect="refused"
        ),
        "reporting:report_detail": Case(kwargs={"pk": r}),
        "reporting:report_file": Case(kwargs={"pk": r, "fmt": "docx"}),
        "api:get_summary": Case(data={"area_id": a}),
        "api:list_reports": Case(expect="absent"),
        "api:get_report": Case(kwargs={"report_id": r}),
        "api:request_report": Case(
            "post", data={"kind": "annual", "year": 2025, "area_id": a}, expect="refused", json=True
        ),
    }


API_NAMES = {"get_summary", "list_reports", "get_report", "request_report"}


def routes() -> set[str]:
    from ocop.reporting.api import router

    return app_routes("reporting", router=router)


def test_every_reporting_route_is_walked(secrets):
    assert sorted(routes() ^ set(cases(secrets))) == []


def test_chodon_cannot_see_or_request_nari(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    failures = []
    reports_before = Report.objects.count()
    for name, case in cases(secrets).items():
        response = call(client, case, name)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if case.expect == "denied" and response.status_code not in (403, 404):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "refused" and response.status_code not in (400, 403, 404, 422):
            failures.append(f"{name}: {response.status_code}")
        if case.expect == "absent" and (response.status_code not in (200, 403) or SECRET in body):
            failures.append(f"{name}: {response.status_code}, leaked={SECRET in body}")
    assert failures == []
    assert Report.objects.count() == reports_before
    # Their own dashboard counts nothing of Na Rì.
    board = client.get(reverse("reporting:dashboard")).context["board"]
    assert board.area.path == "2025/19/02020/" and board.total.value == 0
    assert client.get(reverse("api:get_summary")).json()["products"] == 0


def test_the_nari_officer_sees_them(client, nari_officer, secrets):
    client.force_login(nari_officer)
    board = client.get(reverse("reporting:dashboard")).context["board"]
    assert board.area.path == NA_RI and board.total.value == 3
    response = client.get(reverse("reporting:report_file", args=[secrets["report"].pk, "xlsx"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    assert SECRET in client.get(reverse("reporting:report_list")).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets)) == []
