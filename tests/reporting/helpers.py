"""Small hand-made records for the reporting tests (the demo registry is slow to load)."""

from __future__ import annotations

import datetime as dt

from ocop.geo.models import AdminUnit
from ocop.reporting.summaries import rebuild
from tests.conftest import THAI_NGUYEN
from tests.programme.helpers import certify, make_product


def products(
    office, n: int, commune: str, *, stars: int = 3, issued: dt.date | None = None, prefix: str = "SP"
):
    """`n` products of `commune`, each with a certificate valid today."""
    issued = issued or dt.date.today() - dt.timedelta(days=30)
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
