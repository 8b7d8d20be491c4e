from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Prefetch, Q

from .choices import Edition
from .models import AdminUnit, UnitSuccession


def home_area_code() -> str:
    """OCOP_HOME_AREA as set (a current province code, "VN" or empty)."""
    return (settings.OCOP_HOME_AREA or "").upper()


def home_area() -> AdminUnit | None:
    """The deployment's home area (OCOP_HOME_AREA: a current province code, or VN)."""
    code = settings.OCOP_HOME_AREA
    if not code or code.upper() == "VN":
        return None
    return AdminUnit.objects.filter(edition=Edition.Y2025, level=1, code=code).first()


def province_part(path: str) -> str:
    """The province part of a unit's path, of either edition ("2025/19/02155/" → "2025/19/",
    "legacy/06/058/…" → "legacy/06/"; "" for a path above the provinces)."""
    edition, sep, rest = path.partition("/")
    code = rest.split("/", 1)[0]
    return f"{edition}/{code}/" if edition and sep and code else ""


def current_province_part(path: str) -> str:
    """The current (2025) province of a current path; "" for a legacy one."""
    return province_part(path) if path.startswith(f"{Edition.Y2025}/") else ""


def former_provinces(area: AdminUnit | None) -> list[AdminUnit]:
    """The legacy provinces merged into a current province (Bắc Kạn and Thái Nguyên → Thái Nguyên)."""
    if area is None or area.is_legacy:
        return []
    return [
        s.predecessor for s in UnitSuccession.objects.filter(successor=area).select_related("predecessor")
    ]


def units_on(day: dt.date):
    return AdminUnit.objects.valid_on(day)


def unit_detail(unit: AdminUnit) -> dict:
    successions = list(
        UnitSuccession.objects.filter(predecessor=unit).select_related("successor", "successor__parent")
    )
    predecessions = list(
        UnitSuccession.objects.filter(successor=unit).select_related("predecessor", "predecessor__parent")
    )
    children = list(unit.children.annotate(n_children=Count("children")).order_by("code"))
    return {
        "ancestors": unit.ancestors(),
        "children": children,
        "successions": successions,
        "predecessions": predecessions,
    }


def succession_list():
    return UnitSuccession.objects.select_related(
        "predecessor", "predecessor__parent", "successor", "successor__parent"
    )


def legacy_communes_with_successors(province: AdminUnit):
    return AdminUnit.objects.filter(path__startswith=province.path, level=3).prefetch_related(
        Prefetch("successions", queryset=UnitSuccession.objects.select_related("successor"))
    )


def within(area: AdminUnit | None, prefix: str = "") -> Q:
    """Q matching rows whose unit (reached through `prefix`, e.g. "commune__") lies in `area`.

    The one rule by which indicators, summaries and reports place a record in an area:
    * `area` None: the whole country (everything);
    * a current (2025) unit: the unit's subtree, and legacy units whose current unit is in it
      (a product registered in a former Bắc Kạn commune counts for the new Thái Nguyên);
    * a legacy unit (a former district, say): its own subtree, and the current communes that
      are the main successors of its communes — so a target set for a former district counts the
      products registered after 01/07/2025 in the communes that succeeded its communes.

    Through a foreign key (`prefix` not empty) it is a test of the key against the ids of the
    units in the area (as `Scope.area_q` does): no join to the units and no path test per row.
    """
    if area is None:
        return Q()
    q = Q(path__startswith=area.path) | Q(current_path__startswith=area.path)
    if area.is_legacy:
        successors = (
            AdminUnit.objects.filter(path__startswith=area.path, level=3)
            .exclude(current_path="")
            .values("current_path")
        )
        q |= Q(path__in=successors)
    if not prefix:
        return q
    return Q(**{f"{prefix.removesuffix('__')}__in": AdminUnit.objects.filter(q).values("pk")})
