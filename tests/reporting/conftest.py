"""Fixtures of the reporting tests: the demo registry (the real Bắc Kạn rows completed to the
published totals) and small hand-made records."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import BAC_KAN_LEGACY, THAI_NGUYEN
from tests.factories import make_user


@pytest.fixture
def demo_registry(db):
    from ocop.registry import demo

    return demo.load_registry_demo()


@pytest.fixture
def province_officer(db):
    return make_user("canbo.tinh", "province_officer", THAI_NGUYEN)


@pytest.fixture
def built(demo_registry, unit):
    """The demo registry with the summaries of Thái Nguyên rebuilt as of 01/12/2026."""
    from ocop.reporting.summaries import rebuild

    return rebuild(unit(THAI_NGUYEN))


@pytest.fixture
def bac_kan(unit):
    return unit(BAC_KAN_LEGACY)


END_2021 = dt.date(2021, 12, 31)


@pytest.fixture(autouse=True)
def no_prebuilt_summaries(db):
    """Each test starts without summary rows (whatever an earlier committed write built)."""
    from ocop.reporting.models import CounterFigure, ProductFigure, SummaryState, UnitFigure

    for model in (ProductFigure, UnitFigure, CounterFigure, SummaryState):
        model.objects.all().delete()
