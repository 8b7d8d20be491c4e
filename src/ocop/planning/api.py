"""API of the planning app: plans, their targets, progress and tasks, the indicator library and the
values entered by hand. Reads are limited to the caller's scope; writes go through the same
services as the screens. Mounted at /api/v1/planning."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.accounts.selectors import user_scope
from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within

from . import selectors, services
from .choices import Aggregation, Method, PlanKind, PlanState, TaskStatus, UnitKind
from .models import EnteredValue, Indicator, Plan, PlanTask

router = Router(tags=["planning"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: UnitKind
    definition: str
    method: Method
    counted_by: str
    aggregation: Aggregation
    order: int
    active: bool


class PlanOut(Schema):
    id: int
    kind: PlanKind
    number: str
    title: str
    issuing_body: str
    issued_on: dt.date
    signer: str
    period_start: dt.date
    period_end: dt.date
    area_id: int
    area_name: str = Field(..., alias="area.name")
    legal_bases: list[str] = Field(..., alias="legal_basis_list")
    state: PlanState
    note: str


class TargetOut(Schema):
    id: int
    indicator: str = Field(..., alias="indicator.code")
    area_id: int
    area_name: str = Field(..., alias="area.name")
    value: Decimal


class TargetIn(Schema):
    indicator: str = Field(..., min_length=1, max_length=60, description="Indicator code")
    area_id: int = Field(..., ge=1, le=MAX_ID)
    value: Decimal | None = Field(None, description="Empty removes the target")


class TargetsIn(Schema):
    targets: list[TargetIn] = Field(..., max_length=2000)


class TargetsResult(Schema):
    created: int
    updated: int
    deleted: int


class ProgressOut(Schema):
    target_id: int | None
    indicator: str
    indicator_name: str
    area_id: int
    area_name: str
    target: Decimal
    expected: Decimal
    actual: Decimal | None
    ratio: Decimal | None
    light: str
    note: str
    records_url: str | None


class ReportOut(Schema):
    id: int
    date: dt.date
    progress: int
    text: str
    reported_by: str = Field(..., alias="reported_by.username")


class TaskOut(Schema):
    id: int
    plan_id: int
    number: str
    title: str
    content: str
    responsible: str
    coordinating: str
    deadline: dt.date | None
    status: TaskStatus
    progress: int
    overdue: bool
    reports: list[ReportOut]

    @staticmethod
    def resolve_overdue(obj):
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())

    @staticmethod
    def resolve_reports(obj):
        return list(obj.reports.all())


class TaskIn(Schema):
    number: str = Field("", max_length=20)
    title: str = Field(..., min_length=1, max_length=500)
    content: str = Field("", max_length=20000)
    responsible: str = Field(..., min_length=1, max_length=500)
    coordinating: str = Field("", max_length=5000)
    deadline: dt.date | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED


class ReportIn(Schema):
    date: dt.date | None = None
    progress: int = Field(..., ge=0, le=100)
    text: str = Field(..., min_length=1, max_length=5000)


class EnteredIn(Schema):
    indicator: str = Field(..., min_length=1, max_length=60)
    area_id: int = Field(..., ge=1, le=MAX_ID)
    period_start: dt.date
    period_end: dt.date
    value: Decimal
    note: str = Field("", max_length=500)


class EnteredOut(Schema):
    id: int
    indicator: str = Field(..., alias="indicator.code")
    area_id: int
    area_name: str = Field(..., alias="area.name")
    period_start: dt.date
    period_end: dt.date
    value: Decimal
    note: str
    entered_by: str = Field(..., alias="entered_by.username")
    entered_at: dt.datetime


class PlanFilters(Schema):
    q: str | None = Field(None, max_length=200)
    kind: PlanKind | None = None
    state: PlanState | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    area_id: int | None = Field(None, ge=1, le=MAX_ID)


def _plan(request, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.for_user(request.user, "view").select_related("area"), pk=plan_id)


def _indicator(code: str, field: str = "indicator") -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise ValidationError({field: [_("No indicator has this code.")]})
    return indicator


def _unit(pk: int, field: str = "area_id") -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise ValidationError({field: [_("No record has this id.")]})
    return unit


def _visible(request, plan, rows):
    scope = user_scope(request.user, "planning.view_plan")
    return rows if scope.covers_unit(plan.area) else [r for r in rows if scope.covers_unit(r.area)]


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator library")
def list_indicators(request):
    return list(Indicator.objects.order_by("order", "code"))


@router.get("/plans", response=list[PlanOut], summary="Plans in the caller's scope")
@paginate(PageNumberPagination)
def list_plans(request, filters: Query[PlanFilters]):
    qs = (
        Plan.objects.for_user(request.user, "view")
        .select_related("area")
        .filter(search_q("search_folded", filters.q))
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(period_start__year__lte=filters.year, period_end__year__gte=filters.year)
    if filters.area_id:
        qs = qs.filter(within(_unit(filters.area_id), "area__"))
    return qs.order_by("-issued_on", "pk")


@router.get("/plans/{id:plan_id}", response=PlanOut, summary="One plan")
def get_plan(request, plan_id: int):
    return _plan(request, plan_id)


@router.get("/plans/{id:plan_id}/targets", response=list[TargetOut], summary="A plan's targets")
def list_plan_targets(request, plan_id: int):
    plan = _plan(request, plan_id)
    targets = list(
        plan.targets.select_related("indicator", "area").order_by("indicator__order", "area__path")
    )
    return _visible(request, plan, targets)


@router.post(
    "/plans/{id:plan_id}/targets", response=TargetsResult, summary="Set targets (all validated together)"
)
def set_plan_targets(request, plan_id: int, payload: TargetsIn):
    plan = _plan(request, plan_id)
    rows = [
        {"indicator": _indicator(t.indicator), "area": _unit(t.area_id), "value": t.value}
        for t in payload.targets
    ]
    return services.set_targets(request.user, plan, rows)


@router.get("/plans/{id:plan_id}/progress", response=list[ProgressOut], summary="Actual against target")
def get_plan_progress(
    request,
    plan_id: int,
    as_of: dt.date | None = None,
    area_id: int | None = Query(None, ge=1, le=MAX_ID),
):
    plan = _plan(request, plan_id)
    area = _unit(area_id) if area_id else None
    rows = _visible(request, plan, selectors.progress(plan, area=area, as_of=as_of))
    return [
        {
            "target_id": r.target_id,
            "indicator": r.indicator.code,
            "indicator_name": r.indicator.name,
            "area_id": r.area.pk,
            "area_name": r.area.name,
            "target": r.target,
            "expected": r.expected,
            "actual": r.actual,
            "ratio": r.ratio,
            "light": r.light,
            "note": r.note,
            "records_url": r.records_url,
        }
        for r in rows
    ]


@router.get("/plans/{id:plan_id}/tasks", response=list[TaskOut], summary="A plan's tasks with their reports")
def list_plan_tasks(request, plan_id: int):
    return list(selectors.tasks_of(_plan(request, plan_id)))


@router.post("/plans/{id:plan_id}/tasks", response={201: TaskOut}, summary="Add a task to a plan")
def create_plan_task(request, plan_id: int, payload: TaskIn):
    task = services.add_task(request.user, _plan(request, plan_id), payload.dict())
    return Status(201, task)


def _task(request, task_id: int) -> PlanTask:
    plans = Plan.objects.for_user(request.user, "view")
    return get_object_or_404(
        PlanTask.objects.filter(plan__in=plans).select_related("plan", "plan__area"), pk=task_id
    )


@router.post("/tasks/{id:task_id}/reports", response={201: TaskOut}, summary="Report progress on a task")
def report_on_task(request, task_id: int, payload: ReportIn):
    task = _task(request, task_id)
    services.add_report(request.user, task, payload.dict())
    return Status(201, _task(request, task_id))


@router.get(
    "/entered-values", response=list[EnteredOut], summary="Values entered by hand, in the caller's scope"
)
@paginate(PageNumberPagination)
def list_entered_values(request, indicator: str | None = Query(None, max_length=60)):
    qs = EnteredValue.objects.for_user(request.user, "view").select_related("indicator", "area", "entered_by")
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    return qs.order_by("-period_end", "pk")


@router.post("/entered-values", response={201: EnteredOut}, summary="Enter a value for an entered indicator")
def create_entered_value(request, payload: EnteredIn):
    data = payload.dict()
    data["indicator"] = _indicator(data["indicator"])
    data["area"] = _unit(data.pop("area_id"))
    entry = services.enter_value(request.user, data)
    return Status(
        201, EnteredValue.objects.select_related("indicator", "area", "entered_by").get(pk=entry.pk)
    )
