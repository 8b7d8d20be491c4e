"""The demo plan: Kế hoạch 180/KH-UBND ngày 22/03/2024 của UBND tỉnh Bắc Kạn (the seed file 001 of
the domain sources), over the former province of Bắc Kạn for 2024.

* Real: its number, date, signer, legal bases (the four "Căn cứ" of the plan), the province totals
  of section II (at least 20 new products of 3★ or more, 8 producers strengthened, 8 new
  producers, traceability for 20 products, 25 producers in linkages, 37 products with advanced
  quality management, at least 2 articles a month — 24 for the year) and task 1 of section III
  with the units the plan names for it.
* Illustrative: the split of the totals across the 8 former districts/city (the plan's appendices
  are not in our sources; the split follows "bình quân 2-3 sản phẩm/huyện" and "bình quân 1 chủ
  thể/huyện"), and tasks 2–4, summarised from the plan's purposes (section I) because the rest of
  section III is not in our sources. The plan's note says so.
* Illustrative registry details, so that the progress table has something to count for 2024: the
  registry demo holds no traceability, advanced standards or linkages, so some of its
  *illustrative* products certified at the end of 2024 get a traceability code, an advanced
  quality standard (issuer "Minh họa (Kế hoạch 180/KH-UBND)") and some of their producers a
  linkage ("Đối tác tiêu thụ minh họa …"). `reset()` removes exactly these. The registry demo has
  no first recognition in 2024, so the new products and producers of 2024 count 0 — as shown.

`load()` is idempotent (the plan is found by its number and area); `reset()` deletes it with its
targets, tasks and reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ocop.core.text import fold, search_text

NUMBER = "180/KH-UBND"
PROVINCE_PATH = "legacy/06/"

LEGAL_BASES = [
    "Quyết định số 919/QĐ-TTg ngày 01/8/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mỗi xã một "
    "sản phẩm giai đoạn 2021-2025",
    "Quyết định số 386/QĐ-UBND ngày 19/3/2021 của UBND tỉnh Bắc Kạn về việc phê duyệt Đề án “Mỗi xã, "
    "phường một sản phẩm” tỉnh Bắc Kạn giai đoạn 2021-2025",
    "Quyết định số 1228/QĐ-UBND ngày 06/7/2023 của UBND tỉnh Bắc Kạn về việc Điều chỉnh, bổ sung Thuyết "
    "minh Đề án “Mỗi xã, phường một sản phẩm” tỉnh Bắc Kạn (OCOP-BK) giai đoạn 2021-2025",
    "Quyết định số 2338/QĐ-UBND ngày 10/12/2023 của UBND tỉnh Bắc Kạn về việc giao chỉ tiêu kế hoạch phát "
    "triển kinh tế - xã hội và dự toán ngân sách năm 2024",
]

NOTE = (
    "Chỉ tiêu toàn tỉnh theo mục II của Kế hoạch. Phân bổ chỉ tiêu cho 8 huyện, thành phố là MINH HỌA: "
    "các phụ lục 1 và 2 của Kế hoạch không có trong nguồn dữ liệu, việc phân bổ dựa theo “bình quân 2-3 "
    "sản phẩm/huyện, thành phố” và “bình quân 1 chủ thể/huyện, thành phố”. Nhiệm vụ 1 theo mục III.1 "
    "của Kế hoạch; các nhiệm vụ 2–4 là minh họa, tóm tắt từ mục I (phần còn lại của mục III không có "
    "trong nguồn)."
)

# Province totals (section II of the plan).
TOTALS = {
    "new_products_3star": 20,
    "producers_strengthened": 8,
    "new_producers": 8,
    "products_traceable": 20,
    "producers_linked": 25,
    "products_advanced_quality": 37,
    "articles_published": 24,
}

# The illustrative split per former district (folded name fragment → targets); each column sums
# to the province total above.
DISTRICTS = ["bac kan", "pac nam", "ba be", "ngan son", "bach thong", "cho don", "cho moi", "na ri"]
SPLIT = {
    "new_products_3star": [2, 2, 3, 2, 3, 3, 2, 3],
    "producers_strengthened": [1, 1, 1, 1, 1, 1, 1, 1],
    "new_producers": [1, 1, 1, 1, 1, 1, 1, 1],
    "products_traceable": [2, 2, 3, 2, 3, 3, 2, 3],
    "producers_linked": [3, 2, 4, 2, 3, 4, 3, 4],
    "products_advanced_quality": [4, 3, 6, 3, 5, 6, 4, 6],
}

TASKS = [
    {
        "number": "1",
        "title": "Kiện toàn hệ thống tổ chức và nâng cao năng lực cho cán bộ quản lý thực hiện Chương "
        "trình OCOP từ tỉnh đến huyện, xã",
        "content": "Thường xuyên rà soát, kiện toàn cơ cấu tổ chức, bộ máy thực hiện Chương trình OCOP các "
        "cấp, khi có thay đổi nhân sự đảm bảo đủ thành phần, năng lực triển khai Chương trình OCOP hiệu "
        "quả tại địa phương.\nTổ chức đào tạo tập huấn nâng cao năng lực cho đội ngũ cán bộ triển khai "
        "Chương trình OCOP tại các Sở, ban, ngành cấp tỉnh; các phòng ban chuyên môn các huyện, thành phố; "
        "các xã, phường, thị trấn về mục tiêu, nhiệm vụ trọng tâm Chương trình OCOP giai đoạn 2021-2025; "
        "quy trình triển khai Chu trình OCOP thường niên; bộ tiêu chí đánh giá, xếp hạng sản phẩm.",
        "responsible": "Văn phòng Điều phối nông thôn mới tỉnh",
        "coordinating": "UBND các huyện, thành phố",
        "status": "done",
        "progress": 100,
        "report": "Minh họa: đã tổ chức tập huấn cho cán bộ OCOP cấp tỉnh, huyện, xã.",
    },
    {
        "number": "2",
        "title": "Đẩy mạnh công tác truyền thông về Chương trình OCOP (minh họa)",
        "content": "Minh họa, tóm tắt từ mục I.1 của Kế hoạch: đẩy mạnh truyền thông nội dung Chương trình "
        "giai đoạn 2021-2025 để các cấp, các ngành, người dân hưởng ứng tham gia; ít nhất 2 tin, bài, "
        "phóng sự mỗi tháng (mục II.3).",
        "responsible": "Văn phòng Điều phối nông thôn mới tỉnh",
        "coordinating": "Các sở, ban, ngành; UBND các huyện, thành phố",
        "status": "done",
        "progress": 100,
    },
    {
        "number": "3",
        "title": "Củng cố, nâng cấp sản phẩm OCOP đã được công nhận và phát triển sản phẩm mới năm 2024 "
        "(minh họa)",
        "content": "Minh họa, tóm tắt từ mục I.1 của Kế hoạch: xây dựng thương hiệu, mở rộng quy mô sản "
        "xuất, áp dụng các tiêu chuẩn Organic, ISO 22000, HACCP, VietGAP…; triển khai các bước của Chu "
        "trình OCOP ngay từ đầu năm (mục I.2).",
        "responsible": "UBND các huyện, thành phố",
        "coordinating": "Văn phòng Điều phối nông thôn mới tỉnh; các sở, ban, ngành",
        "status": "done",
        "progress": 100,
    },
    {
        "number": "4",
        "title": "Quảng bá, xúc tiến thương mại và kiểm tra quản lý chất lượng sản phẩm OCOP (minh họa)",
        "content": "Minh họa, tóm tắt từ mục I.1 của Kế hoạch: tăng cường quảng bá, giới thiệu và ứng dụng "
        "công nghệ 4.0 trong xúc tiến thương mại; kiểm tra quản lý chất lượng sản phẩm OCOP theo quy định.",
        "responsible": "Các sở, ban, ngành",
        "coordinating": "UBND các huyện, thành phố",
        "status": "in_progress",
        "progress": 80,
    },
]


TRACE_MARK = "Mã QR truy xuất nguồn gốc (minh họa)"
STANDARD_MARK = "Minh họa (Kế hoạch 180/KH-UBND)"
LINK_MARK = "Đối tác tiêu thụ minh họa"
STANDARD_KINDS = ["vietgap", "organic", "haccp", "iso22000"]


def _illustrate(end: dt.date) -> dict[str, int]:
    """Traceability, standards and linkages on the registry demo's illustrative products."""
    from ocop.registry.models import ProducerLinkage, Product, ProductStandard

    from .counters import _certified_on

    products = list(
        Product.objects.filter(is_illustrative=True, commune__path__startswith=PROVINCE_PATH)
        .filter(_certified_on(end))
        .order_by("name", "pk")
    )
    traced = products[0::3][:15]
    for i, item in enumerate(traced):
        item.traceability_system = TRACE_MARK
        item.traceability_since = dt.date(2024, 1 + i % 11, 10)
    Product.objects.bulk_update(traced, ["traceability_system", "traceability_since"])
    standards = [
        ProductStandard(
            product=item,
            kind=STANDARD_KINDS[i % len(STANDARD_KINDS)],
            issuer=STANDARD_MARK,
            issued_on=dt.date(2024, 1 + i % 11, 15),
            expires_on=dt.date(2027, 1 + i % 11, 14),
        )
        for i, item in enumerate(products[1::3][:26])
    ]
    ProductStandard.objects.bulk_create(standards)
    producers = []
    for item in products[2::2]:
        if item.producer_id not in producers:
            producers.append(item.producer_id)
    linkages = [
        ProducerLinkage(
            producer_id=pk,
            partner=f"{LINK_MARK} {i + 1:02d}",
            role="Bên thu mua, tiêu thụ sản phẩm (minh họa)",
            start_date=dt.date(2024, 1 + i % 11, 1),
        )
        for i, pk in enumerate(producers[:19])
    ]
    ProducerLinkage.objects.bulk_create(linkages)
    return {"traceable": len(traced), "standards": len(standards), "linkages": len(linkages)}


def _unillustrate() -> None:
    from ocop.registry.models import ProducerLinkage, Product, ProductStandard

    Product.objects.filter(traceability_system=TRACE_MARK).update(
        traceability_system="", traceability_since=None
    )
    ProductStandard.objects.filter(issuer=STANDARD_MARK).delete()
    ProducerLinkage.objects.filter(partner__startswith=LINK_MARK).delete()


def _actor():
    from ocop.accounts.models import User

    return User.objects.filter(username="admin", is_active=True).first()


def _districts(province) -> list:
    from ocop.geo.models import AdminUnit

    units = list(AdminUnit.objects.filter(parent=province, level=2))
    out = []
    for key in DISTRICTS:
        match = next((u for u in units if key in fold(u.name)), None)
        if match is None:
            raise RuntimeError(f"Former district {key!r} of Bắc Kạn is missing: run `ocop load-units`.")
        out.append(match)
    return out


def demo_plan():
    from .models import Plan

    return Plan.objects.filter(number=NUMBER, area__path=PROVINCE_PATH).first()


def load() -> str:
    from ocop.audit import services as audit
    from ocop.geo.models import AdminUnit

    from .choices import PlanKind, PlanState
    from .loader import load_indicators
    from .models import Indicator, Plan, PlanTask, Target, TaskReport

    if demo_plan() is not None:
        return f"Demo planning: plan {NUMBER} already loaded."
    province = AdminUnit.objects.filter(path=PROVINCE_PATH).first()
    if province is None:
        return "Demo planning: skipped (the former province of Bắc Kạn is not loaded)."
    load_indicators()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=TOTALS)}
    districts = _districts(province)
    actor = _actor()
    with transaction.atomic():
        plan = Plan(
            kind=PlanKind.PLAN,
            number=NUMBER,
            title="Kế hoạch thực hiện Chương trình “Mỗi xã, phường một sản phẩm” (OCOP) tỉnh Bắc Kạn "
            "năm 2024",
            issuing_body="UBND tỉnh Bắc Kạn",
            issued_on=dt.date(2024, 3, 22),
            signer="Nông Quang Nhất",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            area=province,
            legal_bases="\n".join(LEGAL_BASES),
            state=PlanState.CLOSED,
            note=NOTE,
            is_illustrative=False,
        )
        plan.search_folded = search_text(plan.number, plan.title, plan.issuing_body, province.name)
        plan.save()
        targets = [
            Target(plan=plan, indicator=indicators[code], area=province, value=Decimal(total))
            for code, total in TOTALS.items()
        ]
        for code, values in SPLIT.items():
            assert sum(values) == TOTALS[code], code
            targets += [
                Target(plan=plan, indicator=indicators[code], area=d, value=Decimal(v))
                for d, v in zip(districts, values, strict=True)
            ]
        Target.objects.bulk_create(targets)
        reports = 0
        for order, spec in enumerate(TASKS, start=1):
            spec = dict(spec)
            report = spec.pop("report", None)
            task = PlanTask.objects.create(
                plan=plan, order=order * 10, deadline=dt.date(2024, 12, 31), **spec
            )
            if report and actor is not None:
                TaskReport.objects.create(
                    task=task, date=dt.date(2024, 12, 20), progress=100, text=report, reported_by=actor
                )
                reports += 1
        details = _illustrate(plan.period_end)
        audit.record(
            actor=actor,
            action="import",
            obj=plan,
            after=audit.snapshot(plan),
            message=f"ocop demo load: {len(targets)} targets, {len(TASKS)} tasks, {reports} reports; "
            f"illustrative registry details {details}",
            area=province,
        )
    return f"Demo planning: plan {NUMBER} with {len(targets)} targets and {len(TASKS)} tasks."


def reset() -> None:
    from ocop.audit import services as audit

    plan = demo_plan()
    if plan is None:
        _unillustrate()
        return
    with transaction.atomic():
        _unillustrate()
        area = plan.area
        audit.record(actor=_actor(), action="delete", obj=plan, message="ocop demo reset", area=area)
        plan.delete()
