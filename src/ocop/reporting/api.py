"""API of the reporting app: the dashboard's figures of an area (from the summary rows) and
periodic reports (request, list, status). Mounted at /api/v1/reporting."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.accounts.selectors import has_perm
from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.geo.models import AdminUnit

from . import selectors, services
from .models import Report, ReportKind, ReportState

router = Router(tags=["reporting"])


class FigureOut(Schema):
    label: str
    value: float | int | str
    url: str
    key: str


class CommuneOut(Schema):
    id: int
    name: str
    products: int
    lat: float | None
    lng: float | None


class SummaryOut(Schema):
    area_id: int | None  # None: the whole country
    area: str
    day: dt.date
    basis: str
    figures_as_of: dt.datetime | None
    products: int
    stars: dict[str, int]
    by_category: list[FigureOut]
    by_place: list[FigureOut]
    trend: list[dict]
    communes_total: int
    communes_without: int
    communes: list[CommuneOut]
    certificates_expiring: int
    dossiers_open: dict[str, int]
    sessions_open: dict[str, int]
    activities: dict[str, float | int | str]


@router.get("/summary", response=SummaryOut, summary="The dashboard's figures of an area on a day")
def get_summary(
    request,
    area_id: int | None = Query(None, ge=1, le=MAX_ID),
    national: bool = Query(False, description="The whole country (a user whose scope is everything)"),
    year: str | None = Query(
        None, max_length=10, description="'today' (default) or a past year: 31/12 of it"
    ),
    basis: str = Query(selectors.LEGACY, pattern="^(legacy|current)$"),
):
    if not has_perm(request.user, selectors.PERMISSION):
        raise PermissionDenied
    if national:
        if not selectors.may_see(request.user, selectors.COUNTRY):
            raise Http404
        area = selectors.COUNTRY
    elif area_id is None:
        area = selectors.default_area(request.user)
        if area is None:
            raise Http404
    else:
        area = get_object_or_404(AdminUnit, pk=area_id)
        if not selectors.may_see(request.user, area):
            raise Http404
    board = selectors.dashboard(request.user, area, year=year, basis=basis)

    def figures(links):
        return [{"label": str(x.label), "value": x.value, "url": x.url, "key": x.key} for x in links]

    return {
        "area_id": None if isinstance(area, selectors.Country) else area.pk,
        "area": area.name,
        "day": board.day,
        "basis": board.basis,
        "figures_as_of": board.built_at,
        "products": board.total.value,
        "stars": {str(s): link.value for s, link in board.stars.items()},
        "by_category": figures(board.by_category),
        "by_place": figures(board.by_place),
        "trend": board.trend,
        "communes_total": board.communes_total,
        "communes_without": board.communes_without,
        "communes": board.communes,
        "certificates_expiring": board.expiring.value,
        "dossiers_open": {x.key: x.value for x in board.dossiers},
        "sessions_open": {x.key: x.value for x in board.sessions},
        "activities": {x.key: x.value for x in board.counters},
    }


class ReportOut(Schema):
    id: int
    kind: ReportKind
    title: str
    area_id: int
    start: dt.date
    end: dt.date
    state: ReportState
    generated_at: dt.datetime | None
    task_id: str | None

    @staticmethod
    def resolve_task_id(obj) -> str | None:
        return str(obj.task_id) if obj.task_id else None


class ReportIn(Schema):
    kind: ReportKind
    area_id: int
    year: int | None = None
    quarter: int | None = None
    half: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    plan_id: int | None = None


@router.get("/reports", response=list[ReportOut], summary="Reports in the caller's scope")
@paginate(PageNumberPagination)
def list_reports(request, kind: ReportKind | None = None):
    qs = Report.objects.for_user(request.user, "view")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


@router.get("/reports/{id:report_id}", response=ReportOut, summary="One report and its state")
def get_report(request, report_id: int):
    return get_object_or_404(Report.objects.for_user(request.user, "view"), pk=report_id)


@router.post(
    "/reports", response={201: ReportOut}, summary="Request a periodic report (generated in the background)"
)
def request_report(request, payload: ReportIn):
    from django.core.exceptions import ValidationError

    data = payload.dict()
    area = AdminUnit.objects.filter(pk=data.pop("area_id")).first()
    if area is None:
        raise ValidationError({"area": "Unknown area."})
    plan = None
    if plan_id := data.pop("plan_id"):
        from ocop.planning.models import Plan

        plan = Plan.objects.for_user(request.user, "view").filter(pk=plan_id).first()
        if plan is None:
            raise ValidationError({"plan": "Unknown plan."})
    report = services.request_report(request.user, {**data, "area": area, "plan": plan})
    return Status(201, report)
