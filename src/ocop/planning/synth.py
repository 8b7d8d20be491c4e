"""Synthetic plans for `ocop synth` (ocop.synth): per province, a five-year OCOP plan 2026–2030 and a
yearly plan for each of the dataset's years, with province targets on every counted indicator,
commune targets on the commune-level ones, tasks with responsible units (some reported on), and
the hand-entered figures (OCOP revenue, workers) per province and year.

Written in bulk, one audit event per province, deterministically from the run's seed. Every plan's
title ends with "(tổng hợp)" and its note says it is synthetic; `reset()` deletes them all."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

NAME = "planning"
MARK = "(tổng hợp)"
NOTE = "Kế hoạch tổng hợp (ocop synth) cho thử tải: không phải văn bản thật."

# Province targets per year (low, high) for a province of ~100 communes; scaled by its size.
PROVINCE_TARGETS = {
    "new_products_3star": (15, 40),
    "producers_strengthened": (6, 15),
    "new_producers": (5, 12),
    "products_traceable": (15, 35),
    "producers_linked": (15, 35),
    "products_advanced_quality": (10, 30),
    "upgraded_3_to_4": (3, 10),
    "upgraded_4_to_5": (0, 2),
    "communes_with_product": (60, 95),
    "communes_without_product": (0, 15),
    "sales_points": (2, 6),
    "promotion_participations": (20, 60),
    "officials_trained_share": (80, 100),
    "producers_trained": (40, 120),
    "articles_published": (24, 48),
    "products_listed_online": (20, 60),
    "inspections_done": (10, 30),
    "support_amount": (2_000, 8_000),  # millions of đồng
    "producers_supported": (10, 30),
    "ocop_revenue": (150_000, 600_000),  # millions of đồng
    "ocop_workers": (2_000, 8_000),
}
COMMUNE_INDICATORS = ("new_products_3star", "producers_strengthened", "products_traceable")
MILLIONS = {"support_amount", "ocop_revenue"}

TASKS = (
    ("Tuyên truyền, phổ biến Chương trình OCOP", "Văn phòng Điều phối nông thôn mới tỉnh"),
    ("Hướng dẫn chủ thể đăng ký ý tưởng sản phẩm và phương án kinh doanh", "UBND xã"),
    ("Tổ chức đánh giá, phân hạng sản phẩm OCOP cấp tỉnh", "Sở Nông nghiệp và Môi trường"),
    ("Xúc tiến thương mại, quảng bá sản phẩm OCOP", "Sở Công Thương"),
    ("Ứng dụng khoa học công nghệ, truy xuất nguồn gốc", "Sở Khoa học và Công nghệ"),
    ("Đào tạo, tập huấn cho cán bộ và chủ thể OCOP", "Văn phòng Điều phối nông thôn mới tỉnh"),
    ("Kiểm tra, giám sát sản phẩm OCOP sau chứng nhận", "Sở Nông nghiệp và Môi trường"),
    ("Phát triển sản phẩm OCOP gắn với du lịch nông thôn", "Sở Văn hóa, Thể thao và Du lịch"),
)


def generate(ctx) -> dict:
    from ocop.core.text import search_text
    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit
    from ocop.planning.choices import PlanKind, PlanState, TaskStatus
    from ocop.planning.loader import load_indicators
    from ocop.planning.models import EnteredValue, Indicator, Plan, PlanTask, Target, TaskReport
    from ocop.synth.generator import TODAY, audit_province

    if not Indicator.objects.exists():
        load_indicators()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=PROVINCE_TARGETS, active=True)}
    counts = {"plans": 0, "targets": 0, "tasks": 0, "task_reports": 0, "entered_values": 0}
    first_year = TODAY.year - ctx.scale.cycle_years + 1
    for province in ctx.provinces:
        rng = random.Random(f"{ctx.seed}:plans:{province.code}")
        communes = list(
            AdminUnit.objects.filter(
                edition=Edition.Y2025, level=Level.COMMUNE, path__startswith=province.path
            ).order_by("path")
        )
        size = max(len(communes), 1) / 100

        # A yearly plan for each year (the arguments draw from rng in the order they are written).
        plans = [
            _plan(
                province,
                PlanKind.PLAN,
                f"{rng.randint(20, 300)}/KH-UBND",
                f"Kế hoạch thực hiện Chương trình OCOP năm {year} — {province.name}",
                dt.date(year, 3, rng.randint(1, 28)),
                "Phó Chủ tịch UBND (tên minh họa)",
                (dt.date(year, 1, 1), dt.date(year, 12, 31)),
                PlanState.IN_FORCE if year == TODAY.year else PlanState.CLOSED,
            )
            for year in range(first_year, TODAY.year + 1)
        ]
        plans.append(
            _plan(
                province,
                PlanKind.PROGRAMME,
                f"{rng.randint(300, 999)}/QĐ-UBND",
                f"Chương trình OCOP {province.name} giai đoạn 2026–2030",
                dt.date(2026, 2, rng.randint(1, 28)),
                "Chủ tịch UBND (tên minh họa)",
                (dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
                PlanState.IN_FORCE,
            )
        )
        for plan in plans:
            plan.search_folded = search_text(plan.number, plan.title, plan.issuing_body, province.name)
        Plan.objects.bulk_create(plans)
        targets, tasks = [], []
        for plan in plans:
            years = plan.period_end.year - plan.period_start.year + 1
            for code, indicator in indicators.items():
                low, high = PROVINCE_TARGETS[code]
                value = rng.randint(low, high)
                if indicator.pro_rata:
                    value = round(value * size * years)
                if code in MILLIONS:
                    value *= 1_000_000
                targets.append(Target(plan=plan, indicator=indicator, area=province, value=Decimal(value)))
            for commune in communes:
                for code in COMMUNE_INDICATORS:
                    if code in indicators and rng.random() < 0.6:
                        targets.append(
                            Target(
                                plan=plan,
                                indicator=indicators[code],
                                area=commune,
                                value=Decimal(rng.randint(0, 2) * years),
                            )
                        )
            for order, (title, responsible) in enumerate(rng.sample(TASKS, 6), start=1):
                deadline = (
                    plan.period_end if rng.random() < 0.7 else plan.period_start.replace(month=9, day=30)
                )
                done = deadline < TODAY
                progress = 100 if done else rng.choice((0, 20, 40, 60, 80))
                tasks.append(
                    PlanTask(
                        plan=plan,
                        number=str(order),
                        title=title,
                        responsible=responsible,
                        coordinating="Các sở, ngành liên quan; UBND các xã, phường",
                        deadline=deadline,
                        status=TaskStatus.DONE
                        if done
                        else (TaskStatus.IN_PROGRESS if progress else TaskStatus.NOT_STARTED),
                        progress=progress,
                        order=order,
                    )
                )
        Target.objects.bulk_create(targets, batch_size=5000)
        PlanTask.objects.bulk_create(tasks, batch_size=5000)
        reports = []
        for task in tasks:
            if task.progress and rng.random() < 0.5:
                reports.append(
                    TaskReport(
                        task=task,
                        date=min(task.deadline, TODAY),
                        progress=task.progress,
                        text=f"Đã thực hiện {task.progress}% nhiệm vụ (báo cáo tổng hợp).",
                        reported_by=ctx.actor,
                    )
                )
        TaskReport.objects.bulk_create(reports, batch_size=5000)
        entered = []
        for year in range(first_year, TODAY.year + 1):
            for code in ("ocop_revenue", "ocop_workers"):
                if code not in indicators:
                    continue
                low, high = PROVINCE_TARGETS[code]
                value = round(rng.randint(low, high) * size)
                entered.append(
                    EnteredValue(
                        indicator=indicators[code],
                        area=province,
                        period_start=dt.date(year, 1, 1),
                        period_end=dt.date(year, 12, 31),
                        value=Decimal(value * (1_000_000 if code in MILLIONS else 1)),
                        note="Số liệu tổng hợp (ocop synth)",
                        entered_by=ctx.actor,
                    )
                )
        EnteredValue.objects.bulk_create(entered, batch_size=5000)
        changes = {
            "plans": len(plans),
            "targets": len(targets),
            "tasks": len(tasks),
            "task_reports": len(reports),
            "entered_values": len(entered),
        }
        audit_province(ctx.actor, province, changes, "Kế hoạch tổng hợp", NAME)
        for key, value in changes.items():
            counts[key] += value
    return counts


def _plan(province, kind, number: str, title: str, issued_on, signer: str, period, state):
    from ocop.planning.models import Plan

    return Plan(
        kind=kind,
        number=number,
        title=f"{title} {MARK}",
        issuing_body=f"UBND {province.name}",
        issued_on=issued_on,
        signer=signer,
        period_start=period[0],
        period_end=period[1],
        area=province,
        state=state,
        note=NOTE,
        is_illustrative=True,
    )


def reset() -> dict:
    from ocop.planning.models import EnteredValue, Plan

    plans = Plan.objects.filter(is_illustrative=True, title__endswith=MARK)
    entered = EnteredValue.objects.filter(note="Số liệu tổng hợp (ocop synth)")
    counts = {"plans": plans.count(), "entered_values": entered.count()}  # (targets, tasks go with them)
    entered.delete()
    plans.delete()
    return counts
