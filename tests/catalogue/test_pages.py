"""The public list (filters, search, htmx, pagination), the product and producer pages, caching."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ocop.registry import services
from ocop.registry.models import Product, ProductCategory
from tests.conftest import CHO_DON, CON_MINH_LEGACY, CON_MINH_NEW, NA_RI

from .conftest import certify

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["products"]]


@pytest.fixture
def catalogue(product, chodon_producer, make_product, tea_category):
    """Na Rì: Miến dong Tài Hoan 4★ (set 7). Chợ Đồn: Chè Shan tuyết 5★ (set 11), Măng khô 3★ (set 7)."""
    tea = make_product(chodon_producer, "Chè Shan tuyết Bằng Phúc", stars=5, category=tea_category)
    bamboo = make_product(chodon_producer, "Măng khô Chợ Đồn", stars=3)
    return {"mien": product, "tea": tea, "bamboo": bamboo}


def test_search_ignores_diacritics_and_case(client, catalogue):
    assert names(client.get("/catalogue/", {"q": "mien dong"})) == ["Miến dong Tài Hoan"]
    assert names(client.get("/catalogue/", {"q": "MIẾN   Dong"})) == ["Miến dong Tài Hoan"]
    assert names(client.get("/catalogue/", {"q": "che shan"})) == ["Chè Shan tuyết Bằng Phúc"]
    assert names(client.get("/catalogue/", {"q": "tai hoan"})) == ["Miến dong Tài Hoan"]  # the producer
    assert names(client.get("/catalogue/", {"q": "khong co"})) == []


def test_filter_by_stars(client, catalogue):
    assert names(client.get("/catalogue/", {"stars": 5})) == ["Chè Shan tuyết Bằng Phúc"]
    assert names(client.get("/catalogue/", {"stars": 4})) == ["Miến dong Tài Hoan"]
    assert len(names(client.get("/catalogue/", {"stars": "x"}))) == 3  # a bad value drops the filter


def test_filter_by_category_at_every_level(client, catalogue, category, tea_category):
    by_set = names(client.get("/catalogue/", {"category": category.pk}))
    assert set(by_set) == {"Măng khô Chợ Đồn", "Miến dong Tài Hoan"}
    assert names(client.get("/catalogue/", {"category": tea_category.pk})) == ["Chè Shan tuyết Bằng Phúc"]
    group = category.parent  # Thực phẩm chế biến
    assert set(names(client.get("/catalogue/", {"category": group.pk}))) == set(by_set)
    sector = group.parent  # Sản phẩm thực phẩm: both sets
    assert len(names(client.get("/catalogue/", {"category": sector.pk}))) == 3
    body = client.get("/catalogue/").content.decode()
    assert f'<option value="{sector.pk}">' in body and "26/2026/QĐ-TTg" in body


def test_products_under_1048_keep_their_own_category(
    client, province_admin, catalogue, chodon_producer, make_product
):
    old_set = ProductCategory.objects.get(scheme__code="1048-2019", level=3, code="12")  # Chè tươi, chế biến
    old = make_product(chodon_producer, "Chè xanh Thác Giềng", stars=3)
    Product.objects.filter(pk=old.pk).update(category=old_set)  # recognised under 1048 before 2023
    assert names(client.get("/catalogue/", {"category": old_set.pk})) == ["Chè xanh Thác Giềng"]
    assert names(client.get("/catalogue/", {"category": old_set.parent.parent.pk})) == ["Chè xanh Thác Giềng"]
    body = client.get("/catalogue/").content.decode()
    assert old_set.scheme.decision in body  # its own group of categories, and on its card
    page = client.get(f"/catalogue/products/{old.pk}/").content.decode()
    assert old_set.name in page and old_set.scheme.decision in page
    row = next(
        r for r in client.get("/catalogue/open-data/products.json").json()["products"] if r["id"] == old.pk
    )
    assert row["classification"] == old_set.scheme.decision and row["product_set"] == old_set.name


def test_filter_by_current_province_and_commune(client, catalogue, unit):
    assert len(names(client.get("/catalogue/", {"province": "19"}))) == 3
    na_ri = unit(NA_RI)
    assert names(client.get("/catalogue/", {"province": "19", "commune": na_ri.code})) == [
        "Miến dong Tài Hoan"
    ]
    cho_don = unit(CHO_DON)
    assert len(names(client.get("/catalogue/", {"province": "19", "commune": cho_don.code}))) == 2
    assert len(names(client.get("/catalogue/", {"province": "01"}))) == 3  # no product there: not a choice
    response = client.get("/catalogue/", {"province": "19"})
    assert [u.code for u in response.context["form"].places.provinces] == ["19"]
    assert {u.code for u in response.context["form"].places.communes} == {na_ri.code, cho_don.code}


def test_a_legacy_commune_is_shown_in_todays_unit_with_its_former_district(client, product, unit):
    # A record made in a commune of the earlier map (written as the demo loader writes them).
    Product.objects.filter(pk=product.pk).update(commune=unit(CON_MINH_LEGACY))
    con_minh = unit(CON_MINH_NEW)
    assert names(client.get("/catalogue/", {"province": "19", "commune": con_minh.code})) == [
        "Miến dong Tài Hoan"
    ]
    body = client.get("/catalogue/").content.decode()
    assert "Xã Côn Minh, Tỉnh Thái Nguyên" in body
    assert 'data-testid="former-district"' in body and "huyện Na Rì" in body
    row = client.get("/catalogue/open-data/products.json").json()["products"][0]
    assert (row["commune"], row["commune_code"], row["province"], row["former_district"]) == (
        "Xã Côn Minh",
        con_minh.code,
        "Tỉnh Thái Nguyên",
        "Huyện Na Rì",
    )


def test_a_current_commune_shows_the_districts_it_came_from(client, product):
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert "Xã Na Rì, Tỉnh Thái Nguyên" in body and "huyện Na Rì" in body


def test_sort_and_pagination(client, catalogue, chodon_producer, make_product):
    by_stars = names(client.get("/catalogue/", {"sort": "stars"}))
    assert by_stars[0] == "Chè Shan tuyết Bằng Phúc" and by_stars[-1] == "Măng khô Chợ Đồn"
    certify(catalogue["bamboo"], 3, issued=timezone.localdate() - dt.timedelta(days=1))  # renewed yesterday
    assert names(client.get("/catalogue/", {"sort": "newest"}))[0] == "Măng khô Chợ Đồn"
    for i in range(12):
        make_product(chodon_producer, f"Sản phẩm {i:02d}", stars=3)
    first = client.get("/catalogue/", {"per_page": 12})
    second = client.get("/catalogue/", {"per_page": 12, "page": 2})
    assert len(names(first)) == 12 and len(names(second)) == 3
    assert not set(names(first)) & set(names(second))
    assert 'data-testid="next-page"' in first.content.decode()


def test_htmx_gets_the_results_alone(client, catalogue, unit):
    response = client.get(
        "/catalogue/", {"province": "19"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalogue-results"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'data-testid="product-cards"' in body
    assert 'id="commune-filter" hx-swap-oob="true"' in body and unit(NA_RI).code in body
    assert "HX-Request" in response["Vary"]
    full = client.get("/catalogue/").content.decode()
    assert "<html" in full and 'hx-target="#catalogue-results"' in full


def test_query_count_does_not_grow_with_rows_or_page_size(
    client, producer, chodon_producer, make_product, photo
):
    def count(path, **params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, params)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    def add(n, start):
        for i in range(start, start + n):
            made = make_product(producer if i % 2 else chodon_producer, f"Sản phẩm {i:02d}", stars=3 + i % 3)
            photo(made)

    add(2, 0)
    few = {
        "list": count("/catalogue/", per_page=12),
        "filtered": count("/catalogue/", province="19", q="san pham", per_page=12),
        "csv": count("/catalogue/open-data/products.csv"),
        "json": count("/catalogue/open-data/products.json"),
    }
    add(20, 2)
    assert count("/catalogue/", per_page=12) == few["list"]
    assert count("/catalogue/", per_page=96) == few["list"]
    assert count("/catalogue/", province="19", q="san pham", per_page=96) == few["filtered"]
    assert count("/catalogue/open-data/products.csv") == few["csv"]
    assert count("/catalogue/open-data/products.json") == few["json"]
    assert len(client.get("/catalogue/open-data/products.json").json()["products"]) == 22


def test_public_pages_are_cacheable(client, product, photo):
    shown = photo(product)
    for path in (
        "/catalogue/",
        "/catalogue/?q=mien",
        f"/catalogue/products/{product.pk}/",
        f"/catalogue/producers/{product.producer_id}/",
        "/catalogue/open-data/",
        "/catalogue/open-data/products.csv",
        "/catalogue/open-data/products.json",
    ):
        response = client.get(path)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=300"} <= cache_control, path
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary, path
        assert "Set-Cookie" not in response.headers and not response.cookies, path
    photo_response = client.get(f"/catalogue/products/{product.pk}/photos/{shown.pk}/thumb/")
    assert photo_response["Cache-Control"].startswith("public") and not photo_response.cookies


def test_a_signed_in_officer_sees_the_same_public_pages(client, province_admin, product):
    client.force_login(province_admin)
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert "Miến dong Tài Hoan" in body and "csrfmiddlewaretoken" not in body
    assert 'data-testid="user-menu"' not in body  # no staff menu


def test_product_page(client, province_admin, product, photo, settings):
    settings.OCOP_MAP_TILES = "https://tiles.example.vn/{z}/{x}/{y}.png"
    shown = photo(product)
    services.add_child(
        province_admin, product, "listing", {"platform": "shopee", "url": "https://shopee.vn/mien-dong"}
    )
    services.add_child(
        province_admin,
        product,
        "listing",
        {"platform": "tiki", "url": "https://tiki.vn/mien-cu", "status": "closed"},
    )
    services.add_child(
        province_admin,
        product,
        "standard",
        {
            "kind": "vietgap",
            "issuer": "Trung tâm Chứng nhận",
            "certificate_number": "SO-NOI-BO-1",
            "expires_on": dt.date(2030, 1, 1),
        },
    )
    services.add_child(
        province_admin, product, "standard", {"kind": "haccp", "expires_on": dt.date(2020, 1, 1)}
    )
    services.add_child(province_admin, product, "ip", {"kind": "collective_mark", "name": "Miến dong Na Rì"})
    certificate = product.certificates.get()
    response = client.get(f"/catalogue/products/{product.pk}/")
    body = response.content.decode()
    assert "<title>Miến dong Tài Hoan 4★ · " in body
    assert '<meta name="description" content="Miến làm từ tinh bột dong riềng Na Rì.">' in body
    assert '<meta property="og:title" content="Miến dong Tài Hoan 4★">' in body
    og_image = f"https://ocop.example.gov.vn/catalogue/products/{product.pk}/photos/{shown.pk}/full/"
    assert f'<meta property="og:image" content="{og_image}">' in body
    assert "Nghề làm miến của người Tày." in body and "Túi 500 g" in body and "12 tháng" in body
    assert "https://truyxuat.example.vn/mien-dong" in body
    # Certificate: status, valid until, authority, and the verification link.
    verify = reverse("certification:verify", args=[certificate.public_id])
    assert f'href="{verify}"' in body and 'data-status="valid"' in body
    assert certificate.end.strftime("%d/%m/%Y") in body and "UBND tỉnh Thái Nguyên" in body
    assert client.get(verify).status_code == 200
    # Where to buy: active listings only; the place kept for sales points.
    assert "https://shopee.vn/mien-dong" in body and "https://tiki.vn/mien-cu" not in body
    assert response.context["sales_points"] == []
    # Standards held today, without internal numbers; intellectual property.
    assert "VietGAP" in body and "Trung tâm Chứng nhận" in body and "01/01/2030" in body
    assert "HACCP" not in body and "SO-NOI-BO-1" not in body
    assert "Miến dong Na Rì" in body
    # Producer: name, kind, website; the map degrades to text.
    assert "HTX Tài Hoan" in body and "https://htx-taihoan.example.vn" in body
    assert 'data-testid="place-text"' in body
    assert 'data-tiles="https://tiles.example.vn/{z}/{x}/{y}.png"' in body
    assert 'data-lat="22.215200"' in body and " hidden " in body  # shown by the script only
    assert "vendor/leaflet/leaflet.js" in body


def test_a_product_without_a_description_gets_one_made_up(client, province_admin, product):
    services.update_product(province_admin, product, {"description": "", "story": ""})
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    meta = re.search(r'<meta name="description" content="([^"]*)"', body).group(1)
    assert meta.startswith("Miến dong Tài Hoan: ") and "4★" in meta  # made from the record, in the language
    assert "HTX Tài Hoan, Xã Na Rì, Tỉnh Thái Nguyên" in meta


def test_the_map_tiles_have_a_default(client, product, settings):
    if hasattr(settings, "OCOP_MAP_TILES"):
        del settings.OCOP_MAP_TILES
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in body


def test_producer_page(client, product, producer, make_product):
    make_product(producer, "Miến dong chưa công bố", stars=5, published=False)
    response = client.get(f"/catalogue/producers/{producer.pk}/")
    body = response.content.decode()
    assert names(response) == ["Miến dong Tài Hoan"]
    assert "HTX Tài Hoan" in body and "2009" in body and "https://htx-taihoan.example.vn" in body
    assert "Xã Na Rì" in body and "huyện Na Rì" in body
    assert "<title>HTX Tài Hoan · " in body and '<meta name="description" content="HTX Tài Hoan' in body
    assert f'href="/catalogue/products/{product.pk}/"' in body


def test_language_switch_by_link(client, product):
    response = client.get(
        "/catalogue/language/", {"language": "en", "next": f"/catalogue/products/{product.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/catalogue/products/{product.pk}/"
    assert response.cookies["django_language"].value == "en"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert '<html lang="en">' in body
    outside = client.get("/catalogue/language/", {"language": "vi", "next": "https://evil.example.com/"})
    assert outside["Location"] == "/catalogue/"
    assert client.get("/catalogue/language/", {"language": "xx"}).cookies.get("django_language") is None


def test_staff_pages_are_not_linked(client, product):
    body = client.get("/catalogue/").content.decode()
    assert "/registry/" not in body and "/evaluation/" not in body and "/audit/" not in body
