"""Loading the indicator library shipped in `data/indicators.json` (runs after every migrate).

Rows are matched by code and brought up to date; rows added to the table by hand (codes not in the
file) are left alone, so the library stays extensible."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data" / "indicators.json"
FIELDS = ("name", "unit", "definition", "method", "counted_by", "aggregation", "order", "active")


def rows() -> list[dict]:
    with open(DATA, encoding="utf-8") as fh:
        data = json.load(fh)
    out = []
    for i, row in enumerate(data, start=1):
        out.append({"order": i * 10, "active": True, **row})
    return out


@transaction.atomic
def load_indicators() -> int:
    from .models import Indicator

    changed = 0
    existing = {i.code: i for i in Indicator.objects.all()}
    for row in rows():
        values = {f: row.get(f, "") for f in FIELDS}
        indicator = existing.get(row["code"])
        if indicator is None:
            Indicator.objects.create(code=row["code"], **values)
            changed += 1
        elif any(getattr(indicator, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(indicator, f, v)
            indicator.save()
            changed += 1
    return changed
