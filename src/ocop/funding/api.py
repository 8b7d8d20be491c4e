"""API of funding and support: sources, grants and disbursements, state-funded assets, totals.
The same services as the screens; reads limited to the caller's scope. Amounts are whole VND.
Mounted at /api/v1/funding."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q

from . import selectors, services
from .choices import AssetCondition, AssetState, SourceKind, SupportKind
from .models import FundingSource, StateAsset, SupportGrant

router = Router(tags=["funding"])

AMOUNT_MAX = Decimal(10) ** 18 - 1


class SourceOut(Schema):
    id: int
    kind: SourceKind
    name: str
    legal_basis: str
    year: int
    area_id: int | None
    allocated_amount: Decimal | None
    granted: Decimal
    responsible_unit: str


class SourceIn(Schema):
    kind: SourceKind
    name: str = Field(..., max_length=255)
    legal_basis: str = Field("", max_length=300)
    year: int = Field(..., ge=2000, le=2100)
    area_id: int | None = Field(None, ge=1, le=MAX_ID)
    allocated_amount: Decimal | None = Field(None, ge=0, le=AMOUNT_MAX, decimal_places=0)
    responsible_unit: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)


class DisbursementOut(Schema):
    id: int
    date: dt.date
    amount: Decimal
    reference: str


class GrantOut(Schema):
    id: int
    producer_id: int
    producer_name: str = Field(..., alias="producer.name")
    product_id: int | None
    commune_id: int
    kind: SupportKind
    description: str
    decision_number: str
    decision_date: dt.date
    approved_amount: Decimal
    disbursed: Decimal
    source_id: int
    responsible_unit: str


class GrantDetailOut(GrantOut):
    disbursements: list[DisbursementOut]

    @staticmethod
    def resolve_disbursements(obj):
        return list(obj.disbursements.all())


class GrantIn(Schema):
    producer_id: int = Field(..., ge=1, le=MAX_ID)
    product_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: SupportKind
    description: str = Field("", max_length=500)
    decision_number: str = Field(..., max_length=60)
    decision_date: dt.date
    approved_amount: Decimal = Field(..., ge=0, le=AMOUNT_MAX, decimal_places=0)
    source_id: int = Field(..., ge=1, le=MAX_ID)
    responsible_unit: str = Field(..., max_length=200)
    note: str = Field("", max_length=5000)


class DisbursementIn(Schema):
    date: dt.date
    amount: Decimal = Field(..., gt=0, le=AMOUNT_MAX, decimal_places=0)
    reference: str = Field("", max_length=100)


class AssetOut(Schema):
    id: int
    producer_id: int
    commune_id: int
    name: str
    quantity: int
    value: Decimal
    decision_number: str
    decision_date: dt.date | None
    handed_on: dt.date
    source_id: int | None
    grant_id: int | None
    condition: AssetCondition
    last_checked_on: dt.date | None
    state: AssetState
    ended_on: dt.date | None
    end_reason: str


class AssetIn(Schema):
    producer_id: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., max_length=255)
    description: str = Field("", max_length=5000)
    quantity: int = Field(1, ge=1, le=1_000_000)
    value: Decimal = Field(..., le=AMOUNT_MAX, decimal_places=0)
    decision_number: str = Field(..., max_length=60)
    decision_date: dt.date | None = None
    handed_on: dt.date
    source_id: int | None = Field(None, ge=1, le=MAX_ID)
    grant_id: int | None = Field(None, ge=1, le=MAX_ID)
    condition: AssetCondition = AssetCondition.GOOD
    last_checked_on: dt.date | None = None
    responsible_unit: str = Field("", max_length=200)


class AssetEndIn(Schema):
    state: AssetState
    ended_on: dt.date
    end_reason: str = Field(..., max_length=500)


class TotalsRow(Schema):
    label: str
    n_grants: int
    n_producers: int
    approved: Decimal
    disbursed: Decimal


class TotalsOut(Schema):
    by_source: list[TotalsRow]
    by_area: list[TotalsRow]
    by_year: list[TotalsRow]
    total: dict


def _ref(model, pk, field, user=None):
    if pk is None:
        return None
    qs = (
        model.objects.for_user(user, "view")
        if user is not None and hasattr(model.objects, "for_user")
        else model.objects
    )
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [_("No record has this id.")]})
    return obj


# --- sources -------------------------------------------------------------------------------------


@router.get("/sources", response=list[SourceOut], summary="Funding sources the caller may see")
@paginate(PageNumberPagination)
def list_funding_sources(
    request, kind: SourceKind | None = None, year: int | None = Query(None, ge=2000, le=2100)
):
    qs = selectors.sources_for_list(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "name", "pk")


@router.get("/sources/{id:source_id}", response=SourceOut, summary="One funding source")
def get_funding_source(request, source_id: int):
    return get_object_or_404(selectors.sources_for_list(request.user), pk=source_id)


@router.post("/sources", response={201: SourceOut}, summary="Record a funding source")
def create_funding_source(request, payload: SourceIn):
    from ocop.geo.models import AdminUnit

    data = payload.dict()
    data["area"] = _ref(AdminUnit, data.pop("area_id"), "area_id")
    source = services.create_source(request.user, data)
    return Status(201, get_object_or_404(selectors.sources_for_list(request.user), pk=source.pk))


# --- grants --------------------------------------------------------------------------------------


@router.get("/grants", response=list[GrantOut], summary="Support grants in the caller's scope")
@paginate(PageNumberPagination)
def list_support_grants(
    request,
    kind: SupportKind | None = None,
    source_id: int | None = Query(None, ge=1, le=MAX_ID),
    year: int | None = Query(None, ge=2000, le=2100),
    q: str | None = Query(None, max_length=200),
):
    qs = selectors.grants_for_list(request.user).filter(search_q("search_folded", q))
    if kind:
        qs = qs.filter(kind=kind)
    if source_id:
        qs = qs.filter(source_id=source_id)
    if year:
        qs = qs.filter(decision_date__year=year)
    return qs.order_by("-decision_date", "-pk")


def _grant_detail(request, grant_id: int) -> SupportGrant:
    return get_object_or_404(
        selectors.grants_for_list(request.user).prefetch_related("disbursements"), pk=grant_id
    )


@router.get(
    "/grants/{id:grant_id}", response=GrantDetailOut, summary="One support grant with its disbursements"
)
def get_support_grant(request, grant_id: int):
    return _grant_detail(request, grant_id)


@router.post("/grants", response={201: GrantDetailOut}, summary="Record support given to a producer")
def create_support_grant(request, payload: GrantIn):
    from ocop.registry.models import Producer, Product

    data = payload.dict()
    data["producer"] = get_object_or_404(
        Producer.objects.for_user(request.user, "view"), pk=data.pop("producer_id")
    )
    data["product"] = _ref(Product, data.pop("product_id"), "product_id", request.user)
    data["source"] = _ref(FundingSource, data.pop("source_id"), "source_id", request.user)
    grant = services.create_grant(request.user, data)
    return Status(201, _grant_detail(request, grant.pk))


@router.post(
    "/grants/{id:grant_id}/disbursements", response={201: GrantDetailOut}, summary="Record a disbursement"
)
def add_grant_disbursement(request, grant_id: int, payload: DisbursementIn):
    grant = get_object_or_404(SupportGrant.objects.for_user(request.user, "change"), pk=grant_id)
    if not services.may(request.user, "funding.change_supportgrant", grant.commune):
        raise PermissionDenied
    services.add_disbursement(request.user, grant, payload.dict())
    return Status(201, _grant_detail(request, grant_id))


# --- assets --------------------------------------------------------------------------------------


@router.get("/assets", response=list[AssetOut], summary="State-funded assets in the caller's scope")
@paginate(PageNumberPagination)
def list_state_assets(request, state: AssetState | None = None):
    qs = selectors.assets_for_list(request.user)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-handed_on", "-pk")


@router.get("/assets/{id:asset_id}", response=AssetOut, summary="One state-funded asset")
def get_state_asset(request, asset_id: int):
    return get_object_or_404(selectors.assets_for_list(request.user), pk=asset_id)


@router.post("/assets", response={201: AssetOut}, summary="Record an asset handed to a producer")
def create_state_asset(request, payload: AssetIn):
    from ocop.registry.models import Producer

    data = payload.dict()
    data["producer"] = get_object_or_404(
        Producer.objects.for_user(request.user, "view"), pk=data.pop("producer_id")
    )
    data["source"] = _ref(FundingSource, data.pop("source_id"), "source_id", request.user)
    data["grant"] = _ref(SupportGrant, data.pop("grant_id"), "grant_id", request.user)
    return Status(201, services.create_asset(request.user, data))


@router.post(
    "/assets/{id:asset_id}/end", response=AssetOut, summary="Record the return or write-off of an asset"
)
def end_state_asset(request, asset_id: int, payload: AssetEndIn):
    asset = get_object_or_404(StateAsset.objects.for_user(request.user, "change"), pk=asset_id)
    return services.end_asset(request.user, asset, payload.state, payload.ended_on, payload.end_reason)


# --- totals --------------------------------------------------------------------------------------


@router.get("/totals", response=TotalsOut, summary="Support by source, commune and year")
def get_funding_totals(request, year: int | None = Query(None, ge=2000, le=2100)):
    grants = SupportGrant.objects.for_user(request.user, "view")
    if year:
        grants = grants.filter(decision_date__year=year)
    data = selectors.totals(grants)
    data["total"] = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data["total"].items()}
    return data
