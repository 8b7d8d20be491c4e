"""The demo activities: loaded after the registry's demo, linked to its products, all illustrative,
idempotent, and feeding the indicators (two articles a month in 2024); reset deletes them."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.activities import demo
from ocop.activities.models import (
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    TrainingCourse,
)
from ocop.core.demo import load_demo_accounts
from ocop.geo.models import AdminUnit
from ocop.planning import indicators
from ocop.registry.demo import demo_product_ids, load_registry_demo

pytestmark = pytest.mark.django_db


def test_demo_load_is_illustrative_idempotent_and_resettable():
    load_demo_accounts()
    load_registry_demo()
    line = demo.load()
    assert "5 promotion events, 3 sales points, 3 courses, 24 articles" in line, line
    assert "0 promotion events, 0 sales points, 0 courses, 0 articles" in demo.load()
    for model in (PromotionEvent, SalesPoint, TrainingCourse, OutreachArticle):
        assert model.objects.exists() and not model.objects.filter(is_illustrative=False).exists()
        assert all("minh họa" in str(o) for o in model.objects.all())
    ids = set(demo_product_ids())
    assert {p.pk for point in SalesPoint.objects.all() for p in point.products.all()} <= ids
    assert EventParticipation.objects.filter(event__place="outside").exists()
    bac_kan = AdminUnit.objects.get(path="legacy/06/")
    months = [(dt.date(2024, m, 1), dt.date(2024, m, 28)) for m in range(1, 13)]
    assert all(indicators.count("articles_published", bac_kan, *period) == 2 for period in months)
    thai_nguyen = AdminUnit.objects.get(path="2025/19/")
    assert (
        indicators.count("promotion_participations", thai_nguyen, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        == 10
    )
    assert indicators.count("sales_points", thai_nguyen, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 3
    assert (
        indicators.count("officials_trained_share", thai_nguyen, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        > 0
    )
    assert demo.reset() == 35
    assert not PromotionEvent.objects.exists() and not OutreachArticle.objects.exists()
