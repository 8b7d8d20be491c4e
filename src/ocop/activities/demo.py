"""Demo activities (`ocop demo load`): illustrative trade-promotion events of former Bắc Kạn and of
Thái Nguyên with demo producers taking part, three sales points in former Bắc Kạn carrying demo
products (one assessed on the ministry's criteria), training courses for officials and producers,
and two outreach articles a month in 2024. Everything is marked illustrative (`is_illustrative`,
"(minh họa)" in names); no link points to a real article. Written through the services by the demo
administrator; `reset()` deletes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

MARK = "(minh họa)"
OFFICE = "Văn phòng Điều phối nông thôn mới tỉnh"
BAC_KAN = "legacy/06/"
THAI_NGUYEN = "2025/19/"

EVENTS = [
    {
        "name": f"Hội chợ OCOP tỉnh Bắc Kạn năm 2024 {MARK}",
        "kind": "fair",
        "start_date": dt.date(2024, 10, 18),
        "end_date": dt.date(2024, 10, 22),
        "place": "inside",
        "venue": "Quảng trường 19/8, thành phố Bắc Kạn",
        "organiser": "Sở Công Thương tỉnh Bắc Kạn",
        "budget": Decimal("450000000"),
        "area": BAC_KAN,
        "participants": 5,
        "sales": Decimal("38000000"),
    },
    {
        "name": f"Tuần hàng OCOP Bắc Kạn tại Hà Nội năm 2024 {MARK}",
        "kind": "ocop_week",
        "start_date": dt.date(2024, 11, 21),
        "end_date": dt.date(2024, 11, 24),
        "place": "outside",
        "venue": "Trung tâm giới thiệu sản phẩm OCOP, quận Hoàn Kiếm, Hà Nội",
        "organiser": "Sở Công Thương tỉnh Bắc Kạn",
        "budget": Decimal("300000000"),
        "area": BAC_KAN,
        "participants": 4,
        "sales": Decimal("52000000"),
    },
    {
        "name": f"Hội chợ Thương mại quốc tế Trung Quốc – ASEAN năm 2024 {MARK}",
        "kind": "fair",
        "start_date": dt.date(2024, 9, 24),
        "end_date": dt.date(2024, 9, 28),
        "place": "abroad",
        "venue": "Nam Ninh, Quảng Tây, Trung Quốc",
        "organiser": "Bộ Công Thương",
        "budget": None,
        "area": BAC_KAN,
        "participants": 1,
        "sales": None,
    },
    {
        "name": f"Hội nghị kết nối cung cầu sản phẩm OCOP năm 2025 {MARK}",
        "kind": "connection",
        "start_date": dt.date(2025, 5, 15),
        "end_date": dt.date(2025, 5, 15),
        "place": "inside",
        "venue": "Trung tâm Hội nghị tỉnh, thành phố Bắc Kạn",
        "organiser": "Sở Công Thương tỉnh Bắc Kạn",
        "budget": Decimal("120000000"),
        "area": BAC_KAN,
        "participants": 3,
        "sales": None,
    },
    {
        "name": f"Hội chợ OCOP tỉnh Thái Nguyên năm 2026 {MARK}",
        "kind": "fair",
        "start_date": dt.date(2026, 4, 10),
        "end_date": dt.date(2026, 4, 14),
        "place": "inside",
        "venue": "Quảng trường Võ Nguyên Giáp, phường Phan Đình Phùng, Thái Nguyên",
        "organiser": "Sở Công Thương tỉnh Thái Nguyên",
        "budget": Decimal("600000000"),
        "area": THAI_NGUYEN,
        "participants": 4,
        "sales": Decimal("41000000"),
    },
]

SALES_POINTS = [
    {
        "name": f"Điểm giới thiệu và bán sản phẩm OCOP tỉnh Bắc Kạn {MARK}",
        "location_kind": "trade_centre",
        "address": "Đường Trường Chinh, thành phố Bắc Kạn",
        "latitude": Decimal("22.147000"),
        "longitude": Decimal("105.834000"),
        "operator": "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Bắc Kạn",
        "opened_on": dt.date(2022, 12, 20),
        "products": 8,
        "assess": True,
    },
    {
        "name": f"Quầy sản phẩm OCOP khu du lịch hồ Ba Bể {MARK}",
        "location_kind": "tourism",
        "address": "Bến thuyền Bó Lù, khu du lịch quốc gia hồ Ba Bể",
        "latitude": Decimal("22.417000"),
        "longitude": Decimal("105.617000"),
        "operator": "HTX Dịch vụ du lịch Ba Bể (tên minh họa)",
        "opened_on": dt.date(2023, 4, 28),
        "products": 5,
        "assess": False,
    },
    {
        "name": f"Điểm bán sản phẩm OCOP bưu điện Chợ Mới {MARK}",
        "location_kind": "post_office",
        "address": "Bưu điện Chợ Mới, tổ 5, thị trấn Đồng Tâm",
        "latitude": None,
        "longitude": None,
        "operator": "Bưu điện tỉnh Bắc Kạn",
        "opened_on": dt.date(2024, 6, 1),
        "products": 4,
        "assess": False,
    },
]

COURSES = [
    {
        "title": f"Tập huấn nghiệp vụ Chương trình OCOP cho cán bộ cấp huyện, xã năm 2024 {MARK}",
        "topic": "Chu trình OCOP thường niên; Bộ tiêu chí 148/QĐ-TTg; hồ sơ sản phẩm",
        "audience": "officials",
        "level": "province",
        "start_date": dt.date(2024, 4, 9),
        "end_date": dt.date(2024, 4, 10),
        "organiser": "Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn",
        "funding": "Kinh phí sự nghiệp Chương trình MTQG xây dựng nông thôn mới",
        "funding_amount": Decimal("85000000"),
        "area": BAC_KAN,
        "people": ["Hà Văn Thắng", "Lý Thị Mai", "Nông Văn Quý", "Hoàng Thị Nga", "Triệu Văn Sơn"],
        "producers": 0,
        "officials": [],
    },
    {
        "title": f"Tập huấn bao bì, nhãn mác và thương mại điện tử cho chủ thể OCOP năm 2024 {MARK}",
        "topic": "Quy định về nhãn hàng hóa; bán hàng trên sàn thương mại điện tử",
        "audience": "producers",
        "level": "province",
        "start_date": dt.date(2024, 8, 13),
        "end_date": dt.date(2024, 8, 14),
        "organiser": "Sở Công Thương tỉnh Bắc Kạn",
        "funding": "Kinh phí khuyến công",
        "funding_amount": Decimal("60000000"),
        "area": BAC_KAN,
        "people": [],
        "producers": 6,
        "officials": [],
    },
    {
        "title": f"Tập huấn Bộ tiêu chí OCOP 26/2026 cho cán bộ tỉnh, xã {MARK}",
        "topic": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP theo Quyết định 26/2026",
        "audience": "officials",
        "level": "province",
        "start_date": dt.date(2026, 3, 17),
        "end_date": dt.date(2026, 3, 18),
        "organiser": "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên",
        "funding": "Kinh phí sự nghiệp Chương trình MTQG xây dựng nông thôn mới",
        "funding_amount": Decimal("70000000"),
        "area": THAI_NGUYEN,
        "people": [],
        "producers": 0,
        "officials": ["canbo.tinh", "xa.nari"],
    },
]

OUTLETS = [
    ("Báo Bắc Kạn", "local_press"),
    ("Đài Phát thanh và Truyền hình Bắc Kạn", "radio_tv"),
    ("Cổng Thông tin điện tử tỉnh Bắc Kạn", "web"),
    ("Báo Nông nghiệp Việt Nam", "central_press"),
    ("Trang Facebook Văn phòng Điều phối nông thôn mới tỉnh Bắc Kạn", "social"),
]
TOPICS = [
    "Chủ thể OCOP chuẩn bị hồ sơ đánh giá, phân hạng",
    "Nâng cao chất lượng sản phẩm OCOP từ vùng nguyên liệu",
    "Sản phẩm OCOP lên sàn thương mại điện tử",
    "Kết nối tiêu thụ sản phẩm OCOP với hệ thống siêu thị",
    "Hợp tác xã trẻ với sản phẩm OCOP",
    "Phụ nữ dân tộc thiểu số làm kinh tế từ sản phẩm OCOP",
]


def _actor():
    from ocop.accounts.models import User

    return User.objects.filter(username="admin", is_active=True).first()


def _products():
    from ocop.registry.demo import demo_product_ids
    from ocop.registry.models import Product

    return list(
        Product.objects.filter(pk__in=demo_product_ids()).select_related("producer", "commune").order_by("pk")
    )


def _unit(path):
    from ocop.geo.models import AdminUnit

    return AdminUnit.objects.filter(path=path).first()


def _distinct_producers(products):
    seen, out = set(), []
    for p in products:
        if p.producer_id not in seen:
            seen.add(p.producer_id)
            out.append(p)
    return out


def _in_area(products, area) -> list:
    """The products whose producer is registered in `area` (participants must be)."""
    from ocop.geo.selectors import within
    from ocop.registry.models import Producer

    candidates = Producer.objects.filter(within(area, "commune__"), pk__in=[p.producer_id for p in products])
    ids = set(candidates.values_list("pk", flat=True))
    return [p for p in products if p.producer_id in ids]


def _articles_2024() -> list[dict]:
    out = []
    for month in range(1, 13):
        for n, day in enumerate((8, 22)):
            outlet, kind = OUTLETS[(month * 2 + n) % len(OUTLETS)]
            topic = TOPICS[(month + n) % len(TOPICS)]
            out.append(
                {
                    "title": f"{topic} (tháng {month}/2024) {MARK}",
                    "outlet": outlet,
                    "kind": kind,
                    "published_on": dt.date(2024, month, day),
                    "summary": "Tin bài minh họa cho dữ liệu mẫu, không phải bài báo thật.",
                    "public": True,
                }
            )
    return out


def load() -> str:
    from ocop.accounts.models import User

    from . import checklist, services
    from .models import OutreachArticle, PromotionEvent, SalesPoint, TrainingCourse

    actor = _actor()
    products = _products()
    bac_kan, thai_nguyen = _unit(BAC_KAN), _unit(THAI_NGUYEN)
    if actor is None or not products or bac_kan is None or thai_nguyen is None:
        return "Demo activities: skipped (no demo administrator, demo products or places)."
    areas = {BAC_KAN: bac_kan, THAI_NGUYEN: thai_nguyen}
    producers = _distinct_producers(products)
    counts = {"events": 0, "points": 0, "courses": 0, "articles": 0}
    common = {"is_illustrative": True, "notes": "Dữ liệu minh họa — không phải hồ sơ chính thức."}
    with transaction.atomic():
        for i, spec in enumerate(EVENTS):
            if PromotionEvent.objects.filter(name=spec["name"], is_illustrative=True).exists():
                continue
            data = {k: v for k, v in spec.items() if k not in ("participants", "sales")}
            data.update(common, area=areas[spec["area"]], responsible_unit="Sở Công Thương")
            event = services.create_event(actor, data)
            candidates = _in_area(producers, event.area)
            for j in range(min(spec["participants"], len(candidates))):
                product = candidates[(i * 3 + j) % len(candidates)]
                services.add_participation(
                    actor,
                    event,
                    {
                        "producer": product.producer,
                        "products": [product],
                        "booth_support": "Gian hàng tiêu chuẩn miễn phí" if spec["place"] != "abroad" else "",
                        "sales_amount": spec["sales"],
                        "contracts_signed": 1 if spec["kind"] == "connection" else 0,
                    },
                )
            counts["events"] += 1
        for i, spec in enumerate(SALES_POINTS):
            if SalesPoint.objects.filter(name=spec["name"], is_illustrative=True).exists():
                continue
            carried = products[i * 4 : i * 4 + spec["products"]] or products[: spec["products"]]
            data = {k: v for k, v in spec.items() if k not in ("products", "assess")}
            data.update(common, area=carried[0].commune, responsible_unit="Sở Công Thương", products=carried)
            point = services.create_sales_point(actor, data)
            if spec["assess"]:
                version = checklist.get("950-2023")
                answers = dict.fromkeys(version.item_codes(), True)
                services.assess_sales_point(
                    actor,
                    point,
                    {
                        "checklist_version": version.code,
                        "assessed_on": dt.date(2024, 5, 20),
                        "assessor": "Sở Công Thương tỉnh Bắc Kạn (minh họa)",
                        "answers": answers,
                    },
                )
            counts["points"] += 1
        for i, spec in enumerate(COURSES):
            if TrainingCourse.objects.filter(title=spec["title"], is_illustrative=True).exists():
                continue
            data = {k: v for k, v in spec.items() if k not in ("people", "producers", "officials")}
            data.update(common, area=areas[spec["area"]], responsible_unit=OFFICE)
            course = services.create_course(actor, data)
            for name in spec["people"]:
                services.add_attendee(
                    actor,
                    course,
                    {"kind": "official", "name": f"{name} (tên minh họa)", "organisation": "UBND xã"},
                )
            for product in _in_area(producers, course.area)[i : i + spec["producers"]]:
                services.add_attendee(actor, course, {"kind": "producer", "producer": product.producer})
            for username in spec["officials"]:
                user = User.objects.filter(username=username).first()
                if user is not None:
                    services.add_attendee(actor, course, {"kind": "official", "user": user})
            counts["courses"] += 1
        for spec in _articles_2024():
            if OutreachArticle.objects.filter(title=spec["title"], is_illustrative=True).exists():
                continue
            services.create_article(actor, {**spec, **common, "area": bac_kan, "responsible_unit": OFFICE})
            counts["articles"] += 1
    return (
        f"Demo activities: {counts['events']} promotion events, {counts['points']} sales points, "
        f"{counts['courses']} courses, {counts['articles']} articles created (illustrative)."
    )


def reset() -> int:
    from .models import OutreachArticle, PromotionEvent, SalesPoint, TrainingCourse

    deleted = 0
    with transaction.atomic():
        for model in (PromotionEvent, SalesPoint, TrainingCourse, OutreachArticle):
            demo = model.objects.filter(is_illustrative=True)
            deleted += demo.count()
            demo.delete()
    return deleted
