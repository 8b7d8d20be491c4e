"""Registry API: same rules as the UI (services), scope, structured errors."""

import pytest

from ocop.accounts import services as accounts
from ocop.registry.models import Producer
from tests.conftest import CHO_DON, NA_RI

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


@pytest.fixture
def nari_token(nari_officer):
    return {"Authorization": f"Bearer {accounts.create_token(nari_officer, name='t')[1]}"}


def test_create_producer_and_product_through_the_api(client, nari_token, unit, category):
    response = client.post(
        f"{API}/producers",
        {
            "kind": "cooperative",
            "name": "HTX Quỳnh Trang",
            "tax_code": "4700123452",
            "commune_id": unit(NA_RI).pk,
        },
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 201, response.content
    producer = response.json()
    assert producer["commune"]["name"] == "Xã Na Rì"
    response = client.post(
        f"{API}/products",
        {
            "name": "Thịt lợn rừng lai",
            "producer_id": producer["id"],
            "category_id": category.pk,
            "commune_id": unit(NA_RI).pk,
        },
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 201
    assert response.json()["stars"] is None and response.json()["producer_name"] == "HTX Quỳnh Trang"


def test_service_errors_come_back_field_by_field(client, nari_token, unit, producer):
    response = client.post(
        f"{API}/producers",
        {
            "kind": "cooperative",
            "name": "Hợp tác xã Tài Hoan",
            "tax_code": "4700256579",
            "commune_id": unit(NA_RI).pk,
        },
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert "tax_code" in fields
    response = client.post(
        f"{API}/producers",
        {"kind": "cooperative", "name": "X", "commune_id": 99999999},
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "commune_id"
    response = client.post(
        f"{API}/producers",
        {"kind": "company", "name": "", "commune_id": "abc"},
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 422
    assert {"kind", "name", "commune_id"} <= {e["field"] for e in response.json()["errors"]}
    assert Producer.objects.count() == 1


def test_out_of_area_writes_are_forbidden(client, nari_token, unit):
    response = client.post(
        f"{API}/producers",
        {"kind": "household", "name": "Hộ A", "commune_id": unit(CHO_DON).pk},
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 403 and response.json()["detail"]


def test_patch_producer_changes_only_what_is_sent(client, nari_token, producer):
    response = client.patch(
        f"{API}/producers/{producer.pk}",
        {"members_count": 25},
        content_type="application/json",
        headers=nari_token,
    )
    assert response.status_code == 200
    producer.refresh_from_db()
    assert producer.members_count == 25 and producer.name == "HTX Tài Hoan"


def test_lists_are_scoped_and_searchable(client, nari_token, producer, chodon_producer):
    body = client.get(f"{API}/producers", {"q": "tai hoan"}, headers=nari_token).json()
    assert [p["name"] for p in body["items"]] == ["HTX Tài Hoan"]
    assert client.get(f"{API}/producers", headers=nari_token).json()["count"] == 1
    assert client.get(f"{API}/producers/{chodon_producer.pk}", headers=nari_token).status_code == 404


def test_product_list_with_stars_on_a_date(client, nari_token, product):
    import datetime as dt

    from ocop.certification.models import Certificate

    Certificate.objects.create(
        product=product,
        stars=5,
        issuing_level="ministry",
        issued_on=dt.date(2021, 6, 30),
        valid_until=dt.date(2024, 6, 29),
    )
    on_2022 = client.get(f"{API}/products", {"on": "2022-01-01", "stars": 5}, headers=nari_token).json()
    assert [p["name"] for p in on_2022["items"]] == ["Miến dong Tài Hoan"]
    assert client.get(f"{API}/products", {"stars": 5}, headers=nari_token).json()["count"] == 0


def test_categories_of_the_decision_in_force(client, nari_token):
    sets = client.get(f"{API}/categories", {"level": 3}, headers=nari_token).json()
    assert len(sets) == 26 and sets[0]["name"] == "Rau, củ, quả, hạt tươi" and sets[0]["scheme"] == "26-2026"


def test_the_product_list_shows_what_one_product_shows_in_a_fixed_number_of_queries(
    client, nari_token, province_admin, product, category, unit
):
    """The list reads only the columns ProductOut shows: each item is the product's own answer,
    and a page of three products costs what a page of one does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ocop.registry import services

    def listed():
        with CaptureQueriesContext(connection) as ctx:
            items = client.get(f"{API}/products", headers=nari_token).json()["items"]
        return items, len(ctx.captured_queries)

    listed()  # the token's first use is recorded
    items, queries = listed()
    assert items == [client.get(f"{API}/products/{product.pk}", headers=nari_token).json()]
    for name in ("Mật ong bạc hà", "Chè shan tuyết"):
        services.create_product(
            province_admin,
            {"name": name, "producer": product.producer, "category": category, "commune": unit(NA_RI)},
        )
    more, more_queries = listed()
    assert len(more) == 3 and more_queries == queries
    for item in more:
        assert item == client.get(f"{API}/products/{item['id']}", headers=nari_token).json()
