"""Loading the product classifications shipped in `data/` (runs after every migrate)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from .choices import CategoryLevel
from .models import CategoryScheme, ProductCategory

DATA = Path(__file__).resolve().parent / "data"

SCHEMES = {
    "26-2026": {
        "name": "Phân loại sản phẩm OCOP theo Quyết định 26/2026/QĐ-TTg",
        "decision": "26/2026/QĐ-TTg",
        "decision_date": dt.date(2026, 5, 22),
        "effective_from": dt.date(2026, 5, 22),
        "effective_to": None,
    },
    "1048-2019": {
        "name": "Phân loại sản phẩm OCOP theo Quyết định 1048/QĐ-TTg",
        "decision": "1048/QĐ-TTg (sửa đổi bởi 781/QĐ-TTg)",
        "decision_date": dt.date(2019, 8, 21),
        "effective_from": dt.date(2019, 8, 21),
        "effective_to": dt.date(2023, 2, 23),
    },
}


def _upsert(scheme, level, code, name, parent=None, ministry="", order=0) -> ProductCategory:
    category, created = ProductCategory.objects.get_or_create(
        scheme=scheme,
        level=level,
        code=code,
        defaults={"name": name, "parent": parent, "managing_ministry": ministry, "sort_order": order},
    )
    if not created and (
        category.name,
        category.parent_id,
        category.managing_ministry,
        category.sort_order,
    ) != (name, parent.pk if parent else None, ministry, order):
        category.name, category.parent, category.managing_ministry, category.sort_order = (
            name,
            parent,
            ministry,
            order,
        )
        category.save()
    return category


def _sentence_case(text: str) -> str:
    """'SẢN PHẨM THỰC PHẨM' → 'Sản phẩm thực phẩm' (the decision prints sectors in capitals)."""
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


@transaction.atomic
def load_taxonomy() -> None:
    schemes = {}
    for code, values in SCHEMES.items():
        schemes[code], _ = CategoryScheme.objects.update_or_create(code=code, defaults=values)

    scheme = schemes["26-2026"]
    sectors: dict[str, ProductCategory] = {}
    groups: dict[tuple[str, str], ProductCategory] = {}
    with open(DATA / "26-2026-product-sets.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sector_name = _sentence_case(row["nganh"])
            if sector_name not in sectors:
                sectors[sector_name] = _upsert(
                    scheme, CategoryLevel.SECTOR, str(len(sectors) + 1), sector_name, order=len(sectors) + 1
                )
            key = (sector_name, row["nhom"])
            if key not in groups:
                groups[key] = _upsert(
                    scheme,
                    CategoryLevel.GROUP,
                    str(len(groups) + 1),
                    row["nhom"],
                    sectors[sector_name],
                    order=len(groups) + 1,
                )
            _upsert(
                scheme,
                CategoryLevel.PRODUCT_SET,
                row["set_no"],
                row["set_name"],
                groups[key],
                order=int(row["set_no"]),
            )

    scheme = schemes["1048-2019"]
    with open(DATA / "1048-taxonomy.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sector = _upsert(
                scheme, CategoryLevel.SECTOR, row["nganh_id"], row["nganh"], order=int(row["nganh_id"])
            )
            group = _upsert(
                scheme, CategoryLevel.GROUP, row["nhom_id"], row["nhom"], sector, order=int(row["nhom_id"])
            )
            _upsert(
                scheme,
                CategoryLevel.PRODUCT_SET,
                row["phan_nhom_id"],
                row["phan_nhom"],
                group,
                row["managing_ministry"],
                order=int(row["phan_nhom_id"]),
            )
