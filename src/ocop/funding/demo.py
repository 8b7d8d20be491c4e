"""Demo funding (`ocop demo load`): the funding sources the district resolution names
(Chương trình MTQG xây dựng nông thôn mới, khuyến công, Nghị quyết 09/2019/NQ-HĐND of Bắc Kạn)
for 2024, illustrative support to illustrative demo producers in 2024 with its disbursements,
and one state-funded asset handed over. Amounts and decision numbers are made up and say so
("minh họa"); the legal bases are the real instruments. Written through the services by the demo
administrator; `reset()` deletes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

MARK = "minh họa"

SOURCES = [
    {
        "key": "ntm",
        "kind": "ntp_new_rural",
        "name": "Chương trình MTQG xây dựng nông thôn mới — hỗ trợ Chương trình OCOP năm 2024",
        "legal_basis": "Quyết định số 263/QĐ-TTg ngày 22/02/2022 của Thủ tướng Chính phủ",
        "allocated_amount": Decimal(500_000_000),
        "responsible_unit": "Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn",
    },
    {
        "key": "kc",
        "kind": "industrial_promotion",
        "name": "Kinh phí khuyến công địa phương năm 2024",
        "legal_basis": "Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công",
        "allocated_amount": Decimal(300_000_000),
        "responsible_unit": "Sở Công Thương tỉnh Bắc Kạn",
    },
    {
        "key": "nq09",
        "kind": "provincial_resolution",
        "name": "Chính sách hỗ trợ theo Nghị quyết 09/2019/NQ-HĐND năm 2024",
        "legal_basis": "Nghị quyết số 09/2019/NQ-HĐND của Hội đồng nhân dân tỉnh Bắc Kạn",
        "allocated_amount": Decimal(400_000_000),
        "responsible_unit": "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn",
    },
]

GRANTS = [
    (
        "ntm",
        "packaging_label",
        "Thiết kế bao bì, nhãn mác",
        dt.date(2024, 3, 20),
        30_000_000,
        [(dt.date(2024, 4, 15), 30_000_000)],
    ),
    (
        "ntm",
        "traceability_stamps",
        "In tem truy xuất nguồn gốc",
        dt.date(2024, 4, 10),
        15_000_000,
        [(dt.date(2024, 5, 6), 15_000_000)],
    ),
    (
        "kc",
        "trade_fair",
        "Tham gia hội chợ OCOP khu vực",
        dt.date(2024, 8, 1),
        20_000_000,
        [(dt.date(2024, 9, 5), 18_500_000)],
    ),
    (
        "nq09",
        "equipment",
        "Hỗ trợ máy sấy, máy hút chân không",
        dt.date(2024, 6, 12),
        150_000_000,
        [(dt.date(2024, 7, 1), 100_000_000), (dt.date(2024, 10, 1), 50_000_000)],
    ),
]


def _actor():
    from ocop.accounts.models import User

    return User.objects.filter(username="admin", is_active=True).first()


def _producers():
    from ocop.registry.demo import demo_product_ids
    from ocop.registry.models import Product

    products = (
        Product.objects.filter(pk__in=demo_product_ids(), is_illustrative=True)
        .select_related("producer", "producer__commune")
        .order_by("pk")
    )
    seen = {}
    for product in products:
        seen.setdefault(product.producer_id, product)
        if len(seen) == 3:
            break
    return list(seen.values())


def load() -> str:
    from ocop.geo.models import AdminUnit

    from . import services
    from .models import FundingSource, StateAsset, SupportGrant

    actor = _actor()
    products = _producers()
    province = AdminUnit.objects.filter(path="legacy/06/").first()
    if actor is None or not products or province is None:
        return "Demo funding: skipped (no demo administrator, illustrative producers or Bắc Kạn)."
    created = 0
    with transaction.atomic():
        sources = {}
        for spec in SOURCES:
            data = {k: v for k, v in spec.items() if k != "key"}
            data.update(year=2024, area=province, note=f"Số liệu {MARK}.", is_illustrative=True)
            source = FundingSource.objects.filter(name=data["name"], year=2024, is_illustrative=True).first()
            sources[spec["key"]] = source or services.create_source(actor, data)
        for i, (key, kind, description, day, amount, payments) in enumerate(GRANTS):
            product = products[i % len(products)]
            number = f"{100 + i}/QĐ-UBND ({MARK})"
            if SupportGrant.objects.filter(decision_number=number, is_illustrative=True).exists():
                continue
            grant = services.create_grant(
                actor,
                {
                    "producer": product.producer,
                    "product": product,
                    "kind": kind,
                    "description": f"{description} ({MARK})",
                    "decision_number": number,
                    "decision_date": day,
                    "approved_amount": Decimal(amount),
                    "source": sources[key],
                    "responsible_unit": sources[key].responsible_unit,
                    "is_illustrative": True,
                },
            )
            for paid_on, paid in payments:
                services.add_disbursement(
                    actor, grant, {"date": paid_on, "amount": Decimal(paid), "reference": f"UNC {MARK}"}
                )
            created += 1
            if kind == "equipment" and not StateAsset.objects.filter(grant=grant).exists():
                services.create_asset(
                    actor,
                    {
                        "producer": product.producer,
                        "name": f"Máy hút chân không ({MARK})",
                        "quantity": 1,
                        "value": Decimal(45_000_000),
                        "decision_number": number,
                        "decision_date": day,
                        "handed_on": dt.date(2024, 7, 5),
                        "source": sources[key],
                        "grant": grant,
                        "condition": "good",
                        "last_checked_on": dt.date(2024, 12, 10),
                        "responsible_unit": "UBND xã",
                        "is_illustrative": True,
                    },
                )
    return f"Demo funding: {len(sources)} sources, {created} illustrative support grants created."


def reset() -> int:
    from django.db.models import Q

    from ocop.registry.demo import demo_product_ids
    from ocop.registry.models import Product

    from .models import Disbursement, FundingSource, StateAsset, SupportGrant

    demo_products = Product.objects.filter(pk__in=demo_product_ids())
    producers = demo_products.values("producer_id")
    with transaction.atomic():
        # The illustrative records, and any other hanging on the demo's producers and products
        # (the registry's reset deletes those next; only for demo data).
        mine = Q(is_illustrative=True) | Q(producer_id__in=producers)
        grants = SupportGrant.objects.filter(mine | Q(product__in=demo_products))
        StateAsset.objects.filter(mine | Q(grant__in=grants)).delete()  # a queryset delete: demo data only
        Disbursement.objects.filter(grant__in=grants).delete()
        count = grants.count()
        grants.delete()
        FundingSource.objects.filter(is_illustrative=True, grants__isnull=True, assets__isnull=True).delete()
    return count
