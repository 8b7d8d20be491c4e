"""Building quality records for the tests, through the services."""

from __future__ import annotations

import datetime as dt

from ocop.quality import services
from tests.programme.helpers import certify, make_product  # noqa: F401


def inspect(office, product, *, outcome="failed", state="done", day=dt.date(2026, 3, 10), **extra):
    data = {
        "kind": "ad_hoc",
        "state": state,
        "inspecting_body": "Chi cục An toàn vệ sinh thực phẩm",
        "responsible_unit": "Sở Y tế",
        "date": day,
        "producer": product.producer,
        "products": [product],
        "findings": "Mẫu vượt giới hạn",
        "outcome": outcome,
        **extra,
    }
    return services.create_inspection(office, data)
