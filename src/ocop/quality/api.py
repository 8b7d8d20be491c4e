"""API of the quality app: the standards register, traceability, inspections with their samples,
follow-up actions and cases. The same services as the screens; reads limited to the caller's
scope. Mounted at /api/v1/quality."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q
from ocop.registry.choices import StandardKind

from . import selectors, services
from .choices import CaseKind, CaseState, InspectionKind, InspectionState, Outcome
from .models import FollowUpAction, Inspection, InspectionCase

router = Router(tags=["quality"])


class StandardOut(Schema):
    id: int
    product_id: int
    product_name: str = Field(..., alias="product.name")
    producer_id: int = Field(..., alias="product.producer_id")
    kind: StandardKind
    name: str
    certificate_number: str
    issuer: str
    issued_on: dt.date | None
    expires_on: dt.date | None


class StandardFilters(Schema):
    kind: StandardKind | None = None
    expired: bool | None = None
    expiring_within: int | None = Field(None, ge=1, le=3650, description="Days from today")
    product_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/standards", response=list[StandardOut], summary="Standards and certifications held by products")
@paginate(PageNumberPagination)
def list_product_standards(request, filters: Query[StandardFilters]):
    today = timezone.localdate()
    qs = selectors.standards_for_list(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.product_id:
        qs = qs.filter(product_id=filters.product_id)
    if filters.expired is True:
        qs = qs.filter(expires_on__lt=today)
    elif filters.expired is False:
        qs = qs.exclude(expires_on__lt=today)
    if filters.expiring_within:
        qs = qs.filter(
            expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=filters.expiring_within)
        )
    return qs.order_by("expires_on", "pk")


class TraceabilityOut(Schema):
    id: int
    name: str
    producer_id: int
    stars: int | None
    traceability_system: str
    traceability_url: str
    traceability_since: dt.date | None


@router.get("/traceability", response=list[TraceabilityOut], summary="Products and their traceability")
@paginate(PageNumberPagination)
def list_traceability(request, traceable: bool | None = None):
    qs = selectors.traceability_for_list(request.user)
    if traceable is True:
        qs = qs.filter(selectors.traceable_q())
    elif traceable is False:
        qs = qs.exclude(selectors.traceable_q())
    return qs.order_by("name", "pk")


class SampleOut(Schema):
    id: int
    product_id: int | None
    sample: str
    test: str
    lab: str
    result: str
    limit: str
    within_limits: bool | None


class ActionOut(Schema):
    id: int
    action: str
    responsible: str
    deadline: dt.date
    done_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class CaseOut(Schema):
    id: int
    product_id: int
    certificate_id: int
    kind: CaseKind
    state: CaseState
    note: str
    dossier_id: int | None
    revocation_decision_id: int | None


class InspectionOut(Schema):
    id: int
    kind: InspectionKind
    state: InspectionState
    reference: str
    inspecting_body: str
    responsible_unit: str
    date: dt.date
    producer_id: int
    producer_name: str = Field(..., alias="producer.name")
    area_id: int
    product_ids: list[int]
    subject: str
    outcome: Outcome

    @staticmethod
    def resolve_product_ids(obj):
        return [p.pk for p in obj.products.all()]


class InspectionDetailOut(InspectionOut):
    findings: str
    samples: list[SampleOut]
    actions: list[ActionOut]
    cases: list[CaseOut]

    @staticmethod
    def resolve_samples(obj):
        return list(obj.samples.all())

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())

    @staticmethod
    def resolve_cases(obj):
        return list(obj.cases.all())


class InspectionIn(Schema):
    kind: InspectionKind
    state: InspectionState = InspectionState.SCHEDULED
    reference: str = Field("", max_length=100)
    inspecting_body: str = Field(..., max_length=200)
    responsible_unit: str = Field(..., max_length=200)
    date: dt.date
    producer_id: int = Field(..., ge=1, le=MAX_ID)
    product_ids: list[int] = Field(default_factory=list, max_length=200)
    subject: str = Field("", max_length=300)
    findings: str = Field("", max_length=20000)
    outcome: Outcome = Outcome.PENDING


class InspectionPatch(Schema):
    kind: InspectionKind | None = None
    state: InspectionState | None = None
    reference: str | None = Field(None, max_length=100)
    inspecting_body: str | None = Field(None, max_length=200)
    responsible_unit: str | None = Field(None, max_length=200)
    date: dt.date | None = None
    product_ids: list[int] | None = Field(None, max_length=200)
    subject: str | None = Field(None, max_length=300)
    findings: str | None = Field(None, max_length=20000)
    outcome: Outcome | None = None


class SampleIn(Schema):
    product_id: int | None = Field(None, ge=1, le=MAX_ID)
    sample: str = Field(..., max_length=200)
    test: str = Field(..., max_length=200)
    lab: str = Field("", max_length=200)
    result: str = Field("", max_length=200)
    limit: str = Field("", max_length=200)
    within_limits: bool | None = None


class ActionIn(Schema):
    action: str = Field(..., max_length=500)
    responsible: str = Field("", max_length=200)
    deadline: dt.date


class DoneIn(Schema):
    done_on: dt.date


class CaseIn(Schema):
    product_id: int = Field(..., ge=1, le=MAX_ID)
    kind: CaseKind
    note: str = Field("", max_length=5000)


class RevocationIn(Schema):
    decision_number: str = Field(..., max_length=60)
    decision_date: dt.date
    authority: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)


class InspectionFilters(Schema):
    kind: InspectionKind | None = None
    state: InspectionState | None = None
    outcome: Outcome | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    q: str | None = Field(None, max_length=200)


@router.get("/inspections", response=list[InspectionOut], summary="Quality inspections in the caller's scope")
@paginate(PageNumberPagination)
def list_inspections(request, filters: Query[InspectionFilters]):
    qs = selectors.inspections_for_list(request.user).filter(search_q("search_folded", filters.q))
    for field in ("kind", "state", "outcome"):
        value = getattr(filters, field)
        if value:
            qs = qs.filter(**{field: value})
    if filters.year:
        qs = qs.filter(date__year=filters.year)
    return qs.order_by("-date", "-pk")


def _detail(request, inspection_id: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.for_user(request.user, "view")
        .select_related("producer")
        .prefetch_related("products", "samples", "actions", "cases"),
        pk=inspection_id,
    )


def _changeable(request, inspection_id: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.for_user(request.user, "change").select_related("producer", "area"),
        pk=inspection_id,
    )
    if not services.may(request.user, "quality.change_inspection", inspection.area):
        raise PermissionDenied
    return inspection


def _products(ids):
    from ocop.registry.models import Product

    return list(Product.objects.filter(pk__in=ids))


@router.get("/inspections/{id:inspection_id}", response=InspectionDetailOut, summary="One inspection")
def get_inspection(request, inspection_id: int):
    return _detail(request, inspection_id)


@router.post("/inspections", response={201: InspectionDetailOut}, summary="Record an inspection")
def create_inspection(request, payload: InspectionIn):
    from ocop.registry.models import Producer

    data = payload.dict()
    producer = get_object_or_404(Producer.objects.for_user(request.user, "view"), pk=data.pop("producer_id"))
    data["producer"] = producer
    data["products"] = _products(data.pop("product_ids"))
    inspection = services.create_inspection(request.user, data)
    return Status(201, _detail(request, inspection.pk))


@router.patch("/inspections/{id:inspection_id}", response=InspectionDetailOut, summary="Change an inspection")
def update_inspection(request, inspection_id: int, payload: InspectionPatch):
    inspection = _changeable(request, inspection_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "product_ids" in data:
        data["products"] = _products(data.pop("product_ids"))
    services.update_inspection(request.user, inspection, data)
    return _detail(request, inspection_id)


@router.post("/inspections/{id:inspection_id}/samples", response={201: SampleOut}, summary="Add a sample")
def add_inspection_sample(request, inspection_id: int, payload: SampleIn):
    inspection = _changeable(request, inspection_id)
    data = payload.dict()
    product_id = data.pop("product_id")
    data["product"] = _products([product_id])[0] if product_id and _products([product_id]) else None
    return Status(201, services.add_sample(request.user, inspection, data))


@router.post("/inspections/{id:inspection_id}/actions", response={201: ActionOut}, summary="Add a follow-up")
def add_follow_up_action(request, inspection_id: int, payload: ActionIn):
    inspection = _changeable(request, inspection_id)
    return Status(201, services.add_action(request.user, inspection, payload.dict()))


@router.post(
    "/inspections/{id:inspection_id}/actions/{id:action_id}/done",
    response=ActionOut,
    summary="Record a follow-up action done",
)
def complete_follow_up_action(request, inspection_id: int, action_id: int, payload: DoneIn):
    inspection = _changeable(request, inspection_id)
    action = get_object_or_404(FollowUpAction, inspection=inspection, pk=action_id)
    return services.complete_action(request.user, action, payload.done_on)


@router.post(
    "/inspections/{id:inspection_id}/cases",
    response={201: CaseOut},
    summary="Open a revocation or re-evaluation case on a product's certificate",
)
def open_inspection_case(request, inspection_id: int, payload: CaseIn):
    inspection = _changeable(request, inspection_id)
    products = _products([payload.product_id])
    case = services.open_case(
        request.user,
        inspection,
        {"product": products[0] if products else None, "kind": payload.kind, "note": payload.note},
    )
    return Status(201, case)


@router.post(
    "/inspections/{id:inspection_id}/cases/{id:case_id}/revocation",
    response=CaseOut,
    summary="Record the signed revocation of a case",
)
def record_case_revocation(request, inspection_id: int, case_id: int, payload: RevocationIn):
    inspection = _changeable(request, inspection_id)
    case = get_object_or_404(
        InspectionCase.objects.select_related("certificate"), inspection=inspection, pk=case_id
    )
    return services.record_revocation(request.user, case, payload.dict())
