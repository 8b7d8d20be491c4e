"""API for the criteria (rule versions and score sheets): reads only, open to every authenticated
caller (`evaluation.view_scoresheet` is always granted). A sheet's detail is the JSON tree of the
export format (docs/criteria-format.md), which the import screen takes back."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.accounts.selectors import has_perm
from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID

from .models import RuleVersion, ScoreSheet
from .sheets import export_sheet

router = Router(tags=["criteria"])


def _may_read(request) -> None:
    if not has_perm(request.user, "evaluation.view_scoresheet"):
        raise PermissionDenied


class StarBand(Schema):
    stars: int
    min: Decimal = Field(..., description="Lowest total score of the band")


class RuleOut(Schema):
    id: int
    code: str
    name: str
    decision: str
    decision_date: dt.date
    effective_from: dt.date
    effective_to: dt.date | None
    part_maxima: dict[str, Decimal]
    star_bands: list[StarBand]
    certified_stars: list[int]
    province_stars: list[int]
    ministry_stars: list[int]
    ministry_min_province_score: Decimal | None
    certificate_months: int
    council_max_spread: Decimal
    council_quorum: Decimal
    category_scheme: str | None = Field(None, alias="category_scheme.code")
    source: str


class ProductSetRef(Schema):
    id: int
    code: str
    name: str


class SheetOut(Schema):
    id: int
    code: str
    version: int
    name: str
    rule_version: str = Field(..., alias="rule_version.code")
    product_set: ProductSetRef | None = None
    published_at: dt.datetime
    superseded_by_id: int | None
    is_current: bool
    discrepancies: list[str]
    note: str

    @staticmethod
    def resolve_is_current(obj) -> bool:
        return obj.superseded_by_id is None


class OptionOut(Schema):
    label: str
    points: float


class CriterionOut(Schema):
    code: str
    label: str
    max_score: float
    requirement_note: str | None
    is_scorable: bool
    options: list[OptionOut]
    children: list["CriterionOut"]


CriterionOut.model_rebuild()


class PartOut(Schema):
    code: str
    label: str
    max_score: float
    criteria: list[CriterionOut]


class StarMinimumOut(Schema):
    stars: int
    criterion: str = Field(..., description="Number of a criterion of the sheet (scored or group)")
    min_points: float


class SheetTreeOut(Schema):
    code: str
    name: str
    rule_version: str
    product_set: str | None = Field(None, description="Code of the product set in the rule's classification")
    disqualifiers: list[str]
    star_minimums: list[StarMinimumOut]
    sections: list[PartOut]


class SheetFilters(Schema):
    rule_version: str | None = Field(None, max_length=30, description="Code of a rule version, e.g. 26-2026")
    product_set: str | None = Field(None, max_length=20, description="Code of a product set, e.g. 7")
    product_set_id: int | None = Field(None, ge=1, le=MAX_ID)
    code: str | None = Field(None, max_length=60, description="Code of the sheet")
    current: bool | None = Field(None, description="true: current versions only; false: superseded only")


@router.get("/rules", response=list[RuleOut], summary="Rule versions (decisions and their scoring rules)")
@paginate(PageNumberPagination)
def list_rules(request):
    _may_read(request)
    return RuleVersion.objects.select_related("category_scheme").order_by("-effective_from", "code")


@router.get("/rules/{code}", response=RuleOut, summary="One rule version, by its code")
def get_rule(request, code: str):
    _may_read(request)
    return get_object_or_404(RuleVersion.objects.select_related("category_scheme"), code=code[:30])


@router.get("/sheets", response=list[SheetOut], summary="Score sheets (every version)")
@paginate(PageNumberPagination)
def list_sheets(request, filters: Query[SheetFilters]):
    _may_read(request)
    qs = ScoreSheet.objects.select_related("rule_version", "product_set")
    if filters.rule_version:
        qs = qs.filter(rule_version__code=filters.rule_version)
    if filters.product_set:
        qs = qs.filter(product_set__code=filters.product_set)
    if filters.product_set_id:
        qs = qs.filter(product_set_id=filters.product_set_id)
    if filters.code:
        qs = qs.filter(code=filters.code)
    if filters.current is not None:
        qs = qs.filter(superseded_by__isnull=filters.current)
    return qs.order_by("-rule_version__effective_from", "product_set__sort_order", "code", "-version", "pk")


@router.get(
    "/sheets/{id:sheet_id}",
    response=SheetTreeOut,
    summary="One score sheet as its JSON tree (the export format)",
)
def get_sheet(request, sheet_id: int):
    _may_read(request)
    sheet = get_object_or_404(ScoreSheet.objects.select_related("rule_version", "product_set"), pk=sheet_id)
    return export_sheet(sheet)
