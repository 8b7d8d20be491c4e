import datetime as dt

import pytest

from ocop.geo.models import AdminUnit
from tests.conftest import NA_RI_DISTRICT

Y2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture(autouse=True)
def _english(english):
    """Planning's tests assert messages in English (the msgids): the shared `english` fixture."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cho_don_legacy_commune(db):
    """A legacy commune of the former district of Chợ Đồn (outside Na Rì)."""
    district = AdminUnit.objects.get(parent__path="legacy/06/", level=2, name__contains="Chợ Đồn")
    return AdminUnit.objects.filter(parent=district, level=3).order_by("path").first()


@pytest.fixture
def nari_district(db):
    return AdminUnit.objects.get(path=NA_RI_DISTRICT)
