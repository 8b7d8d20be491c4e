"""Demo quality inspections (`ocop demo load`): three illustrative inspections in 2024 of
illustrative demo producers of former Bắc Kạn — a planned one passed, an ad hoc one failed with
its samples and a follow-up action done, and a planned one whose results are awaited. They open no
case on a certificate (the demo's certificates reproduce published totals). Written through the
services by the demo administrator; `reset()` deletes them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

MARK = "Minh họa"


def _actor():
    from ocop.accounts.models import User

    return User.objects.filter(username="admin", is_active=True).first()


def _products():
    from ocop.registry.demo import demo_product_ids
    from ocop.registry.models import Product

    return list(
        Product.objects.filter(pk__in=demo_product_ids(), is_illustrative=True)
        .select_related("producer", "commune")
        .order_by("pk")[:3]
    )


INSPECTIONS = [
    {
        "kind": "planned",
        "state": "done",
        "date": dt.date(2024, 5, 15),
        "inspecting_body": "Chi cục Quản lý chất lượng nông lâm sản và thủy sản tỉnh Bắc Kạn (minh họa)",
        "responsible_unit": "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn",
        "subject": "Hậu kiểm sản phẩm OCOP: an toàn thực phẩm, ghi nhãn",
        "findings": "Cơ sở đáp ứng điều kiện an toàn thực phẩm; nhãn ghi đủ nội dung bắt buộc.",
        "outcome": "passed",
        "samples": [],
        "actions": [],
    },
    {
        "kind": "ad_hoc",
        "state": "done",
        "date": dt.date(2024, 9, 10),
        "inspecting_body": "Đoàn kiểm tra liên ngành an toàn thực phẩm tỉnh Bắc Kạn (minh họa)",
        "responsible_unit": "Sở Y tế tỉnh Bắc Kạn",
        "subject": "Kiểm tra đột xuất theo phản ánh về chất lượng sản phẩm",
        "findings": "Nhãn chưa ghi hạn sử dụng theo quy định; một mẫu vượt giới hạn độ ẩm.",
        "outcome": "failed",
        "samples": [
            {
                "sample": "Mẫu sản phẩm lấy tại kho cơ sở",
                "test": "Độ ẩm",
                "lab": "Trung tâm Kiểm nghiệm tỉnh Bắc Kạn (minh họa)",
                "result": "14,2 %",
                "limit": "≤ 12 %",
                "within_limits": False,
            },
            {
                "sample": "Mẫu sản phẩm lấy tại kho cơ sở",
                "test": "Coliforms",
                "lab": "Trung tâm Kiểm nghiệm tỉnh Bắc Kạn (minh họa)",
                "result": "Không phát hiện",
                "limit": "≤ 10 CFU/g",
                "within_limits": True,
            },
        ],
        "actions": [
            {
                "action": "Bổ sung hạn sử dụng trên nhãn, cải tiến khâu sấy để đạt độ ẩm quy định",
                "responsible": "Chủ thể sản xuất",
                "deadline": dt.date(2024, 10, 10),
                "done_on": dt.date(2024, 10, 5),
            }
        ],
    },
    {
        "kind": "planned",
        "state": "done",
        "date": dt.date(2024, 11, 20),
        "inspecting_body": "Phòng Nông nghiệp và Phát triển nông thôn huyện (minh họa)",
        "responsible_unit": "UBND huyện",
        "subject": "Kiểm tra duy trì tiêu chí sản phẩm OCOP",
        "findings": "Đã lấy mẫu gửi kiểm nghiệm, chờ kết quả.",
        "outcome": "pending",
        "samples": [],
        "actions": [],
    },
]


def load() -> str:
    from ocop.quality import services

    from .models import Inspection

    actor = _actor()
    products = _products()
    if actor is None or not products:
        return "Demo quality: skipped (no demo administrator or illustrative products)."
    created = 0
    with transaction.atomic():
        for i, spec in enumerate(INSPECTIONS):
            product = products[i % len(products)]
            reference = f"{MARK} KT-{spec['date']:%Y}-{i + 1:02d}"
            if Inspection.objects.filter(reference=reference, is_illustrative=True).exists():
                continue
            data = {k: v for k, v in spec.items() if k not in ("samples", "actions")}
            data.update(
                reference=reference, producer=product.producer, products=[product], is_illustrative=True
            )
            inspection = services.create_inspection(actor, data)
            for sample in spec["samples"]:
                services.add_sample(actor, inspection, {**sample, "product": product})
            for action in spec["actions"]:
                row = services.add_action(actor, inspection, action)
                if action.get("done_on"):
                    services.complete_action(actor, row, action["done_on"])
            created += 1
    return f"Demo quality: {created} illustrative inspections created."


def reset() -> int:
    from django.db.models import Q

    from ocop.registry.demo import demo_product_ids
    from ocop.registry.models import Product

    from .models import FollowUpAction, Inspection, InspectionCase, InspectionSample

    ids = demo_product_ids()
    producers = Product.objects.filter(pk__in=ids).values("producer_id")
    with transaction.atomic():
        # The illustrative inspections, and any other hanging on the demo's producers and products
        # (the registry's reset deletes those next; only for demo data).
        demo = Inspection.objects.filter(Q(is_illustrative=True) | Q(producer_id__in=producers))
        InspectionCase.objects.filter(product_id__in=ids).delete()
        InspectionCase.objects.filter(inspection__in=demo).delete()
        InspectionSample.objects.filter(inspection__in=demo).delete()
        FollowUpAction.objects.filter(inspection__in=demo).delete()
        count = demo.count()
        Inspection.products.through.objects.filter(inspection__in=demo).delete()
        demo.delete()
    return count
