"""Registry pages: lists with filters and stars from certificates, detail, forms, exports."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.certification.models import Certificate
from ocop.registry import services
from ocop.registry.models import Producer, Product
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN

pytestmark = pytest.mark.django_db


def certify(product, stars, issued, months=36, **extra):
    return Certificate.objects.create(
        product=product,
        stars=stars,
        issuing_level="province",
        issued_on=issued,
        valid_until=issued + dt.timedelta(days=months * 30),
        **extra,
    )


def test_stars_come_from_certificates_on_the_date(client, province_admin, product):
    certify(product, 4, dt.date(2019, 1, 10), months=36)  # expired in early 2022
    certify(product, 5, dt.date(2021, 6, 30), months=36, decision_number="2890/QĐ-BNN-VPĐP")
    client.force_login(province_admin)

    def stars_on(day):
        rows = client.get("/registry/products/", {"on": day}).context["rows"]
        return {r["object"].name: r["object"].stars for r in rows}

    assert stars_on("2020-06-01") == {"Miến dong Tài Hoan": 4}
    assert stars_on("2021-07-01") == {"Miến dong Tài Hoan": 5}
    assert stars_on("2025-01-01") == {"Miến dong Tài Hoan": None}
    page = client.get(f"/registry/products/{product.pk}/").content.decode()
    assert "Hết hiệu lực chứng nhận" in page or "Certificate expired" in page
    assert "2890/QĐ-BNN-VPĐP" in page


def test_star_filter_and_certified_status(client, province_admin, product, producer, category, unit):
    other = services.create_product(
        province_admin,
        {"name": "Miến dong khô", "producer": producer, "category": category, "commune": unit(NA_RI)},
    )
    certify(other, 3, dt.date(2025, 1, 1))
    client.force_login(province_admin)
    three = client.get("/registry/products/", {"stars": "3"}).context["rows"]
    assert [r["object"].name for r in three] == ["Miến dong khô"]
    none = client.get("/registry/products/", {"stars": "0"}).context["rows"]
    assert [r["object"].name for r in none] == ["Miến dong Tài Hoan"]
    page = client.get(f"/registry/products/{other.pk}/").content.decode()
    assert 'data-testid="product-stars"' in page


def test_area_filter_reaches_legacy_records_through_successors(client, province_admin, unit, category):
    from tests.conftest import CON_MINH_LEGACY, NA_RI_DISTRICT

    old = services.create_producer(
        province_admin,
        {
            "kind": "cooperative",
            "name": "HTX Bảo Châu",
            "commune": unit(CON_MINH_LEGACY),
            "registration_date": dt.date(2019, 1, 1),
        },
    )
    client.force_login(province_admin)
    by_legacy_district = client.get("/registry/producers/", {"area": unit(NA_RI_DISTRICT).pk}).context["rows"]
    by_new_province = client.get("/registry/producers/", {"area": unit(THAI_NGUYEN).pk}).context["rows"]
    assert old in [r["object"] for r in by_legacy_district]
    assert old in [r["object"] for r in by_new_province]


def test_commune_officer_sees_only_their_commune(client, nari_officer, product, chodon_producer):
    client.force_login(nari_officer)
    producers = [r["object"] for r in client.get("/registry/producers/").context["rows"]]
    assert producers == [product.producer]
    assert client.get(f"/registry/producers/{chodon_producer.pk}/").status_code == 404
    export = client.get("/registry/producers/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "Hoàng Thị Điển" not in export and "HTX Tài Hoan" in export


def test_search_without_diacritics(client, province_admin, product):
    client.force_login(province_admin)
    rows = client.get("/registry/products/", {"q": "mien dong tai"}).context["rows"]
    assert [r["object"] for r in rows] == [product]
    assert not client.get("/registry/products/", {"q": "mien ga"}).context["rows"]


def test_create_producer_through_the_form_with_vietnamese_errors(client, province_admin, unit, producer):
    client.force_login(province_admin)
    response = client.post(
        "/registry/producers/new/",
        {"kind": "cooperative", "name": "HTX Tài Hoan", "commune": unit(NA_RI).pk, "tax_code": "123"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Mã số thuế gồm 10 chữ số" in text
    response = client.post(
        "/registry/producers/new/",
        {"kind": "cooperative", "name": "Hợp tác xã Tài Hoan", "commune": unit(NA_RI).pk},
    )
    assert "đã được đăng ký tại Xã Na Rì" in response.content.decode()
    response = client.post(
        "/registry/producers/new/",
        {"kind": "cooperative", "name": "HTX Tân Dân", "commune": unit(NA_RI).pk, "women_led": "on"},
    )
    assert response.status_code == 302
    assert Producer.objects.get(name="HTX Tân Dân").women_led


def test_edit_product_through_the_form_is_audited(client, province_admin, product):
    from ocop.audit.models import AuditEvent

    client.force_login(province_admin)
    form = client.get(f"/registry/products/{product.pk}/edit/")
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(
        {
            "name": "Miến dong Tài Hoan",
            "producer": product.producer_id,
            "category": product.category_id,
            "commune": product.commune_id,
            "lifecycle": "active",
            "packaging": "Túi 500 g",
            "published": "on",
        }
    )
    response = client.post(f"/registry/products/{product.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    event = AuditEvent.objects.filter(object_type="registry.product", action="update").latest("seq")
    assert event.changes["packaging"] == ["", "Túi 500 g"]


def test_product_actions_on_the_detail_page(client, province_admin, product):
    client.force_login(province_admin)
    client.post(f"/registry/products/{product.pk}/code/", {"year": 2026})
    client.post(
        f"/registry/products/{product.pk}/listing/",
        {"platform": "shopee", "url": "shopee.vn/mien", "status": "active"},
    )
    product.refresh_from_db()
    assert product.code == "19-02155-001-2026"
    assert product.listings.get().url == "https://shopee.vn/mien"
    response = client.post(
        f"/registry/products/{product.pk}/standard/",
        {"kind": "vietgap", "issued_on": "2025-05-01", "expires_on": "2024-01-01"},
        follow=True,
    )
    assert "trước ngày cấp" in response.content.decode()


def test_xlsx_export_of_products_with_stars(client, province_admin, product):
    from openpyxl import load_workbook

    certify(product, 5, dt.date(2024, 6, 25))
    client.force_login(province_admin)
    sheet = load_workbook(io.BytesIO(client.get("/registry/products/", {"export": "xlsx"}).content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Hạng sao")] == 5
    assert row[header.index("Tên")] == "Miến dong Tài Hoan"


def test_csv_export_of_producers_has_vietnamese_kinds(client, province_admin, producer):
    client.force_login(province_admin)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/registry/producers/", {"export": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert rows[1][:2] == ["HTX Tài Hoan", "Hợp tác xã"]


@pytest.mark.parametrize("url", ["/registry/producers/", "/registry/products/"])
def test_list_query_count_does_not_grow_with_rows(client, province_admin, category, unit, url):
    client.force_login(province_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    def add(n, start):
        for i in range(start, start + n):
            producer = services.create_producer(
                province_admin,
                {"kind": "household", "name": f"Hộ số {i}", "commune": unit(NA_RI if i % 2 else CHO_DON)},
            )
            product = services.create_product(
                province_admin,
                {
                    "name": f"Sản phẩm {i}",
                    "producer": producer,
                    "category": category,
                    "commune": producer.commune,
                },
            )
            certify(product, 3 + i % 3, dt.date(2025, 1, 1))

    add(2, 0)
    few = count()
    add(12, 2)
    assert count() == few
    assert Product.objects.count() == 14


def test_history_shows_fields_and_values_in_words(client, province_admin, product):
    client.force_login(province_admin)
    history = client.get(f"/registry/products/{product.pk}/").context["history"]
    created = history[-1]
    rows = {label: after for label, _before, after in created.rows}
    assert rows["xã nơi sản xuất"] == "Xã Na Rì" and rows["giai đoạn"] == "Đang sản xuất"
    assert "name_key" not in rows and "search_folded" not in rows
