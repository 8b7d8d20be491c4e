"""The standards register, traceability adoption, advanced QMS per producer and the inspection
screens: what they show, their filters, exports and query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ocop.quality.models import Inspection
from ocop.registry.models import ProductStandard
from tests.conftest import CHO_DON

from .helpers import certify, inspect, make_product

pytestmark = pytest.mark.django_db


def _std(product, kind, expires_on, issued_on=None):
    return ProductStandard.objects.create(
        product=product, kind=kind, expires_on=expires_on, issued_on=issued_on
    )


def test_standards_register_filters_by_kind_and_expiry(client, province_admin, product):
    today = timezone.localdate()
    other = make_product(province_admin, "Mật ong bạc hà", commune=CHO_DON)
    _std(product, "vietgap", today + dt.timedelta(days=20))
    _std(product, "haccp", today - dt.timedelta(days=1))
    _std(other, "organic", today + dt.timedelta(days=300))
    client.force_login(province_admin)
    url = reverse("quality:standard_list")

    def kinds(params):
        return {r["object"].kind for r in client.get(url, params).context["rows"]}

    assert kinds({"expiry": "expiring", "days": 30}) == {"vietgap"}
    assert kinds({"expiry": "expired"}) == {"haccp"}
    assert kinds({"expiry": "expiring", "days": 400}) == {"vietgap", "organic"}
    assert kinds({"kind": "organic"}) == {"organic"}
    assert kinds({"q": "mat ong"}) == {"organic"}
    response = client.get(url, {"export": "xlsx", "expiry": "expired"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == product.name and "HACCP" in rows[1]


def test_traceability_share_of_certified_products(client, province_admin, product):
    product.traceability_system = "iCheck"
    product.traceability_since = dt.date(2025, 5, 1)
    product.save()
    certify(product, 3, dt.date(2025, 1, 1))
    plain = make_product(province_admin, "Miến không tem")
    certify(plain, 3, dt.date(2025, 1, 1))
    client.force_login(province_admin)
    response = client.get(reverse("quality:traceability_list"), {"traceable": "true"})
    body = response.content.decode()
    assert response.context["share"] == {"certified": 2, "traceable": 1, "share": 50.0}
    assert "iCheck" in body and "Miến không tem" not in body


def test_advanced_qms_per_producer_is_derived_from_standards(client, province_admin, product):
    today = timezone.localdate()
    _std(product, "vietgap", today + dt.timedelta(days=100))
    _std(product, "iso22000", today - dt.timedelta(days=1))  # expired: not counted
    _std(product, "declaration", None)  # not an advanced system
    bare = make_product(province_admin, "Miến thường")
    client.force_login(province_admin)
    response = client.get(reverse("quality:qms_list"), {"holding": "true"})
    rows = {r["object"].pk: r for r in response.context["rows"]}
    assert set(rows) == {product.producer_id}
    assert rows[product.producer_id]["object"].n_advanced == 1
    body = response.content.decode()
    assert "VietGAP" in body and "ISO 22000" not in body
    response = client.get(reverse("quality:qms_list"), {"holding": "false"})
    assert bare.producer_id in {r["object"].pk for r in response.context["rows"]}


def test_inspection_screens_create_and_show(client, province_admin, product):
    client.force_login(province_admin)
    response = client.post(
        reverse("quality:inspection_create"),
        {
            "kind": "planned",
            "state": "done",
            "inspecting_body": "Chi cục QLCL",
            "responsible_unit": "Sở Nông nghiệp và Môi trường",
            "date": "2026-03-01",
            "producer": product.producer.pk,
            "products": [product.pk],
            "outcome": "failed",
            "findings": "Nhãn thiếu hạn dùng",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    response = client.post(
        reverse("quality:action_add", args=[inspection.pk]), {"action": "Sửa nhãn", "deadline": "2026-02-01"}
    )
    assert response.status_code == 400 and inspection.actions.count() == 0
    client.post(
        reverse("quality:action_add", args=[inspection.pk]), {"action": "Sửa nhãn", "deadline": "2026-03-15"}
    )
    body = client.get(inspection.get_absolute_url()).content.decode()
    assert "Sửa nhãn" in body and 'data-testid="overdue"' in body and 'data-testid="case-open"' in body
    response = client.post(
        reverse("quality:case_open", args=[inspection.pk]), {"product": product.pk, "kind": "revocation"}
    )
    assert response.status_code == 400 and inspection.cases.count() == 0


def test_inspection_list_query_count_does_not_grow_with_rows(client, province_admin, product):
    client.force_login(province_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("quality:inspection_list"), {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            inspection = inspect(province_admin, product, day=dt.date(2026, 1, 1 + i))
            from ocop.quality import services

            services.add_action(province_admin, inspection, {"action": "x", "deadline": dt.date(2026, 2, 1)})

    add(2)
    few = count()
    add(10)
    assert count() == few


@pytest.mark.parametrize("name", ["quality:standard_list", "quality:traceability_list", "quality:qms_list"])
def test_register_query_counts_do_not_grow_with_rows(client, province_admin, name):
    client.force_login(province_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    def add(start, n):
        for i in range(start, start + n):
            p = make_product(province_admin, f"Sản phẩm {i}")
            _std(p, "vietgap", dt.date(2030, 1, 1))
            certify(p, 3, dt.date(2025, 1, 1))

    add(0, 2)
    few = count()
    add(2, 8)
    assert count() == few


def test_every_form_page_opens_and_the_edit_saves(client, province_admin, product):
    certify(product, 3, dt.date(2025, 1, 1))
    inspection = inspect(province_admin, product)
    from ocop.quality import services

    action = services.add_action(
        province_admin, inspection, {"action": "Sửa nhãn", "deadline": dt.date(2026, 4, 1)}
    )
    case = services.open_case(province_admin, inspection, {"product": product, "kind": "revocation"})
    client.force_login(province_admin)
    for url in (
        reverse("quality:inspection_create"),
        reverse("quality:inspection_edit", args=[inspection.pk]),
        reverse("quality:sample_add", args=[inspection.pk]),
        reverse("quality:action_add", args=[inspection.pk]),
        reverse("quality:action_done", args=[inspection.pk, action.pk]),
        reverse("quality:case_open", args=[inspection.pk]),
        reverse("quality:case_revocation", args=[inspection.pk, case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and 'data-testid="object-form"' in response.content.decode(), url
    response = client.post(
        reverse("quality:inspection_edit", args=[inspection.pk]),
        {
            "kind": "ad_hoc",
            "state": "done",
            "inspecting_body": "Đoàn liên ngành",
            "responsible_unit": "Sở Y tế",
            "date": "2026-03-10",
            "products": [product.pk],
            "outcome": "failed",
            "findings": "Nhãn sai",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.inspecting_body == "Đoàn liên ngành" and inspection.producer == product.producer
    response = client.post(
        reverse("quality:case_revocation", args=[inspection.pk, case.pk]),
        {"decision_number": "20/QĐ-UBND", "decision_date": "2026-03-20"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "revoked"
