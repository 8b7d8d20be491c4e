"""Shared fixtures. The administrative units (all 14,000) are loaded once per test database:
every test sees the real trees of 63 and 34 provinces and the 2025 successions."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from ocop.evaluation.loader import load_criteria
        from ocop.geo.loader import load_units

        load_units(force=True)
        load_criteria()


@pytest.fixture
def units_loaded(django_db_blocker):
    """For transactional tests (whose teardown empties every table): make sure units exist."""
    from ocop.geo.loader import load_units
    from ocop.geo.models import AdminUnit

    if not AdminUnit.objects.exists():
        load_units(force=True)


@pytest.fixture
def criteria_loaded(django_db_blocker):
    """For transactional tests: the rule versions and score sheets (emptied by their teardown)."""
    from ocop.evaluation.loader import load_criteria
    from ocop.evaluation.models import ScoreSheet

    if not ScoreSheet.objects.exists():
        load_criteria()


def pytest_collection_modifyitems(items):
    """Tests that empty the database when they finish (transactional, live-server, e2e) run last."""

    def weight(item):
        if item.get_closest_marker("e2e"):
            return 2
        fixtures = getattr(item, "fixturenames", ())
        if "transactional_db" in fixtures or "live_server" in fixtures:
            return 1
        return 0

    items.sort(key=weight)


@pytest.fixture
def unit():
    from ocop.geo.models import AdminUnit

    def get(path: str) -> AdminUnit:
        return AdminUnit.objects.get(path=path)

    return get


# Places used throughout the tests (codes from the official lists).
THAI_NGUYEN = "2025/19/"  # Tỉnh Thái Nguyên (from 01/07/2025)
NA_RI = "2025/19/02155/"  # Xã Na Rì
CHO_DON = "2025/19/02020/"  # Xã Chợ Đồn
CON_MINH_NEW = "2025/19/02185/"  # Xã Côn Minh (2025)
BAC_KAN_LEGACY = "legacy/06/"  # Tỉnh Bắc Kạn (until 30/06/2025)
NA_RI_DISTRICT = "legacy/06/066/"  # Huyện Na Rì (legacy)
CON_MINH_LEGACY = "legacy/06/066/02173/"  # Xã Côn Minh (legacy)
HA_NOI = "2025/01/"


@pytest.fixture
def admin_user(db):
    return make_user("sysadmin", "system_admin", None)


@pytest.fixture
def province_admin(db):
    return make_user("tn.admin", "province_admin", THAI_NGUYEN)


@pytest.fixture
def nari_officer(db):
    return make_user("xa.nari", "commune_officer", NA_RI)


@pytest.fixture
def chodon_officer(db):
    return make_user("xa.chodon", "commune_officer", CHO_DON)


@pytest.fixture
def hanoi_admin(db):
    return make_user("hn.admin", "province_admin", HA_NOI)


@pytest.fixture
def english(client):
    """For tests that assert messages by their English msgids: services run under English and the
    test client asks for English pages (the language cookie); the UI default stays Vietnamese."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
