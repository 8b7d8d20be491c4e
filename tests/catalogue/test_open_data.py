"""Open data: the public list as CSV (UTF-8 with BOM) and JSON, with the documented schema."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from ocop.catalogue.opendata import FIELD_NAMES, FIELDS
from ocop.registry import services

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def documented_fields() -> dict[str, str]:
    """field → type, from the schema table of docs/open-data.md."""
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z ]+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    return dict(rows)


def test_the_documentation_describes_every_field():
    assert list(documented_fields()) == FIELD_NAMES
    assert documented_fields() == {f.name: f.type for f in FIELDS}
    text = DOC.read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "or under the terms the province decides" in text


def test_csv_opens_in_excel_with_vietnamese_intact(client, product, province_admin):
    services.add_child(
        province_admin, product, "listing", {"platform": "shopee", "url": "https://shopee.vn/a"}
    )
    services.add_child(
        province_admin, product, "listing", {"platform": "lazada", "url": "https://lazada.vn/b"}
    )
    response = client.get("/catalogue/open-data/products.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response.streaming
    assert 'filename="ocop-products.csv"' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == FIELD_NAMES and len(rows) == 1
    row = rows[0]
    certificate = product.certificates.get()
    assert row["name"] == "Miến dong Tài Hoan" and row["producer_name"] == "HTX Tài Hoan"
    assert (
        row["commune"] == "Xã Na Rì"
        and row["province"] == "Tỉnh Thái Nguyên"
        and row["province_code"] == "19"
    )
    assert row["former_district"] == "Huyện Na Rì"
    assert row["stars"] == "4" and row["is_illustrative"] == "false"
    assert row["certificate_id"] == certificate.public_id
    assert row["certificate_valid_until"] == certificate.end.isoformat()
    assert row["verification_url"] == "https://ocop.example.gov.vn" + reverse(
        "certification:verify", args=[certificate.public_id]
    )
    assert row["product_url"] == f"https://ocop.example.gov.vn/catalogue/products/{product.pk}/"
    assert row["marketplace_urls"].split(" ") == ["https://lazada.vn/b", "https://shopee.vn/a"]
    assert row["producer_phone"] == "" and row["decision_number"] == "123/QĐ-UBND"


def test_json_has_the_documented_shape(client, product):
    response = client.get("/catalogue/open-data/products.json")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Miến dong Tài Hoan" in response.content.decode()  # not \u-escaped
    data = response.json()
    assert list(data) == ["generated", "count", "products"]
    assert data["count"] == len(data["products"]) == 1
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$", data["generated"])
    row = data["products"][0]
    assert list(row) == list(documented_fields())
    types = {"integer": int, "number": float, "string": str, "url": str, "boolean": bool, "date": str}
    for field in FIELDS:
        value = row[field.name]
        if field.type == "array of url":
            assert isinstance(value, list)
        elif value is not None:
            assert isinstance(value, types[field.type]), field.name
        else:
            assert field.type in ("number", "date"), f"{field.name} is null"
    assert row["stars"] == 4 and row["is_illustrative"] is False and row["marketplace_urls"] == []
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", row["certificate_valid_from"])
    assert isinstance(row["latitude"], float)


def test_open_data_page_shows_the_schema_and_licence(client, product):
    body = client.get("/catalogue/open-data/").content.decode()
    for name in FIELD_NAMES:
        assert f"<code>{name}</code>" in body
    assert "CC BY 4.0" in body and "/catalogue/open-data/products.csv" in body


def test_open_data_is_the_same_in_every_language(client, product):
    product.certificates.update(authority="")
    client.cookies["django_language"] = "en"
    row = client.get("/catalogue/open-data/products.json").json()["products"][0]
    assert row["issuing_authority"] == "UBND cấp tỉnh"
    client.cookies["django_language"] = "vi"
    assert client.get("/catalogue/open-data/products.json").json()["products"][0] == row
