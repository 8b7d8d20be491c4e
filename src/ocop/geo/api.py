import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID

from .choices import Edition, Kind, Level
from .models import AdminUnit, UnitSuccession

router = Router(tags=["places"])


class UnitRef(Schema):
    id: int
    code: str
    name: str
    edition: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    level: int
    edition: str
    parent: UnitRef | None = None
    valid_from: dt.date | None
    valid_to: dt.date | None
    latitude: Decimal | None
    longitude: Decimal | None
    path: str
    current_path: str


class SuccessionOut(Schema):
    predecessor: UnitRef
    successor: UnitRef
    effective_date: dt.date
    is_default: bool
    partial: bool


class UnitFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Search; diacritics optional (`cho don`).")
    edition: Edition | None = None
    level: Level | None = None
    kind: Kind | None = None
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Only units directly under this unit.")
    within: int | None = Field(None, ge=1, le=MAX_ID, description="Only units anywhere below this unit.")
    valid_on: dt.date | None = Field(None, description="Only units valid on this date (YYYY-MM-DD).")


def _units(request):
    return AdminUnit.objects.for_user(request.user, "view").select_related("parent")


@router.get("/", response=list[UnitOut], summary="List or search administrative units")
@paginate(PageNumberPagination)
def list_units(request, filters: Query[UnitFilters]):
    qs = _units(request)
    if filters.q:
        qs = qs.search(filters.q)
    if filters.edition:
        qs = qs.filter(edition=filters.edition)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.within:
        ancestor = get_object_or_404(_units(request), pk=filters.within)
        qs = qs.filter(path__startswith=ancestor.path).exclude(pk=ancestor.pk)
    if filters.valid_on:
        qs = qs.valid_on(filters.valid_on)
    return qs.ranked() if filters.q else qs.order_by("path")


@router.get("/by-code/{code}", response=UnitOut, summary="An administrative unit by its official code")
def get_unit_by_code(request, code: str, edition: Edition = Edition.Y2025):
    """Official codes (Decision 19/2025/QĐ-TTg and earlier lists) are unique within an edition."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    if len(code) > 10 or not code.isdigit():
        raise HttpError(422, _("A unit code is 2 to 5 digits."))
    unit = _units(request).filter(edition=edition, code=code).order_by("level").first()
    if unit is None:
        raise Http404(_("No administrative unit has code %(code)s.") % {"code": code})
    return unit


@router.get("/{id:unit_id}", response=UnitOut, summary="One administrative unit")
def get_unit(request, unit_id: int):
    return get_object_or_404(_units(request), pk=unit_id)


@router.get("/{id:unit_id}/children", response=list[UnitOut], summary="Units directly under a unit")
@paginate(PageNumberPagination)
def unit_children(request, unit_id: int):
    unit = get_object_or_404(_units(request), pk=unit_id)
    return _units(request).filter(parent=unit).order_by("code")


def _succession_qs():
    return UnitSuccession.objects.select_related("predecessor", "successor")


@router.get(
    "/{id:unit_id}/successors",
    response=list[SuccessionOut],
    summary="Units that continue this (legacy) unit after the 2025 reorganisation",
)
def unit_successors(request, unit_id: int):
    unit = get_object_or_404(_units(request), pk=unit_id)
    return list(_succession_qs().filter(predecessor=unit).order_by("-is_default", "successor__path"))


@router.get(
    "/{id:unit_id}/predecessors",
    response=list[SuccessionOut],
    summary="Legacy units that this unit continues",
)
def unit_predecessors(request, unit_id: int):
    unit = get_object_or_404(_units(request), pk=unit_id)
    return list(_succession_qs().filter(successor=unit).order_by("predecessor__path"))
