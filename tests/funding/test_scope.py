"""Scope: the commune officer of Chợ Đồn can neither see nor change Na Rì's funding sources,
grants, disbursements or assets through the screens or the API, and its totals leave them out; an
anonymous visitor is sent to the login page (401 in the API). Every route of the funding app is
walked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ocop.funding import services
from ocop.funding.models import Disbursement, FundingSource, StateAsset, SupportGrant
from tests.conftest import NA_RI
from tests.scope_cases import Case, anonymous_failures, app_routes, call

from .helpers import grant, make_product, pay, source

pytestmark = pytest.mark.django_db

SECRET = "BI-MAT-NA-RI"
AMOUNT = 987_654_321  # shown as 987.654.321 wherever it leaks


@pytest.fixture
def secrets(province_admin, unit):
    product = make_product(province_admin, f"Miến {SECRET}")
    src = source(province_admin, unit(NA_RI), name=f"Nguồn {SECRET}")
    g = grant(
        province_admin, product.producer, src, AMOUNT, description=SECRET, decision_number=f"{SECRET}/QĐ"
    )
    pay(province_admin, g, 1_000_000)
    asset = services.create_asset(
        province_admin,
        {
            "producer": product.producer,
            "name": f"Máy {SECRET}",
            "value": Decimal(AMOUNT),
            "decision_number": SECRET,
            "handed_on": dt.date(2025, 7, 5),
        },
    )
    return {"product": product, "source": src, "grant": g, "asset": asset}


def cases(s) -> dict[str, Case]:
    src, g, a, producer = s["source"].pk, s["grant"].pk, s["asset"].pk, s["product"].producer_id
    grant_form = {
        "producer": producer,
        "kind": "training",
        "decision_number": "x",
        "decision_date": "2026-01-01",
        "approved_amount": "1000",
        "source": src,
        "responsible_unit": "x",
    }
    asset_form = {
        "producer": producer,
        "name": "x",
        "quantity": 1,
        "value": "1",
        "decision_number": "x",
        "handed_on": "2026-01-01",
        "condition": "good",
    }
    return {
        "funding:source_list": Case(expect="absent"),
        "funding:source_create": Case(
            "post",
            data={"kind": "other", "name": "x", "year": 2026, "area": s["source"].area_id},
            expect="refused",
        ),
        "funding:source_detail": Case(kwargs={"pk": src}),
        "funding:source_edit": Case("post", {"pk": src}, {"kind": "other", "name": "x", "year": 2026}),
        "funding:grant_list": Case(expect="absent"),
        "funding:grant_create": Case("post", data=grant_form, expect="refused"),
        "funding:grant_detail": Case(kwargs={"pk": g}),
        "funding:grant_edit": Case("post", {"pk": g}, grant_form),
        "funding:disbursement_add": Case("post", {"pk": g}, {"date": "2026-03-01", "amount": "1000"}),
        "funding:asset_list": Case(expect="absent"),
        "funding:asset_create": Case("post", data=asset_form, expect="refused"),
        "funding:asset_detail": Case(kwargs={"pk": a}),
        "funding:asset_edit": Case("post", {"pk": a}, asset_form),
        "funding:asset_end": Case(
            "post", {"pk": a}, {"state": "written_off", "ended_on": "2026-01-01", "end_reason": "x"}
        ),
        "funding:totals": Case(expect="absent"),
        "api:list_funding_sources": Case(expect="absent"),
        "api:get_funding_source": Case(kwargs={"source_id": src}),
        "api:create_funding_source": Case(
            "post",
            data={"kind": "other", "name": "x", "year": 2026, "area_id": s["source"].area_id},
            json=True,
        ),
        "api:list_support_grants": Case(expect="absent"),
        "api:get_support_grant": Case(kwargs={"grant_id": g}),
        "api:create_support_grant": Case(
            "post",
            data={
                "producer_id": producer,
                "kind": "training",
                "decision_number": "x",
                "decision_date": "2026-01-01",
                "approved_amount": 1000,
                "source_id": src,
                "responsible_unit": "x",
            },
            json=True,
        ),
        "api:add_grant_disbursement": Case(
            "post", {"grant_id": g}, {"date": "2026-03-01", "amount": 1000}, json=True
        ),
        "api:list_state_assets": Case(expect="absent"),
        "api:get_state_asset": Case(kwargs={"asset_id": a}),
        "api:create_state_asset": Case(
            "post",
            data={
                "producer_id": producer,
                "name": "x",
                "value": 1,
                "decision_number": "x",
                "handed_on": "2026-01-01",
            },
            json=True,
        ),
        "api:end_state_asset": Case(
            "post",
            {"asset_id": a},
            {"state": "written_off", "ended_on": "2026-01-01", "end_reason": "x"},
            json=True,
        ),
        "api:get_funding_totals": Case(expect="absent"),
    }


def routes() -> set[str]:
    from ocop.funding.api import router

    return app_routes("funding", router=router)


def _state():
    return (
        list(FundingSource.objects.values_list("pk", "name", "kind")),
        list(SupportGrant.objects.values_list("pk", "approved_amount", "kind")),
        Disbursement.objects.count(),
        list(StateAsset.objects.values_list("pk", "state", "name")),
    )


def _leaks(body: str) -> bool:
    return SECRET in body or "987.654.321" in body or "987654321" in body


def test_every_funding_route_is_walked(secrets):
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
        if case.expect == "absent" and (response.status_code not in (200, 403) or _leaks(body)):
            failures.append(f"{name}: {response.status_code}, leaked={_leaks(body)}")
    assert failures == []
    assert _state() == before
    for name in ("funding:source_list", "funding:grant_list", "funding:asset_list"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(name), {"export": fmt})
            assert response.status_code == 200 and SECRET.encode() not in response.content
    response = client.get(reverse("funding:totals"), {"export": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(response.content))
    values = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    assert AMOUNT not in values and not any(SECRET in str(v) for v in values)


def test_the_nari_officer_and_the_producer_see_them(client, nari_officer, secrets):
    from tests.factories import make_user

    owner = make_user("htx.bimat", "producer", NA_RI)
    secrets["product"].producer.accounts.add(owner)
    for user in (nari_officer, owner):
        client.force_login(user)
        assert SECRET in client.get(secrets["grant"].get_absolute_url()).content.decode()
        assert SECRET in client.get(secrets["asset"].get_absolute_url()).content.decode()
    client.force_login(nari_officer)
    assert "987.654.321" in client.get(reverse("funding:totals")).content.decode()
    response = client.post(
        reverse("funding:disbursement_add", args=[secrets["grant"].pk]),
        {"date": "2026-03-01", "amount": "1000"},
    )
    assert response.status_code in (403, 404) and Disbursement.objects.count() == 1


def test_anonymous_visitors_are_sent_to_login(client, secrets):
    assert anonymous_failures(client, cases(secrets)) == []
