"""Small hand-made records for the reporting tests (the demo registry is slow to load)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ocop.geo.models import AdminUnit
from ocop.reporting.summaries import rebuild
from tests.conftest import THAI_NGUYEN
from tests.programme.helpers import certify, make_product


def products(
    office, n: int, commune: str, *, stars: int = 3, issued: dt.date | None = None, prefix: str = "SP"
):
    """`n` products of `commune`, each with a certificate valid today."""
    issued = issued or timezone.localdate() - dt.timedelta(days=30)
    made = []
    for i in range(n):
        product = make_product(
            office, f"{prefix} {commune[-6:-1]} {i:03d}", commune=commune, registration_number=""
        )
        certify(product, stars, issued)
        made.append(product)
    return made


def rebuild_home():
    return rebuild(AdminUnit.objects.get(path=THAI_NGUYEN))


def plan_in_force(number: str):
    """A plan of Thái Nguyên for this whole year, in force."""
    from ocop.planning.choices import PlanState
    from ocop.planning.models import Plan

    today = timezone.localdate()
    return Plan.objects.create(
        number=number,
        title="Kế hoạch OCOP năm nay (thử nghiệm)",
        issuing_body="UBND tỉnh Thái Nguyên",
        issued_on=dt.date(today.year, 1, 2),
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        area=AdminUnit.objects.get(path=THAI_NGUYEN),
        state=PlanState.IN_FORCE,
    )
