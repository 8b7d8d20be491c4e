"""The rule versions and score sheets shipped in `data/` (`ocop load-criteria`, idempotent)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import RuleVersion, ScoreSheet
from .sheets import import_sheet

DATA = Path(__file__).resolve().parent / "data"

BANDS = [
    {"stars": 5, "min": 90},
    {"stars": 4, "min": 70},
    {"stars": 3, "min": 50},
    {"stars": 2, "min": 30},
    {"stars": 1, "min": 0},
]

RULES = {
    "26-2026": {
        "name": "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP (Quyết định 26/2026/QĐ-TTg)",
        "decision": "26/2026/QĐ-TTg",
        "decision_date": dt.date(2026, 5, 22),
        "effective_from": dt.date(2026, 5, 22),
        "effective_to": None,
        "part_maxima": {"A": 40, "B": 25, "C": 35},
        "scheme": "26-2026",
        "source": "Điều 3 (thang điểm, hạng sao), Điều 4–8 (cấp đánh giá, thời hạn 36 tháng), Phụ lục II.",
    },
    "148-2023": {
        "name": "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP (Quyết định 148/QĐ-TTg)",
        "decision": "148/QĐ-TTg",
        "decision_date": dt.date(2023, 2, 24),
        "effective_from": dt.date(2023, 2, 24),
        # 26/2026 Điều 11.2: 148 ends 60 days after 22/05/2026.
        "effective_to": dt.date(2026, 7, 20),
        "part_maxima": {"A": 40, "B": 25, "C": 35},
        "scheme": None,
        "source": "Sửa đổi bởi 1489/QĐ-TTg (06/07/2025). Các phiếu đánh giá chưa có trong nguồn tham khảo.",
    },
    "1048-2019": {
        "name": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Quyết định 1048/QĐ-TTg)",
        "decision": "1048/QĐ-TTg",
        "decision_date": dt.date(2019, 8, 21),
        "effective_from": dt.date(2019, 8, 21),
        "effective_to": dt.date(2023, 2, 23),
        "part_maxima": {"A": 35, "B": 25, "C": 40},
        "scheme": "1048-2019",
        "source": "Sửa đổi bởi 781/QĐ-TTg (2020).",
    },
}


def load_rules() -> dict[str, RuleVersion]:
    from ocop.registry.models import CategoryScheme

    rules = {}
    for code, spec in RULES.items():
        spec = dict(spec)
        scheme_code = spec.pop("scheme")
        rules[code], _ = RuleVersion.objects.update_or_create(
            code=code,
            defaults={
                **spec,
                "star_bands": BANDS,
                "certified_stars": [3, 4, 5],
                "province_stars": [3, 4],
                "ministry_stars": [5],
                "ministry_min_province_score": Decimal(90),
                "certificate_months": 36,
                "category_scheme": CategoryScheme.objects.filter(code=scheme_code).first()
                if scheme_code
                else None,
            },
        )
    return rules


def sheet_1048_fresh_produce() -> dict:
    """The 1048 fresh-produce sheet as a criteria tree. The criterion "Sự tham gia của cộng đồng
    trong quản lý, điều hành" holds two independent sub-questions (options 1–2 and 3–4)."""
    parts: dict[str, dict] = {}
    groups: dict[tuple[str, str], dict] = {}
    criteria: dict[tuple[str, str, str], dict] = {}
    with open(DATA / "1048-rau-cu-qua-hat-tuoi.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            part = parts.setdefault(
                row["part"],
                {
                    "code": row["part"],
                    "label": row["part_title"],
                    "max_score": RULES["1048-2019"]["part_maxima"][row["part"]],
                    "criteria": [],
                },
            )
            gkey = (row["part"], row["group_no"])
            if gkey not in groups:
                groups[gkey] = {
                    "code": row["group_no"],
                    "label": row["group"],
                    "is_scorable": False,
                    "options": [],
                    "children": [],
                }
                part["criteria"].append(groups[gkey])
            ckey = (row["part"], row["group_no"], row["criterion_no"])
            if ckey not in criteria:
                criteria[ckey] = {
                    "code": f"{row['group_no']}.{row['criterion_no']}",
                    "label": row["criterion"],
                    "is_scorable": True,
                    "options": [],
                    "children": [],
                }
                groups[gkey]["children"].append(criteria[ckey])
            criteria[ckey]["options"].append({"label": row["option"], "points": float(row["points"])})
    for node in criteria.values():
        if node["label"].startswith("Sự tham gia của cộng đồng trong quản lý"):
            options = node["options"]
            node.update(
                is_scorable=False,
                options=[],
                children=[
                    {
                        "code": f"{node['code']}.a",
                        "label": node["label"] + " — tỷ lệ người địa phương trong ban quản lý",
                        "is_scorable": True,
                        "options": options[:2],
                        "children": [],
                    },
                    {
                        "code": f"{node['code']}.b",
                        "label": node["label"] + " — người đứng đầu là người địa phương",
                        "is_scorable": True,
                        "options": options[2:],
                        "children": [],
                    },
                ],
            )
    return {"code": "rau-cu-qua-hat-tuoi", "disqualifiers": [], "sections": [parts[p] for p in sorted(parts)]}


@transaction.atomic
def load_criteria() -> dict[str, int]:
    """Load the rule versions and score sheets. What it stores (the sheets' discrepancy notes) is
    written in the site's language (Vietnamese), whatever language the caller has active."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _load_criteria()


def _load_criteria() -> dict[str, int]:
    from ocop.registry.models import ProductCategory

    rules = load_rules()
    sets = {c.code: c for c in ProductCategory.objects.filter(scheme__code="26-2026", level=3)}
    with open(DATA / "26-2026-bo-tieu-chi.json", encoding="utf-8") as fh:
        sheets = json.load(fh)
    # The options the decision marks ***/****/***** (minimum per star), extracted from its text by
    # scripts/extract_star_minimums.py; the transcription of the sheets dropped the marks.
    with open(DATA / "26-2026-star-minimums.json", encoding="utf-8") as fh:
        minimums = json.load(fh)
    for number, data in enumerate(sheets, start=1):
        data["star_minimums"] = [
            {"stars": m["stars"], "criterion": m["criterion"], "min_points": m["min_points"]}
            for m in minimums.get(data["code"], [])
        ]
        product_set = sets.get(str(number))
        import_sheet(
            rules["26-2026"],
            data,
            name=product_set.name if product_set else data["code"],
            product_set=product_set,
        )
    legacy_set = ProductCategory.objects.filter(scheme__code="1048-2019", level=3, code="1").first()
    import_sheet(
        rules["1048-2019"],
        sheet_1048_fresh_produce(),
        name="Rau, củ, quả, hạt tươi",
        product_set=legacy_set,
        allow_discrepancy=True,
        note="Phần A đạt 36 điểm so với 35 điểm công bố: giữ nguyên như bản chép, cần đối chiếu văn bản.",
    )
    return {"rules": len(rules), "sheets": ScoreSheet.objects.count()}
