"""Reads of the dashboard: every figure comes from the summary rows (never from the raw records),
in a fixed number of queries whatever the number of products, communes or rows.

An area is any unit the user's scope covers (`scope.covers_unit`); the picker offers the
province, its current communes, its former provinces and their districts (a commune officer: the
commune). `basis` says whether places are shown by legacy units (before 01/07/2025) or current
ones; the totals are the same either way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.selectors import user_scope
from ocop.geo.choices import Edition
from ocop.geo.models import AdminUnit, UnitSuccession
from ocop.geo.selectors import home_area, within

from .models import CounterFigure, ProductFigure, SummaryState, UnitFigure
from .summaries import ACTIVITY_CODES, ensure_built, expiring_days, provinces_for

PERMISSION = "reporting.view_summary"
LEGACY, CURRENT = "legacy", "current"
STARS = (5, 4, 3)


def area_choices(user) -> list[AdminUnit]:
    """The areas the user may pick: for each area of their scope, the area itself and — for a
    current province — its former provinces, their districts and its current communes."""
    scope = user_scope(user, PERMISSION)
    if scope.nothing:
        return []
    if scope.everything:
        home = home_area()
        roots = (
            [home]
            if home is not None
            else list(AdminUnit.objects.filter(edition=Edition.Y2025, level=1).order_by("path"))
        )
    else:
        roots = list(AdminUnit.objects.filter(path__in=scope.paths).order_by("path"))
    provinces = [u for u in roots if not u.is_legacy and u.level == 1]
    former = list(
        AdminUnit.objects.filter(
            pk__in=UnitSuccession.objects.filter(successor__in=provinces, predecessor__level=1).values(
                "predecessor_id"
            )
        ).order_by("path")
    )
    legacy_provinces = former + [u for u in roots if u.is_legacy and u.level == 1]
    districts = list(AdminUnit.objects.filter(parent__in=legacy_provinces, level=2).order_by("path"))
    communes = list(AdminUnit.objects.filter(parent__in=provinces, level=3).order_by("name"))
    seen, result = set(), []
    for u in [*roots, *former, *districts, *communes]:
        if u.pk not in seen:
            seen.add(u.pk)
            result.append(u)
    return result


def may_see(user, area: AdminUnit | None) -> bool:
    scope = user_scope(user, PERMISSION)
    if area is None:
        return scope.everything
    return scope.covers_unit(area)


def default_area(user) -> AdminUnit | None:
    choices = area_choices(user)
    return choices[0] if choices else None


@dataclass
class Link:
    label: str
    value: int | Decimal | str
    url: str = ""
    key: str = ""


@dataclass
class Dashboard:
    area: AdminUnit
    day: dt.date
    is_today: bool
    basis: str
    built_at: dt.datetime | None
    days: list[dt.date]
    stars: dict[int, Link] = field(default_factory=dict)
    total: Link | None = None
    by_category: list[Link] = field(default_factory=list)
    by_place: list[Link] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    communes: list[dict] = field(default_factory=list)
    communes_total: int = 0
    communes_without: int = 0
    expiring: Link | None = None
    expiring_days: int = 90
    dossiers: list[Link] = field(default_factory=list)
    sessions: list[Link] = field(default_factory=list)
    counters: list[Link] = field(default_factory=list)
    targets: list = field(default_factory=list)
    plan: object | None = None

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.days if (d.month, d.day) == (12, 31)}, reverse=True)

    def chart_data(self) -> dict:
        return {
            "stars": [
                {"name": f"{s}★", "value": self.stars[s].value, "url": self.stars[s].url} for s in STARS
            ],
            "categories": [{"name": c.label, "value": c.value, "url": c.url} for c in self.by_category],
            "places": [{"name": p.label, "value": p.value, "url": p.url} for p in self.by_place],
            "trend": self.trend,
        }

    def map_data(self) -> list[dict]:
        return [c for c in self.communes if c["lat"] is not None]


def _query(url_name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(url_name)}?{urlencode(params)}" if params else reverse(url_name)


def _area_param(area: AdminUnit) -> dict:
    """The registry's list filters: `area` for provinces and districts, `commune` for communes."""
    return {"area": area.pk} if area.level < 3 else {"commune": area.pk}


def product_url(area: AdminUnit, day: dt.date, is_today: bool, **params) -> str:
    return _query(
        "registry:product_list",
        **_area_param(area),
        stars=params.pop("stars", "3+"),
        on="" if is_today else day.isoformat(),
        **params,
    )


def pick_day(state_days: list[dt.date], year: str | int | None) -> tuple[dt.date, bool]:
    """`year` "" or "today" → today; a past year → 31/12 of it."""
    today = timezone.localdate()
    try:
        y = int(year) if year not in (None, "", "today") else None
    except (TypeError, ValueError):
        y = None
    if y is None or y >= today.year:
        day = max([d for d in state_days if d >= dt.date(today.year, 1, 1)], default=today)
        return day, True
    return dt.date(y, 12, 31), False


def dashboard(user, area: AdminUnit, *, year=None, basis: str = LEGACY, plan=None) -> Dashboard:
    """The figures of `area` (already checked against the user's scope) from the summaries."""
    basis = CURRENT if basis == CURRENT else LEGACY
    provinces = provinces_for(area)
    ensure_built(provinces)
    states = list(SummaryState.objects.filter(province__in=provinces))
    state_days = sorted({d for s in states for d in s.day_list})
    day, is_today = pick_day(state_days, year)
    built_at = min((s.built_at for s in states if s.built_at), default=None)
    board = Dashboard(
        area=area,
        day=day,
        is_today=is_today,
        basis=basis,
        built_at=built_at,
        days=state_days,
        expiring_days=expiring_days(),
    )
    in_area = within(area, "unit__")

    rows = list(
        ProductFigure.objects.filter(in_area, day=day)
        .values_list(
            "unit_id",
            "unit__path",
            "unit__current_path",
            "unit__parent__path",
            "unit__edition",
            "category_id",
            "stars",
            "products",
        )
        .order_by()
    )
    by_star = defaultdict(int)
    by_category = defaultdict(int)
    by_place = defaultdict(int)
    units_with = set()
    current_with = set()
    per_unit = defaultdict(int)
    for unit_id, path, current_path, parent_path, edition, category_id, stars, n in rows:
        by_star[stars] += n
        by_category[category_id] += n
        units_with.add(unit_id)
        current_with.add(current_path or path)
        if basis == CURRENT:
            by_place[current_path or path] += n
        elif area.level == 1 and edition == Edition.LEGACY and parent_path:
            by_place[parent_path] += n
        else:
            by_place[path] += n
        per_unit[unit_id if basis == LEGACY else (current_path or path)] += n

    total = sum(by_star.values())
    board.total = Link("", total, product_url(area, day, is_today))
    board.stars = {
        s: Link(f"{s}★", by_star.get(s, 0), product_url(area, day, is_today, stars=s)) for s in STARS
    }
    if by_category:
        from ocop.registry.models import ProductCategory

        names = dict(ProductCategory.objects.filter(pk__in=by_category).values_list("pk", "name"))
        board.by_category = sorted(
            (
                Link(names.get(pk, "?"), n, product_url(area, day, is_today, category=pk), key=str(pk))
                for pk, n in by_category.items()
            ),
            key=lambda link: (-link.value, link.label),
        )
    if by_place:
        units = {
            u.path: u
            for u in AdminUnit.objects.filter(path__in=list(by_place)).only("pk", "path", "name", "level")
        }
        board.by_place = sorted(
            (
                Link(units[p].name, n, product_url(units[p], day, is_today), key=p)
                for p, n in by_place.items()
                if p in units
            ),
            key=lambda link: (-link.value, link.label),
        )

    # Trend by year: 31/12 of each summarised year, and today.
    trend = defaultdict(lambda: {5: 0, 4: 0, 3: 0})
    for d, stars, n in (
        ProductFigure.objects.filter(in_area, day__in=state_days)
        .values("day", "stars")
        .annotate(n=Sum("products"))
        .values_list("day", "stars", "n")
        .order_by()
    ):
        if d in state_days:
            trend[d][stars] = trend[d].get(stars, 0) + n
    board.trend = [
        {
            "label": str(d.year) if (d.month, d.day) == (12, 31) else d.strftime("%d/%m/%Y"),
            "day": d.isoformat(),
            **{f"s{s}": trend[d].get(s, 0) for s in STARS},
            "total": sum(trend[d].get(s, 0) for s in STARS),
        }
        for d in state_days
    ]

    # Communes (legacy or current) in the area, with or without a product.
    edition = Edition.LEGACY if basis == LEGACY else Edition.Y2025
    communes = (
        AdminUnit.objects.filter(within(area), edition=edition, level=3)
        .only("pk", "path", "name", "level", "latitude", "longitude")
        .order_by("name", "path")
    )
    for c in communes:
        n = per_unit.get(c.pk if basis == LEGACY else c.path, 0)
        board.communes.append(
            {
                "id": c.pk,
                "name": c.name,
                "products": n,
                "lat": float(c.latitude) if c.latitude is not None else None,
                "lng": float(c.longitude) if c.longitude is not None else None,
                "url": product_url(c, day, is_today),
            }
        )
    board.communes_total = len(board.communes)
    board.communes_without = sum(1 for c in board.communes if not c["products"])

    # Today's figures: certificates ending soon, open dossiers and sessions.
    expiring = 0
    dossiers = defaultdict(int)
    sessions = defaultdict(int)
    for key, state, value in (
        UnitFigure.objects.filter(in_area).values_list("key", "state", "value").order_by()
    ):
        if key == UnitFigure.Key.EXPIRING:
            expiring += value
        elif key == UnitFigure.Key.DOSSIER:
            dossiers[state] += value
        elif key == UnitFigure.Key.SESSION:
            sessions[state] += value
    board.expiring = Link(
        "",
        expiring,
        _query("certification:certificate_list", **_area_param(area), expiring_within=board.expiring_days),
    )
    from ocop.evaluation.choices import SessionState
    from ocop.programme.choices import DossierState

    area_q = {"area": area.pk} if area.level < 3 else {}
    board.dossiers = [
        Link(DossierState(s).label, n, _query("programme:dossier_list", state=s, **area_q), key=s)
        for s, n in sorted(dossiers.items())
    ]
    board.sessions = [
        Link(SessionState(s).label, n, _query("evaluation:session_list", state=s), key=s)
        for s, n in sorted(sessions.items())
    ]

    # Activities of the year to the chosen day (registered counters, summarised per area).
    from ocop.planning import indicators

    values = dict(CounterFigure.objects.filter(area=area, day=day).values_list("code", "value").order_by())
    names = _indicator_names()
    for code in ACTIVITY_CODES:
        if indicators.get(code) is None:
            continue
        value = values.get(code)
        board.counters.append(
            Link(names.get(code, code), _number(value) if value is not None else "—", key=code)
        )

    board.plan, board.targets = _targets(user, area, day, plan) if is_today else (None, [])
    return board


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _indicator_names() -> dict[str, str]:
    try:
        from ocop.planning.models import Indicator

        return dict(Indicator.objects.values_list("code", "name"))
    except Exception:
        return {}


def _targets(user, area, day, plan):
    """The targets of the plans in force today in the area, with their progress, as summarised at
    the last rebuild (targets are summarised for today only; a past day shows none)."""
    from .models import TargetFigure

    rows = list(
        TargetFigure.objects.filter(within(area, "area__"))
        .select_related("area")
        .order_by("plan_area_path", "plan_ref", "order")
    )
    if plan is not None:
        rows = [r for r in rows if r.plan_ref == plan.pk]
    if not rows:
        return None, []
    first = rows[0].plan_ref
    from ocop.planning.models import Plan

    shown = Plan.objects.for_user(user, "view").filter(pk=first).first()
    if shown is None:
        return None, []
    return shown, [
        {
            "indicator": r.indicator_name,
            "code": r.indicator_code,
            "area": r.area.name,
            "target": _number(r.target),
            "actual": _number(r.actual) if r.actual is not None else "—",
            "ratio": r.ratio,
            "light": r.light,
            "records_url": r.records_url,
        }
        for r in rows
        if r.plan_ref == first
    ]


def marker_radius(products: int) -> float:
    return 4 + 3 * math.sqrt(products) if products else 4
