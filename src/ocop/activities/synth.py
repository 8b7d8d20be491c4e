"""Synthetic activities for `ocop synth` (ocop.synth): per province and year of the dataset,
trade-promotion events with the province's producers taking part (products shown, sales,
contracts), training courses for officials and producers with their attendees, outreach articles
(two to four a month), and OCOP sales points opened over the years, each carrying products of the
province.

Written in bulk, one audit event per province, deterministically from the run's seed. Every
record is `is_illustrative` and its name ends with "(tổng hợp)"; `reset()` deletes them all."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

NAME = "activities"
MARK = "(tổng hợp)"
OFFICE = "Văn phòng Điều phối nông thôn mới tỉnh"

EVENT_KINDS = (
    ("fair", "Hội chợ OCOP", "inside", 40),
    ("exhibition", "Triển lãm sản phẩm OCOP", "inside", 20),
    ("connection", "Hội nghị kết nối cung cầu", "outside", 20),
    ("ocop_week", "Tuần hàng OCOP", "outside", 15),
    ("other", "Chương trình quảng bá OCOP", "abroad", 5),
)
SALES_POINT_KINDS = (
    "market",
    "tourism",
    "station",
    "rest_stop",
    "craft_village",
    "fair_centre",
    "post_office",
)
OUTLETS = (
    ("Báo Nông nghiệp và Môi trường", "central_press"),
    ("Báo điện tử tỉnh", "local_press"),
    ("Đài Phát thanh và Truyền hình tỉnh", "radio_tv"),
    ("Cổng thông tin điện tử tỉnh", "web"),
    ("Trang Facebook OCOP tỉnh", "social"),
)


def _day(rng: random.Random, year: int, until: dt.date) -> dt.date:
    last = min(dt.date(year, 12, 31), until)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(max((last - dt.date(year, 1, 1)).days, 1)))


def generate(ctx) -> dict:
    from ocop.activities.models import (
        CourseAttendee,
        EventParticipation,
        OutreachArticle,
        PromotionEvent,
        SalesPoint,
        TrainingCourse,
    )
    from ocop.core.text import search_text
    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Product
    from ocop.synth.generator import TODAY, audit_province

    counts = {
        "events": 0,
        "participations": 0,
        "sales_points": 0,
        "courses": 0,
        "attendees": 0,
        "articles": 0,
    }
    first_year = TODAY.year - ctx.scale.cycle_years + 1
    for province in ctx.provinces:
        rng = random.Random(f"{ctx.seed}:activities:{province.code}")
        producers = ctx.producers_by_province.get(province.pk) or []
        product_ids = ctx.products_by_province.get(province.pk) or []
        if not producers:
            continue
        products_of: dict[int, list[int]] = {}
        for product_id, producer_id in Product.objects.filter(pk__in=product_ids).values_list(
            "pk", "producer_id"
        ):
            products_of.setdefault(producer_id, []).append(product_id)
        communes = list(
            AdminUnit.objects.filter(
                edition=Edition.Y2025, level=Level.COMMUNE, path__startswith=province.path
            ).order_by("path")
        )
        size = max(len(communes), 1) / 100
        events, participations, shown = [], [], []
        courses, attendees, articles, points = [], [], [], []
        for year in range(first_year, TODAY.year + 1):
            for i in range(max(2, round(6 * size))):
                kind, label, place, _w = rng.choices(EVENT_KINDS, weights=[k[3] for k in EVENT_KINDS])[0]
                start = _day(rng, year, TODAY)
                events.append(
                    PromotionEvent(
                        area=province,
                        responsible_unit="Sở Công Thương",
                        name=f"{label} {province.name} năm {year} — lần {i + 1} {MARK}",
                        kind=kind,
                        start_date=start,
                        end_date=start + dt.timedelta(days=rng.randint(0, 4)),
                        place=place,
                        venue=province.name if place == "inside" else "Hà Nội",
                        organiser=f"Sở Công Thương {province.name}",
                        budget=Decimal(rng.randint(50, 800) * 1_000_000),
                        is_illustrative=True,
                    )
                )
            for i in range(max(2, round(4 * size))):
                start = _day(rng, year, TODAY)
                officials = i % 2 == 0
                courses.append(
                    TrainingCourse(
                        area=province,
                        responsible_unit=OFFICE,
                        title=f"Tập huấn OCOP năm {year} — lớp {i + 1} {MARK}",
                        topic="Quy trình đánh giá, phân hạng sản phẩm OCOP"
                        if officials
                        else "Xây dựng phương án kinh doanh, truy xuất nguồn gốc",
                        audience="officials" if officials else "producers",
                        level="province",
                        start_date=start,
                        end_date=start + dt.timedelta(days=rng.randint(0, 2)),
                        organiser=f"{OFFICE} {province.name}",
                        funding="Ngân sách tỉnh",
                        funding_amount=Decimal(rng.randint(20, 150) * 1_000_000),
                        is_illustrative=True,
                    )
                )
            months = 12 if year < TODAY.year else TODAY.month
            for month in range(1, months + 1):
                for j in range(rng.randint(2, 4)):
                    outlet, kind = rng.choice(OUTLETS)
                    articles.append(
                        OutreachArticle(
                            area=province,
                            responsible_unit=OFFICE,
                            title=f"Chương trình OCOP {province.name}: tin tháng {month}/{year} "
                            f"số {j + 1} {MARK}",
                            outlet=outlet,
                            kind=kind,
                            published_on=dt.date(year, month, rng.randint(1, 28)),
                            summary="Bài viết tổng hợp (ocop synth).",
                            public=rng.random() < 0.3,
                            is_illustrative=True,
                        )
                    )
        for i in range(max(2, round(10 * size))):
            opened = _day(rng, rng.randint(first_year, TODAY.year), TODAY)
            commune = rng.choice(communes) if communes else province
            points.append(
                SalesPoint(
                    area=province,
                    responsible_unit="Sở Công Thương",
                    name=f"Điểm giới thiệu và bán sản phẩm OCOP {province.code}-{i + 1:03d} {MARK}",
                    location_kind=rng.choice(SALES_POINT_KINDS),
                    address=f"{commune.name}, {province.name}",
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    operator=f"HTX dịch vụ {province.code}-{i + 1:03d} (tên minh họa)",
                    opened_on=opened,
                    closed_on=opened + dt.timedelta(days=900) if rng.random() < 0.1 else None,
                    published=True,
                    is_illustrative=True,
                )
            )
        for obj in events:
            obj.search_folded = search_text(
                obj.name, obj.venue, obj.organiser, obj.responsible_unit, province.name
            )
        for obj in courses:
            obj.search_folded = search_text(
                obj.title, obj.topic, obj.organiser, obj.responsible_unit, province.name
            )
        for obj in articles:
            obj.search_folded = search_text(obj.title, obj.outlet, obj.responsible_unit, province.name)
        for obj in points:
            obj.search_folded = search_text(
                obj.name, obj.address, obj.operator, obj.responsible_unit, province.name
            )
        PromotionEvent.objects.bulk_create(events, batch_size=5000)
        TrainingCourse.objects.bulk_create(courses, batch_size=5000)
        OutreachArticle.objects.bulk_create(articles, batch_size=5000)
        SalesPoint.objects.bulk_create(points, batch_size=5000)
        for event in events:
            for producer_id in rng.sample(producers, min(len(producers), rng.randint(5, 15))):
                contracts = rng.randint(0, 3)
                participations.append(
                    EventParticipation(
                        event=event,
                        producer_id=producer_id,
                        booth_support="Gian hàng miễn phí" if rng.random() < 0.6 else "",
                        support_amount=Decimal(rng.randint(0, 10) * 1_000_000),
                        sales_amount=Decimal(rng.randint(2, 80) * 1_000_000),
                        contracts_signed=contracts,
                        contracts_value=Decimal(contracts * rng.randint(20, 200) * 1_000_000),
                    )
                )
        EventParticipation.objects.bulk_create(participations, batch_size=5000)
        Shown = EventParticipation.products.through
        for participation in participations:
            for product_id in products_of.get(participation.producer_id, [])[:3]:
                shown.append(Shown(eventparticipation_id=participation.pk, product_id=product_id))
        Shown.objects.bulk_create(shown, batch_size=5000)
        for course in courses:
            if course.audience == "officials":
                for k in range(rng.randint(15, 40)):
                    attendees.append(
                        CourseAttendee(
                            course=course,
                            kind="official",
                            name=f"Cán bộ {k + 1:02d} (tên minh họa)",
                            organisation=f"UBND xã {rng.choice(communes).name}" if communes else OFFICE,
                        )
                    )
            else:
                for producer_id in rng.sample(producers, min(len(producers), rng.randint(15, 40))):
                    attendees.append(CourseAttendee(course=course, kind="producer", producer_id=producer_id))
        CourseAttendee.objects.bulk_create(attendees, batch_size=5000)
        Carried = SalesPoint.products.through
        carried = []
        for point in points:
            for product_id in rng.sample(product_ids, min(len(product_ids), rng.randint(10, 40))):
                carried.append(Carried(salespoint_id=point.pk, product_id=product_id))
        Carried.objects.bulk_create(carried, batch_size=5000)
        changes = {
            "events": len(events),
            "participations": len(participations),
            "sales_points": len(points),
            "courses": len(courses),
            "attendees": len(attendees),
            "articles": len(articles),
        }
        audit_province(ctx.actor, province, changes, "Hoạt động tổng hợp", NAME)
        for key, value in changes.items():
            counts[key] += value
    return counts


def reset() -> dict:
    from ocop.activities.models import OutreachArticle, PromotionEvent, SalesPoint, TrainingCourse

    deleted = {}
    for key, model in (
        ("events", PromotionEvent),
        ("sales_points", SalesPoint),
        ("courses", TrainingCourse),
        ("articles", OutreachArticle),
    ):
        field = "title" if model in (TrainingCourse, OutreachArticle) else "name"
        records = model.objects.filter(is_illustrative=True, **{f"{field}__endswith": MARK})
        deleted[key] = records.count()  # participations, attendees, carried products go with them
        records.delete()
    return deleted
