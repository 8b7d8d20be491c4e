"""Reads of the planning app: plans in scope, their areas, and progress against their targets.

`progress(plan, area=…, as_of=…)` is what the plan page, its export, the API and the reporting app
show: one row per target, the actual counted (or entered) from the start of the plan's period to
`as_of` (at most the period's end), the ratio actual ÷ target and a traffic light comparing it
with the share of the period elapsed. Nothing of it is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.geo.choices import Level
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within

from . import indicators as registry
from .choices import Aggregation, Light, PlanState
from .models import EnteredValue, Indicator, Plan, PlanTask, Target, TaskReport

AMBER_FROM = Decimal("0.7")  # amber from 70% of the share of the period elapsed
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass
class ProgressRow:
    indicator: Indicator
    area: AdminUnit
    target: Decimal
    actual: Decimal | None
    ratio: Decimal | None
    light: str
    expected: Decimal
    records_url: str | None
    note: str = ""
    target_id: int | None = None

    @property
    def percent(self) -> Decimal | None:
        return None if self.ratio is None else (self.ratio * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    """The share of the period [start, end] elapsed on `as_of` (both ends inclusive), 0…1."""
    if as_of < start:
        return Decimal(0)
    if as_of >= end:
        return Decimal(1)
    total = (end - start).days + 1
    return (Decimal((as_of - start).days + 1) / Decimal(total)).quantize(RATIO, ROUND_HALF_UP)


def light_for(ratio: Decimal | None, share: Decimal) -> str:
    """Green when the ratio reaches the share elapsed, amber from 70% of it, red below."""
    if ratio is None:
        return Light.NONE.value
    if ratio >= share:
        return Light.GREEN.value
    if ratio >= share * AMBER_FROM:
        return Light.AMBER.value
    return Light.RED.value


def entered_total(indicator: Indicator, area, start: dt.date, end: dt.date) -> Decimal | None:
    """The figure of an entered indicator: the sum of the values entered for periods inside
    [start, end] in the area (or, for an indicator that does not add up, the latest of them for
    the area itself). None when nothing was entered."""
    values = EnteredValue.objects.filter(indicator=indicator, period_start__gte=start, period_end__lte=end)
    if indicator.aggregation == Aggregation.SUM:
        values = values.filter(within(area, "area__"))
        if not values.exists():
            return None
        return values.aggregate(total=Sum("value"))["total"]
    latest = values.filter(area=area).order_by("-period_end", "-entered_at", "-pk").first()
    return latest.value if latest is not None else None


def actual_for(indicator: Indicator, area, start: dt.date, end: dt.date) -> tuple[Decimal | None, str]:
    """(actual, note) for one indicator in one area over [start, end]."""
    if indicator.is_counted:
        counter = registry.get(indicator.code)
        if counter is None:
            return None, _("No counter is registered for this indicator yet.")
        value = Decimal(counter.count(area, start, end))
        return value, (_("No records in the period.") if value == 0 else "")
    value = entered_total(indicator, area, start, end)
    if value is None:
        return Decimal(0), _("Nothing was entered for the period.")
    return value, ""


def records_url(indicator: Indicator, area, start: dt.date, end: dt.date) -> str | None:
    """A list showing the records behind the actual (scoped to the viewer when opened)."""
    if indicator.is_counted:
        counter = registry.get(indicator.code)
        if counter is None or counter.records is None:
            return None
        query = {"indicator": indicator.code, "start": start.isoformat(), "end": end.isoformat()}
        if area is not None:
            query["area"] = area.pk
        return f"{reverse('planning:records')}?{urlencode(query)}"
    query = {"indicator": indicator.pk}
    if area is not None:
        query["area"] = area.pk
    return f"{reverse('planning:entered_list')}?{urlencode(query)}"


def _row(indicator, area, target_value, start, end, as_of, target_id=None, counted=None) -> ProgressRow:
    """One target's row; `counted`: its actual when already counted (count_in_communes)."""
    target_value = Decimal(target_value)
    share = elapsed_share(start, end, as_of) if indicator.pro_rata else Decimal(1)
    expected = (target_value * share).quantize(CENT, ROUND_HALF_UP)
    if as_of < start:
        return ProgressRow(
            indicator, area, target_value, None, None, Light.NONE.value, expected, None,
            _("The period has not started."), target_id,
        )  # fmt: skip
    until = min(as_of, end)
    if counted is not None:
        actual, note = Decimal(counted), (_("No records in the period.") if counted == 0 else "")
    else:
        actual, note = actual_for(indicator, area, start, until)
    ratio = None
    if actual is not None and target_value > 0:
        ratio = (actual / target_value).quantize(RATIO, ROUND_HALF_UP)
    light = light_for(ratio, share) if target_value > 0 else Light.NONE.value
    return ProgressRow(
        indicator, area, target_value, actual, ratio, light, expected,
        records_url(indicator, area, start, until), note, target_id,
    )  # fmt: skip


def progress(plan: Plan, *, area=None, as_of: dt.date | None = None) -> list[ProgressRow]:
    """One row per target of the plan (those in `area` — the unit itself, its subtree, and for a
    former unit its successors — when given), in the library's order then by area.

    The actual covers the plan's period from its start to `as_of` (today by default; at most the
    period's end); `expected` is the target pro rata of the period elapsed on `as_of` (the whole
    target for shares, which do not accumulate)."""
    as_of = as_of or timezone.localdate()
    targets = plan.targets.select_related("indicator", "area")
    if area is not None:
        targets = targets.filter(within(area, "area__"))
    targets = list(targets.order_by("indicator__order", "indicator__code", "area__level", "area__path"))
    start, end = plan.period_start, plan.period_end
    done = _counted_in_communes(targets, start, min(as_of, end))
    return [
        _row(t.indicator, t.area, t.value, start, end, as_of, t.pk, done.get((t.indicator.code, t.area_id)))
        for t in targets
    ]


GROUPED_FROM = 3  # communes of one indicator from which they are counted together


def _counted_in_communes(targets: list[Target], start: dt.date, until: dt.date) -> dict[tuple[str, int], int]:
    """The actuals of the commune targets counted together (one grouped query per indicator and
    province instead of one per commune: a province's programme targets some 600 communes)."""
    if until < start:
        return {}
    communes: dict[str, list[AdminUnit]] = {}
    for t in targets:
        if t.indicator.is_counted and not t.area.is_legacy and t.area.level == Level.COMMUNE:
            communes.setdefault(t.indicator.code, []).append(t.area)
    counted = {}
    for code, units in communes.items():
        if len(units) < GROUPED_FROM:
            continue
        by_commune = registry.count_in_communes(code, units, start, until)
        for unit_id, n in (by_commune or {}).items():
            counted[(code, unit_id)] = n
    return counted


def current_breakdown(plan: Plan, *, as_of: dt.date | None = None) -> tuple[list[AdminUnit], list[dict]]:
    """For a plan whose targets name former units: the actual of each counted indicator it targets
    in each current commune that succeeded the plan area's communes (no targets: the plan set none
    for them). Returns (communes, [{"indicator", "cells": [(unit, actual, url)]}])."""
    as_of = as_of or timezone.localdate()
    until = min(as_of, plan.period_end)
    if as_of < plan.period_start:
        return [], []
    if plan.area.is_legacy:
        paths = (
            AdminUnit.objects.filter(path__startswith=plan.area.path, level=3)
            .exclude(current_path="")
            .values("current_path")
        )
        communes = list(AdminUnit.objects.filter(path__in=paths).order_by("name"))
    else:
        communes = list(AdminUnit.objects.filter(path__startswith=plan.area.path, level=3).order_by("name"))
    indicator_ids = plan.targets.values("indicator")
    rows = []
    for indicator in Indicator.objects.filter(pk__in=indicator_ids, method="counted").order_by("order"):
        counter = registry.get(indicator.code)
        if counter is None:
            continue
        cells = []
        for unit in communes:
            value = counter.count(unit, plan.period_start, until)
            cells.append((unit, value, records_url(indicator, unit, plan.period_start, until)))
        rows.append({"indicator": indicator, "cells": cells})
    return communes, rows


def plans_for_list(user):
    return (
        Plan.objects.for_user(user, "view")
        .select_related("area")
        .annotate(n_targets=Count("targets", distinct=True), n_tasks=Count("tasks", distinct=True))
    )


def plans_in_force(user, day: dt.date | None = None):
    """The plans in the user's scope in force on `day` (state in force, period covering the day)."""
    day = day or timezone.localdate()
    return (
        Plan.objects.for_user(user, "view")
        .filter(state=PlanState.IN_FORCE, period_start__lte=day, period_end__gte=day)
        .select_related("area")
        .order_by("area__path", "-issued_on")
    )


def plan_areas(plan: Plan) -> list[AdminUnit]:
    """The plan's area first, then the areas its targets name (by level and path)."""
    others = (
        AdminUnit.objects.filter(pk__in=plan.targets.values("area"))
        .exclude(pk=plan.area_id)
        .order_by("level", "path")
    )
    return [plan.area, *others]


def allowed_target_areas(plan: Plan):
    """The units a target of the plan may name: the plan's area or a unit inside it; for a current
    area also the former units whose current successor lies in it (a former province merged into
    it, its districts and communes)."""
    area = plan.area
    q = Q(path__startswith=area.path)
    if not area.is_legacy:
        q |= Q(edition="legacy", current_path__startswith=area.path)
    return AdminUnit.objects.filter(q)


def tasks_of(plan: Plan):
    return plan.tasks.prefetch_related(
        Prefetch(
            "reports", queryset=TaskReport.objects.select_related("reported_by").order_by("-date", "-pk")
        )
    )


def overdue_tasks(plan: Plan, day: dt.date | None = None) -> list[PlanTask]:
    day = day or timezone.localdate()
    return [t for t in plan.tasks.all() if t.is_overdue(day)]


def targets_grid(plan: Plan) -> dict[tuple[int, int], Decimal]:
    return {(t.indicator_id, t.area_id): t.value for t in Target.objects.filter(plan=plan)}
