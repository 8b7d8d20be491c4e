"""The public pages show only what an officer published: the news page lists the articles marked
public (title, outlet, date, link, summary — never the notes or the responsible unit), and a
product's "where to buy" lists the published sales points open today that carry it. Both are
cacheable and set no cookie."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import NA_RI

from .helpers import article, certify, make_product, sales_point

pytestmark = pytest.mark.django_db

INTERNAL = "GHI-CHU-NOI-BO"


def _is_public(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in cache_control
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_news_page_lists_only_public_articles(client, province_admin):
    article(
        province_admin, title="Tin công khai về OCOP", public=True, notes=INTERNAL, summary="Tóm tắt tin."
    )
    article(province_admin, title="Tin nội bộ chưa duyệt", public=False)
    article(province_admin, title="Tin cũ công khai", public=True, published_on=dt.date(2024, 1, 5))
    response = client.get(reverse("activities:public_news"))
    assert response.status_code == 200
    body = response.content.decode()
    _is_public(response)
    assert "Tin công khai về OCOP" in body and "Tóm tắt tin." in body and "Tin cũ công khai" in body
    assert "Tin nội bộ chưa duyệt" not in body
    assert INTERNAL not in body and "Hội Nông dân tỉnh" not in body  # notes, responsible unit
    assert body.index("Tin công khai về OCOP") < body.index("Tin cũ công khai")  # newest first
    assert reverse("activities:public_news") in client.get(reverse("catalogue:product_list")).content.decode()


def test_where_to_buy_lists_the_published_open_points_carrying_the_product(client, province_admin):
    product = make_product(province_admin, "Miến dong Tài Hoan")
    other = make_product(province_admin, "Mật ong Na Rì")
    certify(product, 4, timezone.localdate() - dt.timedelta(days=30))
    today = timezone.localdate()
    sales_point(
        province_admin,
        name="Điểm OCOP chợ Yến Lạc",
        products=[product],
        notes=INTERNAL,
        latitude=Decimal("22.160000"),
        longitude=Decimal("106.000000"),
        phone="0209 3884 123",
    )
    sales_point(province_admin, name="Điểm chưa công bố", products=[product], published=False)
    sales_point(
        province_admin, name="Điểm đã đóng cửa", products=[product], closed_on=today - dt.timedelta(days=1)
    )
    sales_point(
        province_admin, name="Điểm sắp mở", products=[product], opened_on=today + dt.timedelta(days=10)
    )
    sales_point(province_admin, name="Điểm bán sản phẩm khác", products=[other])
    response = client.get(reverse("catalogue:product_detail", args=[product.pk]))
    assert response.status_code == 200
    _is_public(response)
    body = response.content.decode()
    assert 'data-testid="sales-points"' in body and "Điểm OCOP chợ Yến Lạc" in body
    assert "Chợ Yến Lạc, thôn Pàn Xả" in body and "0209 3884 123" in body
    for hidden in (
        "Điểm chưa công bố",
        "Điểm đã đóng cửa",
        "Điểm sắp mở",
        "Điểm bán sản phẩm khác",
        INTERNAL,
    ):
        assert hidden not in body, hidden


def test_an_unpublished_product_shows_no_sales_point(client, province_admin):
    from ocop.registry import services as registry

    product = make_product(province_admin, "Miến dong Tài Hoan", commune=NA_RI)
    certify(product, 4, timezone.localdate() - dt.timedelta(days=30))
    sales_point(province_admin, name="Điểm OCOP chợ Yến Lạc", products=[product])
    registry.update_product(province_admin, product, {"published": False})
    response = client.get(reverse("catalogue:product_detail", args=[product.pk]))
    assert response.status_code == 404 and "Điểm OCOP chợ Yến Lạc" not in response.content.decode()
