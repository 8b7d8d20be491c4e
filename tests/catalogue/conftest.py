"""Data for the public catalogue, written through the registry services (audited) as officers
write it; certificates are created directly, as the demo loader does."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ocop.certification.models import Certificate
from ocop.registry import services
from ocop.registry.models import ProductCategory
from tests.conftest import CHO_DON, NA_RI

PRIVATE_PHONE = "0912 345 678"
TAX_CODE = "4700256572"
EMAIL = "chu.nhiem@taihoan.example.vn"
REPRESENTATIVE = "Triệu Thị Hoan"
NOTE = "GHI-CHU-NOI-BO"


def certify(product, stars=4, issued=None, months=36, **extra):
    issued = issued or timezone.localdate() - dt.timedelta(days=30)
    return Certificate.objects.create(
        product=product,
        stars=stars,
        issuing_level=extra.pop("issuing_level", "province"),
        authority=extra.pop("authority", "UBND tỉnh Thái Nguyên"),
        issued_on=issued,
        valid_until=issued + dt.timedelta(days=months * 30),
        **extra,
    )


def image_file(name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OCOP_SITE_URL = "https://ocop.example.gov.vn"


@pytest.fixture
def category(db):
    """Set 7 of Decision 26/2026: "Chế biến từ rau, củ, quả, hạt"."""
    return ProductCategory.objects.get(scheme__code="26-2026", level=3, code="7")


@pytest.fixture
def tea_category(db):
    """Set 11 of Decision 26/2026 (tea), in another group of the same sector."""
    return ProductCategory.objects.get(scheme__code="26-2026", level=3, code="11")


@pytest.fixture
def producer(db, province_admin, unit):
    return services.create_producer(
        province_admin,
        {
            "kind": "cooperative",
            "name": "HTX Tài Hoan",
            "tax_code": TAX_CODE,
            "commune": unit(NA_RI),
            "legal_representative": REPRESENTATIVE,
            "phone": PRIVATE_PHONE,
            "publish_phone": False,
            "email": EMAIL,
            "notes": NOTE,
            "founded_year": 2009,
            "website": "https://htx-taihoan.example.vn",
            "registration_date": None,
        },
    )


@pytest.fixture
def product(db, province_admin, producer, category, unit):
    """Miến dong Tài Hoan: published, certified 4★ today."""
    product = services.create_product(
        province_admin,
        {
            "name": "Miến dong Tài Hoan",
            "producer": producer,
            "category": category,
            "commune": unit(NA_RI),
            "description": "Miến làm từ tinh bột dong riềng Na Rì.",
            "story": "Nghề làm miến của người Tày.",
            "packaging": "Túi 500 g",
            "shelf_life": "12 tháng",
            "traceability_url": "https://truyxuat.example.vn/mien-dong",
        },
    )
    certify(product, 4, note=NOTE, decision_number="123/QĐ-UBND")
    return product


@pytest.fixture
def chodon_producer(db, province_admin, unit):
    return services.create_producer(
        province_admin,
        {
            "kind": "household",
            "name": "Cơ sở Hoàng Thị Điển",
            "commune": unit(CHO_DON),
            "phone": "0987 654 321",
        },
    )


@pytest.fixture
def make_product(db, province_admin, category):
    """A product of `producer` in its commune; certified with `stars` unless stars is None."""

    def make(producer, name, stars=3, **data):
        product = services.create_product(
            province_admin,
            {
                "name": name,
                "producer": producer,
                "category": data.pop("category", category),
                "commune": producer.commune,
                **data,
            },
        )
        if stars:
            certify(product, stars)
        return product

    return make


@pytest.fixture
def photo(db, province_admin):
    def add(product):
        return services.add_photo(province_admin, product, image_file(), "Sợi miến")

    return add
