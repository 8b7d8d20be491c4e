"""Plans built through the services (audited, validated)."""

from __future__ import annotations

import datetime as dt

from ocop.planning import services
from ocop.planning.models import Indicator

from .helpers import unit


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def make_plan(actor, area_path: str, **fields):
    data = {
        "kind": "plan",
        "number": "99/KH-UBND",
        "title": "Kế hoạch thực hiện Chương trình OCOP năm 2024",
        "issuing_body": "UBND tỉnh",
        "issued_on": dt.date(2024, 3, 1),
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "area": unit(area_path),
        "legal_bases": "Quyết định số 919/QĐ-TTg ngày 01/8/2022",
        **fields,
    }
    return services.create_plan(actor, data)


def set_target(actor, plan, code: str, area_path: str, value):
    services.set_targets(
        actor, plan, [{"indicator": indicator(code), "area": unit(area_path), "value": value}]
    )
    return plan.targets.get(indicator__code=code, area__path=area_path)
