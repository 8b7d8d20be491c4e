"""What the public may reach: only published products holding a certificate, nothing internal."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.registry import services

from .conftest import EMAIL, NOTE, PRIVATE_PHONE, REPRESENTATIVE, TAX_CODE, certify

pytestmark = pytest.mark.django_db


def public_bodies(client, *paths):
    """The text of every public page and file, for "never appears anywhere" checks."""
    bodies = {}
    for path in ("/catalogue/", "/catalogue/open-data/", *paths):
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    csv_response = client.get("/catalogue/open-data/products.csv")
    bodies["csv"] = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    bodies["json"] = client.get("/catalogue/open-data/products.json").content.decode()
    return bodies


def listed_names(client, **params):
    return [p.name for p in client.get("/catalogue/", params).context["products"]]


def open_data_names(client):
    return [p["name"] for p in client.get("/catalogue/open-data/products.json").json()["products"]]


@pytest.fixture
def hidden(db, province_admin, producer, make_product):
    """Products the public must not reach, each for another reason."""
    today = timezone.localdate()
    unpublished = make_product(producer, "Miến dong chưa công bố", stars=5, published=False)
    uncertified = make_product(producer, "Miến dong chưa chứng nhận", stars=None)
    future = make_product(producer, "Miến dong sắp chứng nhận", stars=None)
    certify(future, 3, issued=today + dt.timedelta(days=10))
    return {"unpublished": unpublished, "uncertified": uncertified, "future": future}


def test_anonymous_visitors_reach_the_catalogue_without_signing_in(client, product):
    for path in (
        "/catalogue/",
        f"/catalogue/products/{product.pk}/",
        f"/catalogue/producers/{product.producer_id}/",
        "/catalogue/open-data/",
        "/catalogue/open-data/products.csv",
        "/catalogue/open-data/products.json",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, f"{path} set {list(response.cookies)}"


def test_unpublished_and_uncertified_products_are_unreachable(client, product, hidden):
    assert listed_names(client) == ["Miến dong Tài Hoan"]
    assert listed_names(client, q="mien dong") == ["Miến dong Tài Hoan"]
    assert open_data_names(client) == ["Miến dong Tài Hoan"]
    csv_text = b"".join(client.get("/catalogue/open-data/products.csv").streaming_content).decode("utf-8-sig")
    for item in hidden.values():
        assert client.get(f"/catalogue/products/{item.pk}/").status_code == 404
        assert item.name not in csv_text
        for body in public_bodies(client, f"/catalogue/products/{product.pk}/").values():
            assert item.name not in body


def test_an_expired_certificate_keeps_the_page_but_not_the_listing(client, producer, make_product):
    old = make_product(producer, "Miến dong hết hạn", stars=None)
    certify(old, 3, issued=dt.date(2019, 1, 1))
    assert listed_names(client) == []
    assert open_data_names(client) == []
    page = client.get(f"/catalogue/products/{old.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="not-in-force"' in body and 'data-status="expired"' in body
    assert '<meta name="robots" content="noindex">' in body
    # The producer has nothing certified today: no producer page, and no link to it.
    assert client.get(f"/catalogue/producers/{producer.pk}/").status_code == 404
    assert 'data-testid="producer-link"' not in body


def test_withdrawn_and_unpublished_later_disappear(client, province_admin, product):
    services.set_lifecycle(province_admin, product, "withdrawn", "Ngừng sản xuất")
    assert listed_names(client) == [] and open_data_names(client) == []
    services.set_lifecycle(province_admin, product, "active")
    assert listed_names(client) == ["Miến dong Tài Hoan"]
    services.update_product(province_admin, product, {"published": False})
    assert listed_names(client) == []
    assert client.get(f"/catalogue/products/{product.pk}/").status_code == 404
    assert client.get(f"/catalogue/producers/{product.producer_id}/").status_code == 404


def test_unknown_ids_are_404_in_the_public_layout(client, product, hidden):
    for path in (
        "/catalogue/products/999999999/",
        "/catalogue/producers/999999999/",
        f"/catalogue/products/{hidden['unpublished'].pk}/",
    ):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 404, path
        assert 'data-testid="not-found"' in body and 'data-testid="catalogue-home"' in body
        assert not response.cookies and "csrfmiddlewaretoken" not in body
        assert hidden["unpublished"].name not in body


def test_a_private_phone_and_internal_fields_never_appear(client, product, chodon_producer, make_product):
    make_product(chodon_producer, "Chè Shan tuyết", stars=3)
    pages = (f"/catalogue/products/{product.pk}/", f"/catalogue/producers/{product.producer_id}/")
    for where, body in public_bodies(client, *pages).items():
        for secret in (PRIVATE_PHONE, PRIVATE_PHONE.replace(" ", ""), "0987 654 321", TAX_CODE, EMAIL, NOTE):
            assert secret not in body, f"{secret} in {where}"
        assert REPRESENTATIVE not in body, where
        assert "/registry/" not in body, where


def test_a_published_phone_is_shown(client, province_admin, product):
    services.update_producer(province_admin, product.producer, {"publish_phone": True})
    for path in (f"/catalogue/products/{product.pk}/", f"/catalogue/producers/{product.producer_id}/"):
        body = client.get(path).content.decode()
        assert 'data-testid="producer-phone"' in body and PRIVATE_PHONE in body, path
    row = client.get("/catalogue/open-data/products.json").json()["products"][0]
    assert row["producer_phone"] == PRIVATE_PHONE


def test_photos_are_served_only_for_public_products(client, product, producer, make_product, photo):
    shown = photo(product)
    for size in ("thumb", "full"):
        response = client.get(f"/catalogue/products/{product.pk}/photos/{shown.pk}/{size}/")
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "public" in response["Cache-Control"] and response["ETag"]
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        again = client.get(
            f"/catalogue/products/{product.pk}/photos/{shown.pk}/{size}/", HTTP_IF_NONE_MATCH=response["ETag"]
        )
        assert again.status_code == 304
    assert client.get(f"/catalogue/products/{product.pk}/photos/{shown.pk}/huge/").status_code == 404

    unpublished = make_product(producer, "Miến dong chưa công bố", stars=5, published=False)
    uncertified = make_product(producer, "Miến dong chưa chứng nhận", stars=None)
    for other in (unpublished, uncertified):
        hidden_photo = photo(other)
        assert (
            client.get(f"/catalogue/products/{other.pk}/photos/{hidden_photo.pk}/thumb/").status_code == 404
        )
        # Nor through a public product's URL.
        assert (
            client.get(f"/catalogue/products/{product.pk}/photos/{hidden_photo.pk}/thumb/").status_code == 404
        )


def test_illustrative_records_are_badged(client, province_admin, producer, make_product):
    demo = make_product(producer, "Sản phẩm minh họa 001", stars=3, is_illustrative=True)
    card = client.get("/catalogue/").content.decode()
    page = client.get(f"/catalogue/products/{demo.pk}/").content.decode()
    for body in (card, page):
        assert 'data-testid="illustrative"' in body and "minh họa" in body
    assert open_data_names(client) == ["Sản phẩm minh họa 001"]
    assert json.loads(client.get("/catalogue/open-data/products.json").content)["products"][0][
        "is_illustrative"
    ]


def test_certificate_notes_and_scores_stay_internal(client, product):
    product.certificates.update(score="88.50")
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert NOTE not in body and "88.5" not in body and "88,5" not in body
    assert reverse("certification:verify", args=[product.certificates.get().public_id]) in body


def test_private_fields_cannot_be_searched_for(client, product):
    assert listed_names(client, q="tai hoan") == ["Miến dong Tài Hoan"]
    for private in (TAX_CODE, REPRESENTATIVE, "trieu thi hoan", EMAIL):
        assert listed_names(client, q=private) == [], private
