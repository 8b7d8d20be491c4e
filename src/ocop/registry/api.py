import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q
from ocop.geo.models import AdminUnit

from . import services
from .choices import CategoryLevel, ProducerKind, ProducerStatus, ProductLifecycle
from .models import Producer, Product, ProductCategory

router = Router(tags=["registry"])


class UnitRef(Schema):
    id: int
    code: str
    name: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    level: int
    parent_id: int | None
    scheme: str = Field(..., alias="scheme.code")


class ProducerOut(Schema):
    id: int
    kind: ProducerKind
    name: str
    short_name: str
    tax_code: str
    registration_number: str
    registration_date: dt.date | None
    legal_representative: str
    phone: str
    email: str
    website: str
    address: str
    commune: UnitRef
    founded_year: int | None
    members_count: int | None
    employees_count: int | None
    local_labour_percent: Decimal | None
    women_led: bool
    ethnic_minority_led: bool
    status: ProducerStatus
    is_illustrative: bool


class ProducerIn(Schema):
    kind: ProducerKind
    name: str = Field(..., min_length=1, max_length=255)
    short_name: str = Field("", max_length=100)
    tax_code: str = Field("", max_length=20)
    registration_number: str = Field("", max_length=50)
    registration_date: dt.date | None = None
    legal_representative: str = Field("", max_length=150)
    representative_title: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    publish_phone: bool = False
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    address: str = Field("", max_length=255)
    commune_id: int = Field(..., ge=1, le=MAX_ID)
    founded_year: int | None = Field(None, ge=1900, le=2100)
    members_count: int | None = Field(None, ge=0, le=1_000_000)
    employees_count: int | None = Field(None, ge=0, le=1_000_000)
    local_labour_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    women_led: bool = False
    ethnic_minority_led: bool = False
    notes: str = Field("", max_length=5000)


class ProducerPatch(Schema):
    kind: ProducerKind | None = None
    name: str | None = Field(None, min_length=1, max_length=255)
    short_name: str | None = Field(None, max_length=100)
    tax_code: str | None = Field(None, max_length=20)
    registration_number: str | None = Field(None, max_length=50)
    registration_date: dt.date | None = None
    legal_representative: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=255)
    commune_id: int | None = Field(None, ge=1, le=MAX_ID)
    founded_year: int | None = Field(None, ge=1900, le=2100)
    members_count: int | None = Field(None, ge=0, le=1_000_000)
    employees_count: int | None = Field(None, ge=0, le=1_000_000)
    women_led: bool | None = None
    ethnic_minority_led: bool | None = None


class ProductOut(Schema):
    id: int
    code: str | None
    name: str
    producer_id: int
    producer_name: str = Field(..., alias="producer.name")
    category: CategoryOut
    commune: UnitRef
    lifecycle: ProductLifecycle
    stars: int | None = None
    description: str
    traceability_system: str
    traceability_url: str
    is_illustrative: bool


PRODUCT_OUT_COLUMNS = (
    "code",
    "name",
    "producer__name",
    "category__code",
    "category__name",
    "category__level",
    "category__parent",
    "category__scheme__code",
    "commune__code",
    "commune__name",
    "lifecycle",
    "description",
    "traceability_system",
    "traceability_url",
    "is_illustrative",
)


class ProductIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    producer_id: int = Field(..., ge=1, le=MAX_ID)
    category_id: int = Field(..., ge=1, le=MAX_ID)
    commune_id: int = Field(..., ge=1, le=MAX_ID)
    lifecycle: ProductLifecycle = ProductLifecycle.ACTIVE
    description: str = Field("", max_length=10000)
    story: str = Field("", max_length=20000)
    ingredients: str = Field("", max_length=5000)
    packaging: str = Field("", max_length=255)
    shelf_life: str = Field("", max_length=100)
    traceability_system: str = Field("", max_length=150)
    traceability_url: str = Field("", max_length=500)
    traceability_since: dt.date | None = None


class ProducerFilters(Schema):
    q: str | None = Field(None, max_length=200)
    kind: ProducerKind | None = None
    status: ProducerStatus | None = None
    commune_id: int | None = Field(None, ge=1, le=MAX_ID)


class ProductFilters(Schema):
    q: str | None = Field(None, max_length=200)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    stars: int | None = Field(None, ge=0, le=5, description="0: not certified on the date")
    on: dt.date | None = Field(None, description="Date for `stars` (today by default)")


def _resolve_refs(data: dict) -> dict:
    """Turn *_id fields into objects, with a field error for an unknown id."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    models = {"commune_id": AdminUnit, "producer_id": Producer, "category_id": ProductCategory}
    errors = {}
    for key, model in models.items():
        if key in data and data[key] is not None:
            obj = model.objects.filter(pk=data.pop(key)).first()
            if obj is None:
                errors[key] = gettext("No record has this id.")
            else:
                data[key[:-3]] = obj
        else:
            data.pop(key, None)
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/categories", response=list[CategoryOut], summary="Product classification (current scheme)")
def list_categories(request, level: CategoryLevel | None = None):
    qs = ProductCategory.objects.select_related("scheme").filter(scheme__effective_to__isnull=True)
    if level:
        qs = qs.filter(level=level)
    return list(qs.order_by("level", "sort_order"))


@router.get("/producers", response=list[ProducerOut], summary="Producers in the caller's scope")
@paginate(PageNumberPagination)
def list_producers(request, filters: Query[ProducerFilters]):
    qs = Producer.objects.for_user(request.user, "view").select_related("commune")
    qs = qs.filter(search_q("search_folded", filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.commune_id:
        qs = qs.filter(commune_id=filters.commune_id)
    return qs.order_by("name", "pk")


@router.get("/producers/{id:producer_id}", response=ProducerOut, summary="One producer")
def get_producer(request, producer_id: int):
    return get_object_or_404(
        Producer.objects.for_user(request.user, "view").select_related("commune"), pk=producer_id
    )


@router.post("/producers", response={201: ProducerOut}, summary="Register a producer")
def create_producer(request, payload: ProducerIn):
    return Status(201, services.create_producer(request.user, _resolve_refs(payload.dict())))


@router.patch("/producers/{id:producer_id}", response=ProducerOut, summary="Change a producer")
def update_producer(request, producer_id: int, payload: ProducerPatch):
    producer = get_object_or_404(Producer.objects.for_user(request.user, "change"), pk=producer_id)
    return services.update_producer(request.user, producer, _resolve_refs(payload.dict(exclude_unset=True)))


@router.get("/products", response=list[ProductOut], summary="Products in the caller's scope")
@paginate(PageNumberPagination)
def list_products(request, filters: Query[ProductFilters]):
    qs = (
        Product.objects.for_user(request.user, "view")
        .select_related("producer", "category", "category__scheme", "commune")
        .only(*PRODUCT_OUT_COLUMNS)  # what ProductOut shows: a page reads 50 rows of 5 tables
        .with_star_on(filters.on or timezone.localdate())
    )
    qs = qs.filter(search_q("search_folded", filters.q))
    if filters.producer_id:
        qs = qs.filter(producer_id=filters.producer_id)
    if filters.category_id:
        qs = qs.filter(category_id=filters.category_id)
    if filters.stars is not None:
        qs = qs.filter(stars__isnull=True) if filters.stars == 0 else qs.filter(stars=filters.stars)
    return qs.order_by("name", "pk")


def _product(request, product_id: int, action: str = "view"):
    return get_object_or_404(
        Product.objects.for_user(request.user, action)
        .select_related("producer", "category", "category__scheme", "commune")
        .with_star_on(timezone.localdate()),
        pk=product_id,
    )


@router.get("/products/{id:product_id}", response=ProductOut, summary="One product")
def get_product(request, product_id: int):
    return _product(request, product_id)


@router.post("/products", response={201: ProductOut}, summary="Register a product")
def create_product(request, payload: ProductIn):
    product = services.create_product(request.user, _resolve_refs(payload.dict()))
    return Status(201, _product(request, product.pk))


@router.patch("/products/{id:product_id}", response=ProductOut, summary="Change a product")
def update_product(request, product_id: int, payload: ProductIn):
    product = _product(request, product_id, "change")
    services.update_product(request.user, product, _resolve_refs(payload.dict(exclude_unset=True)))
    return _product(request, product_id)
