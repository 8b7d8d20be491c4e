"""Building the activities' records for the tests, through the services (audited)."""

from __future__ import annotations

import datetime as dt

from ocop.activities import services
from ocop.geo.models import AdminUnit
from tests.conftest import NA_RI, THAI_NGUYEN
from tests.programme.helpers import certify, make_product  # noqa: F401  (re-exported)


def area(path: str) -> AdminUnit:
    return AdminUnit.objects.get(path=path)


def event(actor, path: str = THAI_NGUYEN, **fields):
    data = {
        "name": "Hội chợ OCOP tỉnh Thái Nguyên 2026",
        "kind": "fair",
        "start_date": dt.date(2026, 3, 10),
        "end_date": dt.date(2026, 3, 14),
        "place": "inside",
        "venue": "Quảng trường Võ Nguyên Giáp, TP Thái Nguyên",
        "organiser": "Sở Công Thương tỉnh Thái Nguyên",
        "area": area(path),
        "responsible_unit": "Sở Công Thương",
        **fields,
    }
    return services.create_event(actor, data)


def sales_point(actor, path: str = NA_RI, products=(), **fields):
    data = {
        "name": "Điểm giới thiệu và bán sản phẩm OCOP Na Rì",
        "location_kind": "market",
        "address": "Chợ Yến Lạc, thôn Pàn Xả",
        "operator": "HTX Dịch vụ Na Rì",
        "opened_on": dt.date(2025, 9, 1),
        "area": area(path),
        "responsible_unit": "Sở Công Thương",
        "products": list(products),
        **fields,
    }
    return services.create_sales_point(actor, data)


def course(actor, path: str = THAI_NGUYEN, **fields):
    data = {
        "title": "Tập huấn nghiệp vụ OCOP cho cán bộ cấp xã",
        "topic": "Chu trình OCOP, hồ sơ sản phẩm",
        "audience": "officials",
        "level": "province",
        "start_date": dt.date(2026, 4, 2),
        "end_date": dt.date(2026, 4, 3),
        "organiser": "Văn phòng Điều phối nông thôn mới tỉnh",
        "area": area(path),
        "responsible_unit": "Văn phòng Điều phối nông thôn mới tỉnh",
        **fields,
    }
    return services.create_course(actor, data)


def article(actor, path: str = THAI_NGUYEN, **fields):
    data = {
        "title": "Sản phẩm OCOP Na Rì vươn ra thị trường",
        "outlet": "Báo Thái Nguyên",
        "kind": "local_press",
        "published_on": dt.date(2026, 5, 6),
        "url": "https://baothainguyen.vn/ocop-na-ri",
        "area": area(path),
        "responsible_unit": "Hội Nông dân tỉnh",
        **fields,
    }
    return services.create_article(actor, data)


HANOI_COMMUNE = "2025/01/00004/"  # Phường Ba Đình (Hà Nội)
