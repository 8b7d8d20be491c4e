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
from django.utils import timezone, translation
from django.utils.translation import gettext

from ocop.accounts.selectors import user_scope
from ocop.core.datacache import remembered
from ocop.core.links import url_to
from ocop.geo.choices import Edition
from ocop.geo.models import AdminUnit, UnitSuccession
from ocop.geo.selectors import home_area, home_area_code, province_part, within

from .models import CounterFigure, ProductFigure, SummaryState, UnitFigure
from .summaries import ACTIVITY_CODES, ensure_built, expiring_days, provinces_for

PERMISSION = "reporting.view_summary"
LEGACY, CURRENT = "legacy", "current"
STARS = (5, 4, 3)


@dataclass(frozen=True)
class Country:
    """The whole country as a dashboard area, for users whose scope is everything: the figures of
    every province added up, places by province."""

    pk: str = "all"
    level: int = 0
    path: str = ""
    is_legacy: bool = False

    @property
    def name(self) -> str:
        return gettext("Whole country")

    def __str__(self) -> str:
        return self.name


COUNTRY = Country()


def area_choices(user) -> list:
    """The areas the user may pick: for each area of their scope, the area itself and — for a
    current province — its former provinces, their districts and its current communes. A user
    whose scope is everything also gets the whole country (first in a national deployment, after
    the home province in a provincial one) and every province."""
    scope = user_scope(user, PERMISSION)
    if scope.nothing:
        return []
    # The same for every user of the same scope until the places change (kept: ~400 units).
    return remembered(
        "reporting.areas",
        lambda: _area_choices(scope),
        scope.everything,
        sorted(scope.paths),
        home_area_code(),
    )


def _area_choices(scope) -> list:
    if scope.everything:
        home = home_area()
        provinces = list(AdminUnit.objects.filter(edition=Edition.Y2025, level=1).order_by("path"))
        if home is None:
            return [COUNTRY, *provinces]
        roots = [home]
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
    if scope.everything:
        others = AdminUnit.objects.filter(edition=Edition.Y2025, level=1).exclude(pk__in=seen)
        result[1:1] = [COUNTRY]
        result += list(others.order_by("path"))
    return result


def may_see(user, area) -> bool:
    scope = user_scope(user, PERMISSION)
    if area is None or isinstance(area, Country):
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
    area: AdminUnit | Country
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
    map_level: str = "commune"  # "province" for the whole country

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
    base = url_to(url_name)
    return f"{base}?{urlencode(params)}" if params else base


def _area_param(area) -> dict:
    """The registry's list filters: `area` for provinces and districts, `commune` for communes
    (none for the whole country)."""
    if isinstance(area, Country):
        return {}
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
    national = isinstance(area, Country)
    unit = None if national else area  # None: the whole country, for `within` and `provinces_for`
    provinces = provinces_for(unit)
    ensure_built(provinces)
    states = list(SummaryState.objects.filter(province__in=provinces))
    # The figures come from the summary rows only: the same for every user until a province's
    # summaries are rebuilt (their `built_at`) or the data changes — kept that long (datacache).
    built = tuple(sorted((s.province_id, s.built_at.isoformat() if s.built_at else "") for s in states))
    board = remembered(
        "reporting.dashboard",
        lambda: _figures(area, states, year, basis),
        area.pk,
        year,
        basis,
        built,
        translation.get_language(),
    )
    # Targets are set by a province's (or a commune's) plans, and shown as the user may see them;
    # the whole country has none here.
    show_targets = board.is_today and not national
    board.plan, board.targets = _targets(user, area, plan, built) if show_targets else (None, [])
    return board


def _figures(area, states: list, year, basis: str) -> Dashboard:
    """The dashboard's figures of `area` from the summary rows of `states`' provinces."""
    national = isinstance(area, Country)
    unit = None if national else area
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
    in_area = within(unit, "unit__")

    by_star = defaultdict(int)
    by_category = defaultdict(int)
    by_place = defaultdict(int)
    per_unit = defaultdict(int)
    figures = ProductFigure.objects.filter(in_area, day=day).order_by()
    if national:
        # Twenty thousand summary rows a day for the country: added up by the database, by star,
        # by product set and by unit (three small results), rather than read one by one.
        for stars, n in figures.values("stars").annotate(n=Sum("products")).values_list("stars", "n"):
            by_star[stars] += n
        for category_id, n in (
            figures.values("category_id").annotate(n=Sum("products")).values_list("category_id", "n")
        ):
            by_category[category_id] += n
        for unit_id, path, current_path, edition, n in (
            figures.values("unit_id", "unit__path", "unit__current_path", "unit__edition")
            .annotate(n=Sum("products"))
            .values_list("unit_id", "unit__path", "unit__current_path", "unit__edition", "n")
        ):
            # By province: today's (current basis), or the former one the record was made in.
            by_place[province_part(current_path or path if basis == CURRENT else path)] += n
            if basis == CURRENT:
                per_unit[current_path or path] += n
            elif edition == Edition.LEGACY:
                per_unit[unit_id] += n
    else:
        rows = figures.values_list(
            "unit_id",
            "unit__path",
            "unit__current_path",
            "unit__parent__path",
            "unit__edition",
            "category_id",
            "stars",
            "products",
        )
        for unit_id, path, current_path, parent_path, edition, category_id, stars, n in rows:
            by_star[stars] += n
            by_category[category_id] += n
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

    # Communes (legacy or current) in the area, with or without a product. For the whole country
    # the communes are counted and the table and map list the provinces instead.
    edition = Edition.LEGACY if basis == LEGACY else Edition.Y2025
    communes = (
        AdminUnit.objects.filter(within(unit), edition=edition, level=3)
        .only("pk", "path", "name", "level", "latitude", "longitude")
        .order_by("name", "path")
    )
    if national:
        # The keys of per_unit are communes of the basis's edition with products (a legacy unit
        # without a successor keeps its own path: not a current commune).
        board.communes_total = communes.order_by().count()
        with_products = sum(
            1
            for k, n in per_unit.items()
            if n and (basis == LEGACY or str(k).startswith(f"{Edition.Y2025}/"))
        )
        board.communes_without = board.communes_total - with_products
        board.map_level = "province"
        by_province = {link.key: link for link in board.by_place}
        places = AdminUnit.objects.filter(path__in=list(by_province) or [""]).order_by("name", "path")
        for p in places.only("pk", "path", "name", "level", "latitude", "longitude"):
            board.communes.append(_map_entry(p, by_province[p.path].value, day, is_today))
    else:
        for c in communes:
            board.communes.append(
                _map_entry(c, per_unit.get(c.pk if basis == LEGACY else c.path, 0), day, is_today)
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

    area_q = {"area": area.pk} if 0 < area.level < 3 else {}
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

    if national:  # the provinces' counters added up (a share cannot be: it shows "—")
        values = dict(
            CounterFigure.objects.filter(area__in=[s.province_id for s in states], day=day)
            .values("code")
            .annotate(total=Sum("value"))
            .values_list("code", "total")
            .order_by()
        )
        shares = _not_summable()
        values = {code: v for code, v in values.items() if code not in shares}
    else:
        values = dict(
            CounterFigure.objects.filter(area=area, day=day).values_list("code", "value").order_by()
        )
    names = _indicator_names()
    for code in ACTIVITY_CODES:
        if indicators.get(code) is None:
            continue
        value = values.get(code)
        board.counters.append(
            Link(names.get(code, code), _number(value) if value is not None else "—", key=code)
        )

    return board


def _map_entry(place, products: int, day: dt.date, is_today: bool) -> dict:
    return {
        "id": place.pk,
        "name": place.name,
        "products": products,
        "lat": float(place.latitude) if place.latitude is not None else None,
        "lng": float(place.longitude) if place.longitude is not None else None,
        "url": product_url(place, day, is_today),
    }


def _not_summable() -> set[str]:
    """Indicators whose values cannot be added up across areas (shares)."""
    try:
        from ocop.planning.choices import Aggregation
        from ocop.planning.models import Indicator

        return set(Indicator.objects.filter(aggregation=Aggregation.NONE).values_list("code", flat=True))
    except ImportError:
        return set()


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _indicator_names() -> dict[str, str]:
    try:
        from ocop.planning.models import Indicator

        return dict(Indicator.objects.values_list("code", "name"))
    except Exception:
        return {}


def _targets(user, area, plan, built):
    """The targets of the plans in force today in the area (and one level below), with their
    progress, as summarised at the last rebuild (targets are summarised for today only; a past
    day shows none); the rows are kept as the figures are, the plan is checked against the
    user's scope each time."""
    first, rows = remembered(
        "reporting.targets",
        lambda: _target_rows(area, plan),
        area.pk,
        plan.pk if plan is not None else "",
        built,
        translation.get_language(),
    )
    if first is None:
        return None, []
    from ocop.planning.models import Plan

    shown = Plan.objects.for_user(user, "view").filter(pk=first).first()
    if shown is None:
        return None, []
    return shown, rows


def _target_rows(area, plan) -> tuple[int | None, list[dict]]:
    """(the first plan's id, its rows) of the summarised targets of `area` (and one level down)."""
    from .models import TargetFigure

    rows = list(
        # The area's own targets and those one level down (a province's and its districts'; a
        # district's and its communes'): a province's commune targets show on each commune's
        # dashboard, not as hundreds of rows on the province's.
        TargetFigure.objects.filter(within(area, "area__"), area__level__lte=area.level + 1)
        .select_related("area")
        .order_by("plan_area_path", "plan_ref", "order")
    )
    if plan is not None:
        rows = [r for r in rows if r.plan_ref == plan.pk]
    if not rows:
        return None, []
    first = rows[0].plan_ref
    return first, [
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
