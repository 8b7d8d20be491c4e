"""Rebuilding the summary rows of one current province, and marking provinces to rebuild.

`rebuild(province)` replaces every summary row of the province in one transaction, in a fixed
number of queries per summarised day (bulk reads, `bulk_create`): products with a valid
certificate by commune-level unit, product set and star on 31/12 of each year since the first
certificate and on today; today's certificates ending soon, open dossiers and open sessions; and
the registered counters of the activities, quality and funding apps for the province, its
former provinces (today and 31/12 of last year).

Every write in the system calls `ocop.audit.services.record`, so a `post_save` receiver on
`audit.AuditEvent` (`signals.py`) marks the event's province and, on commit, runs
`tasks.rebuild_summaries` once per transaction (OCOP_SUMMARY_AUTO_REBUILD turns this off).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ocop.geo.choices import Edition
from ocop.geo.models import AdminUnit, UnitSuccession
from ocop.geo.selectors import current_province_part, within

from .models import CounterFigure, ProductFigure, SummaryState, TargetFigure, UnitFigure

log = logging.getLogger(__name__)

# The counters of the other apps shown in "activities this period" (those registered at runtime).
ACTIVITY_CODES = (
    "sales_points",
    "promotion_participations",
    "articles_published",
    "officials_trained_share",
    "inspections_done",
    "support_amount",
)


def expiring_days() -> int:
    return int(getattr(settings, "OCOP_DASHBOARD_EXPIRING_DAYS", 90))


def province_of(unit: AdminUnit | None) -> AdminUnit | None:
    """The current province a unit belongs to today (through its current path)."""
    if unit is None:
        return None
    path = current_province_part(unit.path if not unit.is_legacy else (unit.current_path or ""))
    if not path:
        return None
    if unit.path == path:
        return unit
    return AdminUnit.objects.filter(path=path).first()


def provinces_for(area: AdminUnit | None) -> list[AdminUnit]:
    """The current provinces whose summaries hold the figures of `area` (None: every province)."""
    if area is None:
        return list(AdminUnit.objects.filter(edition=Edition.Y2025, level=1).order_by("path"))
    if not area.is_legacy:
        province = province_of(area)
        return [province] if province else []
    paths = set()
    for current in (
        AdminUnit.objects.filter(path__startswith=area.path)
        .exclude(current_path="")
        .values_list("current_path", flat=True)
    ).distinct():
        if p := current_province_part(current):
            paths.add(p)
    return list(AdminUnit.objects.filter(path__in=paths).order_by("path"))


def summary_days(first_year: int | None, today: dt.date) -> list[dt.date]:
    """31/12 of every year from the first certificate's year to last year, and today."""
    days = []
    if first_year is not None:
        days = [dt.date(y, 12, 31) for y in range(first_year, today.year) if dt.date(y, 12, 31) < today]
    return [*days, today]


def counter_areas(province: AdminUnit) -> list[AdminUnit]:
    """Areas whose counters are summarised: the province and its former provinces (a counter is a
    query or more per area and day; districts and communes show no activity figure)."""
    former = UnitSuccession.objects.filter(successor=province, predecessor__level=1).values("predecessor_id")
    return [province, *AdminUnit.objects.filter(pk__in=former).order_by("path")]


def rebuild(province: AdminUnit, today: dt.date | None = None) -> SummaryState:
    """Replace every summary row of `province` (a current province)."""
    from ocop.certification.filters import status_q
    from ocop.certification.models import Certificate, Status
    from ocop.evaluation.choices import SessionState
    from ocop.evaluation.models import EvaluationSession
    from ocop.planning import indicators
    from ocop.programme.choices import DOSSIER_RUNNING, DossierState
    from ocop.programme.models import Dossier

    started = time.monotonic()
    today = today or timezone.localdate()
    in_province = within(province, "product__commune__")
    certificates = Certificate.objects.filter(in_province)
    first = certificates.order_by("issued_on").values_list("issued_on", flat=True).first()
    days = summary_days(first.year if first else None, today)

    product_rows: list[ProductFigure] = []
    for day in days:
        best: dict[int, tuple[int, int, int, int]] = {}
        for product_id, unit_id, category_id, producer_id, stars in (
            certificates.valid_on(day)
            .values_list(
                "product_id", "product__commune_id", "product__category_id", "product__producer_id", "stars"
            )
            .order_by()
        ):
            if product_id not in best or stars > best[product_id][3]:
                best[product_id] = (unit_id, category_id, producer_id, stars)
        products: Counter = Counter()
        producers: dict[tuple, set] = defaultdict(set)
        for unit_id, category_id, producer_id, stars in best.values():
            key = (unit_id, category_id, stars)
            products[key] += 1
            producers[key].add(producer_id)
        product_rows += [
            ProductFigure(
                province=province,
                day=day,
                unit_id=unit_id,
                category_id=category_id,
                stars=stars,
                products=n,
                producers=len(producers[(unit_id, category_id, stars)]),
            )
            for (unit_id, category_id, stars), n in sorted(products.items())
        ]

    unit_rows: list[UnitFigure] = []
    live = status_q(Status.WINDOW, today) | status_q(Status.VALID, today)
    expiring = (
        certificates.filter(live, valid_until__lte=today + dt.timedelta(days=expiring_days()))
        .values("product__commune_id")
        .annotate(n=Count("id"))
        .order_by("product__commune_id")
    )
    unit_rows += [
        UnitFigure(
            province=province, unit_id=r["product__commune_id"], key=UnitFigure.Key.EXPIRING, value=r["n"]
        )
        for r in expiring
    ]
    open_dossiers = (*DOSSIER_RUNNING, DossierState.RETURNED)
    dossiers = (
        Dossier.objects.filter(within(province, "commune__"), state__in=open_dossiers)
        .values("commune_id", "state")
        .annotate(n=Count("id"))
        .order_by("commune_id", "state")
    )
    unit_rows += [
        UnitFigure(
            province=province,
            unit_id=r["commune_id"],
            key=UnitFigure.Key.DOSSIER,
            state=r["state"],
            value=r["n"],
        )
        for r in dossiers
    ]
    sessions = (
        EvaluationSession.objects.filter(
            within(province, "council__area__"), state__in=(SessionState.PLANNED, SessionState.OPEN)
        )
        .values("council__area_id", "state")
        .annotate(n=Count("id"))
        .order_by("council__area_id", "state")
    )
    unit_rows += [
        UnitFigure(
            province=province,
            unit_id=r["council__area_id"],
            key=UnitFigure.Key.SESSION,
            state=r["state"],
            value=r["n"],
        )
        for r in sessions
    ]

    counter_rows: list[CounterFigure] = []
    codes = [c for c in ACTIVITY_CODES if indicators.get(c) is not None]
    if codes:
        # Today and 31/12 of last year (this keeps one province's rebuild quick).
        for area in counter_areas(province):
            for day in [today, dt.date(today.year - 1, 12, 31)]:
                start = dt.date(day.year, 1, 1)
                for code in codes:
                    try:
                        value = indicators.count(code, area, start, day)
                    except Exception:  # a counter of another app must not stop the dashboard
                        log.exception("counter %s failed for %s", code, area)
                        continue
                    counter_rows.append(
                        CounterFigure(
                            province=province, area=area, day=day, code=code, value=Decimal(value or 0)
                        )
                    )

    target_rows = _target_rows(province, today)

    with transaction.atomic():
        TargetFigure.objects.filter(province=province).delete()
        TargetFigure.objects.bulk_create(target_rows, batch_size=1000)
        ProductFigure.objects.filter(province=province).delete()
        UnitFigure.objects.filter(province=province).delete()
        CounterFigure.objects.filter(province=province).delete()
        ProductFigure.objects.bulk_create(product_rows, batch_size=1000)
        UnitFigure.objects.bulk_create(unit_rows, batch_size=1000)
        CounterFigure.objects.bulk_create(counter_rows, batch_size=1000)
        state, _created = SummaryState.objects.select_for_update().get_or_create(province=province)
        state.built_at = timezone.now()
        state.built_for = today
        state.days = [d.isoformat() for d in days]
        state.duration_ms = int((time.monotonic() - started) * 1000)
        state.save()
    return state


def _target_rows(province: AdminUnit, today: dt.date) -> list[TargetFigure]:
    """The targets of the plans in force today whose area lies in the province, with their
    progress (planning.selectors.progress, which counts: done here, not per page view)."""
    from ocop.planning import selectors as planning
    from ocop.planning.choices import PlanState
    from ocop.planning.models import Plan

    rows = []
    plans = (
        Plan.objects.filter(within(province, "area__"), state=PlanState.IN_FORCE)
        .filter(period_start__lte=today, period_end__gte=today)
        .select_related("area")
        .order_by("area__path", "-issued_on", "pk")
    )
    for plan in plans:
        try:
            progress = planning.progress(plan, as_of=today)
        except Exception:
            log.exception("progress of plan %s", plan.pk)
            continue
        for i, row in enumerate(progress):
            rows.append(
                TargetFigure(
                    province=province,
                    plan_ref=plan.pk,
                    plan_label=str(plan)[:600],
                    plan_area_path=plan.area.path,
                    order=i,
                    area=row.area,
                    indicator_code=row.indicator.code,
                    indicator_name=str(row.indicator.name)[:500],
                    target=row.target,
                    actual=row.actual,
                    expected=getattr(row, "expected", None),
                    ratio=row.ratio,
                    light=str(row.light),
                    records_url=(row.records_url or "")[:1000],
                )
            )
    return rows


def rebuild_all(area: AdminUnit | None = None) -> list[SummaryState]:
    return [rebuild(p) for p in provinces_for(area)]


def ensure_built(provinces: list[AdminUnit]) -> None:
    """Build the summaries of provinces never built (the first dashboard after installing)."""
    built = set(SummaryState.objects.filter(province__in=provinces).values_list("province_id", flat=True))
    for p in provinces:
        if p.pk not in built:
            rebuild(p)


# --- marking provinces after writes ----------------------------------------------------------------

IGNORED_ACTIONS = {"login", "login_failed", "locked", "logout", "password", "export"}
# Reference data (places, score sheets), accounts and the reporting app's own writes change no
# summary row (communes are read from the places themselves).
IGNORED_TYPES = ("reporting.", "accounts.", "core.", "geo.", "evaluation.scoresheet", "evaluation.rule")


def area_to_mark(event) -> int | bool | None:
    """What an audit event may have changed, without a query: its area's id, None (no area: every
    province already summarised and the home province), or False (nothing summarised)."""
    if event.action in IGNORED_ACTIONS or (event.object_type or "").startswith(IGNORED_TYPES):
        return False
    return event.area_id


def provinces_of(area_ids: set) -> list[int]:
    """The provinces to rebuild for the marked areas (None: every province summarised, and home)."""
    ids = set()
    units = AdminUnit.objects.filter(pk__in=[a for a in area_ids if a is not None])
    paths = {
        current_province_part(u.current_path if u.is_legacy else u.path)
        for u in units.only("path", "current_path", "edition")
    }
    paths.discard("")
    if paths:
        ids |= set(AdminUnit.objects.filter(path__in=paths).values_list("pk", flat=True))
    if None in area_ids:
        from ocop.geo.selectors import home_area

        ids |= set(SummaryState.objects.values_list("province_id", flat=True))
        home = home_area()
        if home is not None:
            ids.add(home.pk)
    return sorted(ids)


def _pending() -> set[int]:
    from django.db import connection

    pending = getattr(connection, "_ocop_summary_pending", None)
    if pending is None:
        pending = set()
        connection._ocop_summary_pending = pending
    return pending


def mark_dirty(area_ids: set) -> None:
    """Rebuild the provinces of these areas (ids; None for "no area") once the current transaction
    commits (once per transaction; no query here, the provinces are resolved at commit)."""
    if not area_ids:
        return
    from django.db import connection

    pending = _pending()
    if not connection.in_atomic_block:
        pending.update(area_ids)
        _flush()
    else:
        registered = any(entry[1] is _flush for entry in connection.run_on_commit)
        if not registered:
            # What is pending belongs to a transaction that rolled back (its rebuild was discarded
            # with it): forget it.
            pending.clear()
        if not registered or not pending:
            # The first mark since the last rebuild ran, or of this transaction.
            transaction.on_commit(_flush)
        pending.update(area_ids)


def _flush() -> None:
    from django.db import connection

    pending = getattr(connection, "_ocop_summary_pending", set())
    connection._ocop_summary_pending = set()
    if not pending:
        return
    from .tasks import rebuild_summaries

    try:
        ids = provinces_of(pending)
        if ids:
            rebuild_summaries.enqueue(province_ids=ids)
    except Exception:  # never make the write that triggered it fail
        log.exception("could not enqueue the summary rebuild of %s", ids)
