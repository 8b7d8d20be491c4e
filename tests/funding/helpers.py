"""Building funding records for the tests, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ocop.funding import services
from tests.programme.helpers import make_product  # noqa: F401

PROVINCE = object()


def source(
    office,
    area=PROVINCE,
    kind="ntp_new_rural",
    name="Chương trình MTQG xây dựng nông thôn mới",
    year=2026,
    **extra,
):
    if area is PROVINCE:
        from ocop.geo.models import AdminUnit

        area = AdminUnit.objects.get(path="2025/19/")
    return services.create_source(
        office,
        {
            "kind": kind,
            "name": name,
            "year": year,
            "area": area,
            "allocated_amount": Decimal(500_000_000),
            **extra,
        },
    )


def grant(office, producer, src, amount=30_000_000, day=dt.date(2026, 2, 1), kind="packaging_label", **extra):
    return services.create_grant(
        office,
        {
            "producer": producer,
            "kind": kind,
            "decision_number": extra.pop("decision_number", f"{day:%j}/QĐ-UBND"),
            "decision_date": day,
            "approved_amount": Decimal(amount),
            "source": src,
            "responsible_unit": "Văn phòng Điều phối NTM",
            **extra,
        },
    )


def pay(office, g, amount, day=dt.date(2026, 3, 1)):
    return services.add_disbursement(office, g, {"date": day, "amount": Decimal(amount)})
