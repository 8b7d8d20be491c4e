import pytest

from ocop.registry import services
from ocop.registry.models import ProductCategory
from tests.conftest import CHO_DON, NA_RI


@pytest.fixture
def category(db):
    """Set 7 of Decision 26/2026: "Chế biến từ rau, củ, quả, hạt"."""
    return ProductCategory.objects.get(scheme__code="26-2026", level=3, code="7")


@pytest.fixture
def producer(db, province_admin, unit):
    return services.create_producer(
        province_admin,
        {
            "kind": "cooperative",
            "name": "HTX Tài Hoan",
            "tax_code": "4700256572",
            "commune": unit(NA_RI),
            "legal_representative": "Triệu Thị Hoan",
            "registration_date": None,
        },
    )


@pytest.fixture
def product(db, province_admin, producer, category, unit):
    return services.create_product(
        province_admin,
        {
            "name": "Miến dong Tài Hoan",
            "producer": producer,
            "category": category,
            "commune": unit(NA_RI),
        },
    )


@pytest.fixture
def chodon_producer(db, province_admin, unit):
    return services.create_producer(
        province_admin, {"kind": "household", "name": "Cơ sở Hoàng Thị Điển", "commune": unit(CHO_DON)}
    )
