"""The REST API: auth (token and session), scope, structured errors, pagination, OpenAPI."""

import pytest

from ocop.accounts import services
from tests.conftest import CHO_DON, CON_MINH_LEGACY, NA_RI

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def token(nari_officer):
    _token, raw = services.create_token(nari_officer, name="test")
    return raw


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_anonymous_requests_get_a_structured_401(client):
    response = client.get(f"{API}/places/")
    assert response.status_code == 401
    assert response.json()["detail"] and response.json()["errors"] == []


def test_bad_or_revoked_token_is_refused(client, token, nari_officer):
    assert client.get(f"{API}/places/", headers=bearer(token + "x")).status_code == 401
    services.revoke_token(nari_officer, nari_officer.api_tokens.get())
    assert client.get(f"{API}/places/", headers=bearer(token)).status_code == 401


def test_token_search_places_without_diacritics(client, token):
    response = client.get(f"{API}/places/", {"q": "cho don"}, headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert [i["name"] for i in body["items"]][:2] == ["Huyện Chợ Đồn", "Xã Chợ Đồn"]
    assert body["page"] == 1 and body["count"] >= 2


def test_pagination_and_filters(client, token, unit):
    response = client.get(
        f"{API}/places/",
        {"level": 1, "valid_on": "2026-01-01", "page_size": 10, "page": 4},
        headers=bearer(token),
    )
    body = response.json()
    assert body["count"] == 34 and len(body["items"]) == 4


def test_successors_and_predecessors(client, token, unit):
    legacy = unit(CON_MINH_LEGACY)
    successors = client.get(f"{API}/places/{legacy.pk}/successors", headers=bearer(token)).json()
    assert successors[0]["successor"]["name"] == "Xã Côn Minh" and successors[0]["is_default"]
    new_id = successors[0]["successor"]["id"]
    predecessors = client.get(f"{API}/places/{new_id}/predecessors", headers=bearer(token)).json()
    assert legacy.pk in {p["predecessor"]["id"] for p in predecessors}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page_size": 100000}, "page_size"),
        ({"level": 7}, "level"),
        ({"valid_on": "31/02/2025"}, "valid_on"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_malformed_requests_get_field_level_422(client, token, params, field):
    response = client.get(f"{API}/places/", params, headers=bearer(token))
    assert response.status_code == 422
    body = response.json()
    assert field in {e["field"] for e in body["errors"]}
    assert all(e["message"] for e in body["errors"])


def test_unknown_place_is_a_structured_404(client, token):
    response = client.get(f"{API}/places/99999999", headers=bearer(token))
    assert response.status_code == 404 and response.json()["detail"]


def test_place_by_official_code(client, token):
    body = client.get(f"{API}/places/by-code/02185", headers=bearer(token)).json()
    assert (body["name"], body["edition"]) == ("Xã Côn Minh", "2025")
    legacy = client.get(f"{API}/places/by-code/066", {"edition": "legacy"}, headers=bearer(token)).json()
    assert legacy["name"] == "Huyện Na Rì"
    missing = client.get(f"{API}/places/by-code/99999", headers=bearer(token))
    assert missing.status_code == 404 and "99999" in missing.json()["detail"]
    malformed = client.get(f"{API}/places/by-code/abc", headers=bearer(token))
    assert malformed.status_code == 422 and malformed.json()["detail"]


def test_me_shows_roles_and_scope(client, token):
    body = client.get(f"{API}/accounts/me", headers=bearer(token)).json()
    assert body["username"] == "xa.nari"
    assert body["permissions_scope"] == {"commune_officer": [NA_RI]}
    assert body["role_assignments"][0]["area"]["name"] == "Xã Na Rì"


def test_users_are_scoped(client, token, chodon_officer, nari_officer):
    body = client.get(f"{API}/accounts/users", headers=bearer(token)).json()
    assert {u["username"] for u in body["items"]} == {"xa.nari"}
    assert client.get(f"{API}/accounts/users/{chodon_officer.pk}", headers=bearer(token)).status_code == 404


def test_users_need_the_view_permission(client, db):
    from tests.factories import make_user

    producer = make_user("htx.a", "producer", CHO_DON)
    _t, raw = services.create_token(producer, name="x")
    assert client.get(f"{API}/accounts/users", headers=bearer(raw)).status_code == 403
    assert client.get(f"{API}/audit/events", headers=bearer(raw)).status_code == 403


def test_session_auth_for_the_browser(client, nari_officer):
    client.force_login(nari_officer)
    assert client.get(f"{API}/accounts/me").json()["username"] == "xa.nari"


def test_inactive_users_cannot_use_their_tokens_or_sessions(client, token, nari_officer):
    nari_officer.is_active = False
    nari_officer.save()
    assert client.get(f"{API}/accounts/me", headers=bearer(token)).status_code == 401


def test_audit_events_api_is_scoped(client, token, unit):
    from django.db import transaction

    from ocop.audit import services as audit

    with transaction.atomic():
        audit.record(actor=None, action="other", object_type="t.t", object_repr="ở Na Rì", area=unit(NA_RI))
        audit.record(
            actor=None, action="other", object_type="t.t", object_repr="ở Chợ Đồn", area=unit(CHO_DON)
        )
    body = client.get(f"{API}/audit/events", {"object_type": "t.t"}, headers=bearer(token)).json()
    assert [e["object_repr"] for e in body["items"]] == ["ở Na Rì"]


def test_openapi_document_lists_the_endpoints(client):
    doc = client.get(f"{API}/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {
        f"{API}/places/",
        f"{API}/places/{{unit_id}}",
        f"{API}/accounts/me",
        f"{API}/audit/events",
    } <= set(doc["paths"])
    assert "bearer" in str(doc["components"]["securitySchemes"]).lower()


def test_interactive_docs_work_offline(client):
    page = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_a_query_of_punctuation_only_lists_everything(client, token):
    response = client.get(f"{API}/places/", {"q": ":-,", "page_size": 1}, headers=bearer(token))
    assert response.status_code == 200 and response.json()["count"] > 14000


def test_nul_characters_are_refused_not_crashing_the_database(client, token, nari_officer):
    response = client.get(f"{API}/audit/events", {"object_type": "a\x00b"}, headers=bearer(token))
    assert response.status_code == 400 and response.json()["detail"]
    client.force_login(nari_officer)
    assert client.get("/places/", {"q": "na\x00ri"}).status_code == 400
