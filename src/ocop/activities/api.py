"""API of the activities: promotion events and participants, sales points and their assessments,
training courses and attendees, outreach articles, the marketplace listings of the products in
scope. The same services as the screens; every read is limited to the caller's scope. Mounted at
/api/v1/activities."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.api.schemas import MAX_ID
from ocop.core.text import search_q
from ocop.registry.choices import ListingStatus, Marketplace

from . import checklist, selectors, services
from .choices import AttendeeKind, Audience, CourseLevel, EventKind, EventPlace, OutletKind, SalesPointKind
from .models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    TrainingCourse,
)

router = Router(tags=["activities"])

ID = Field(..., ge=1, le=MAX_ID)
VND = Field(None, ge=0, le=10**15)


class ListFilters(Schema):
    q: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=2000, le=2100)


# --- schemas -------------------------------------------------------------------------------------


class Common(Schema):
    id: int
    area_id: int
    area_name: str = Field(..., alias="area.name")
    responsible_unit: str
    notes: str
    is_illustrative: bool


class CommonIn(Schema):
    area_id: int = ID
    responsible_unit: str = Field(..., min_length=1, max_length=255)
    notes: str = Field("", max_length=10000)


class CommonPatch(Schema):
    area_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_unit: str | None = Field(None, min_length=1, max_length=255)
    notes: str | None = Field(None, max_length=10000)


class ParticipationOut(Schema):
    id: int
    producer_id: int
    producer_name: str = Field(..., alias="producer.name")
    product_ids: list[int]
    booth_support: str
    support_amount: Decimal | None
    sales_amount: Decimal | None
    contracts_signed: int
    contracts_value: Decimal | None

    @staticmethod
    def resolve_product_ids(obj):
        return sorted(p.pk for p in obj.products.all())


class EventOut(Common):
    name: str
    kind: EventKind
    start_date: dt.date
    end_date: dt.date
    place: EventPlace
    venue: str
    organiser: str
    budget: Decimal | None
    participants: int = 0

    @staticmethod
    def resolve_participants(obj):
        return getattr(obj, "n_participants", None) or obj.participations.count()


class EventDetailOut(EventOut):
    participations: list[ParticipationOut]

    @staticmethod
    def resolve_participations(obj):
        return list(obj.participations.select_related("producer").prefetch_related("products"))


class EventIn(CommonIn):
    name: str = Field(..., min_length=1, max_length=255)
    kind: EventKind
    start_date: dt.date
    end_date: dt.date
    place: EventPlace = EventPlace.INSIDE
    venue: str = Field(..., min_length=1, max_length=255)
    organiser: str = Field(..., min_length=1, max_length=255)
    budget: Decimal | None = VND


class EventPatch(CommonPatch):
    name: str | None = Field(None, min_length=1, max_length=255)
    kind: EventKind | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    place: EventPlace | None = None
    venue: str | None = Field(None, min_length=1, max_length=255)
    organiser: str | None = Field(None, min_length=1, max_length=255)
    budget: Decimal | None = VND


class ParticipationIn(Schema):
    producer_id: int = ID
    product_ids: list[int] = Field(default_factory=list, max_length=200)
    booth_support: str = Field("", max_length=255)
    support_amount: Decimal | None = VND
    sales_amount: Decimal | None = VND
    contracts_signed: int = Field(0, ge=0, le=100000)
    contracts_value: Decimal | None = VND
    notes: str = Field("", max_length=10000)


class AssessmentOut(Schema):
    id: int
    checklist_version: str
    assessed_on: dt.date
    assessor: str
    answers: dict[str, bool]
    meets_criteria: bool
    notes: str


class SalesPointOut(Common):
    name: str
    location_kind: SalesPointKind
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    operator: str
    phone: str
    opened_on: dt.date
    closed_on: dt.date | None
    published: bool
    product_ids: list[int]

    @staticmethod
    def resolve_product_ids(obj):
        return sorted(p.pk for p in obj.products.all())


class SalesPointDetailOut(SalesPointOut):
    assessments: list[AssessmentOut]

    @staticmethod
    def resolve_assessments(obj):
        return list(obj.assessments.all())


class SalesPointIn(CommonIn):
    name: str = Field(..., min_length=1, max_length=255)
    location_kind: SalesPointKind
    address: str = Field(..., min_length=1, max_length=255)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    operator: str = Field(..., min_length=1, max_length=255)
    phone: str = Field("", max_length=20)
    opened_on: dt.date
    closed_on: dt.date | None = None
    published: bool = True
    product_ids: list[int] = Field(default_factory=list, max_length=2000)


class SalesPointPatch(CommonPatch):
    name: str | None = Field(None, min_length=1, max_length=255)
    location_kind: SalesPointKind | None = None
    address: str | None = Field(None, min_length=1, max_length=255)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    operator: str | None = Field(None, min_length=1, max_length=255)
    phone: str | None = Field(None, max_length=20)
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    published: bool | None = None
    product_ids: list[int] | None = Field(None, max_length=2000)


class AssessmentIn(Schema):
    checklist_version: str = Field(..., max_length=40)
    assessed_on: dt.date
    assessor: str = Field("", max_length=255)
    answers: dict[str, bool]
    notes: str = Field("", max_length=10000)


class ChecklistItemOut(Schema):
    code: str
    group: str
    label: str
    required: bool


class ChecklistOut(Schema):
    code: str
    name: str
    basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    items: list[ChecklistItemOut]


class AttendeeOut(Schema):
    id: int
    kind: AttendeeKind
    user_id: int | None
    producer_id: int | None
    name: str
    organisation: str


class CourseOut(Common):
    title: str
    topic: str
    audience: Audience
    level: CourseLevel
    start_date: dt.date
    end_date: dt.date
    organiser: str
    funding: str
    funding_amount: Decimal | None
    materials: str


class CourseDetailOut(CourseOut):
    attendees: list[AttendeeOut]

    @staticmethod
    def resolve_attendees(obj):
        return list(obj.attendees.all())


class CourseIn(CommonIn):
    title: str = Field(..., min_length=1, max_length=255)
    topic: str = Field(..., min_length=1, max_length=255)
    audience: Audience
    level: CourseLevel
    start_date: dt.date
    end_date: dt.date
    organiser: str = Field(..., min_length=1, max_length=255)
    funding: str = Field("", max_length=255)
    funding_amount: Decimal | None = VND
    materials: str = Field("", max_length=10000)


class CoursePatch(CommonPatch):
    title: str | None = Field(None, min_length=1, max_length=255)
    topic: str | None = Field(None, min_length=1, max_length=255)
    audience: Audience | None = None
    level: CourseLevel | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    organiser: str | None = Field(None, min_length=1, max_length=255)
    funding: str | None = Field(None, max_length=255)
    funding_amount: Decimal | None = VND
    materials: str | None = Field(None, max_length=10000)


class AttendeeIn(Schema):
    kind: AttendeeKind
    user_id: int | None = Field(None, ge=1, le=MAX_ID)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    name: str = Field("", max_length=200)
    organisation: str = Field("", max_length=255)


class ArticleOut(Common):
    title: str
    outlet: str
    kind: OutletKind
    published_on: dt.date
    url: str
    summary: str
    public: bool


class ArticleIn(CommonIn):
    title: str = Field(..., min_length=1, max_length=300)
    outlet: str = Field(..., min_length=1, max_length=255)
    kind: OutletKind
    published_on: dt.date
    url: str = Field("", max_length=500)
    summary: str = Field("", max_length=10000)
    public: bool = False


class ArticlePatch(CommonPatch):
    title: str | None = Field(None, min_length=1, max_length=300)
    outlet: str | None = Field(None, min_length=1, max_length=255)
    kind: OutletKind | None = None
    published_on: dt.date | None = None
    url: str | None = Field(None, max_length=500)
    summary: str | None = Field(None, max_length=10000)
    public: bool | None = None


class ListingOut(Schema):
    id: int
    product_id: int
    product_name: str = Field(..., alias="product.name")
    platform: Marketplace
    platform_name: str
    url: str
    status: ListingStatus
    listed_on: dt.date | None


class OnlineShareOut(Schema):
    day: dt.date
    certified: int
    listed: int
    share: Decimal | None


# --- references ------------------------------------------------------------------------------------


def _refs(data: dict) -> dict:
    """Ids in the payload → the records (a missing id is a 400 naming the field)."""
    from ocop.accounts.models import User
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Producer, Product

    single = {"area_id": AdminUnit, "producer_id": Producer, "user_id": User}
    errors = {}
    for key, model in single.items():
        if key not in data:
            continue
        value = data.pop(key)
        if value is None:
            data[key[:-3]] = None
            continue
        obj = model.objects.filter(pk=value).first()
        if obj is None:
            errors[key] = gettext("No record has this id.")
        else:
            data[key[:-3]] = obj
    if data.get("product_ids") is not None:
        ids = data.pop("product_ids")
        products = list(Product.objects.filter(pk__in=ids))
        if len(products) != len(set(ids)):
            errors["product_ids"] = gettext("No record has this id.")
        data["products"] = products
    elif "product_ids" in data:
        data.pop("product_ids")
    if errors:
        raise ValidationError(errors)
    return data


def _filter(qs, filters: ListFilters, date_field: str):
    qs = qs.filter(search_q("search_folded", filters.q))
    if filters.year:
        qs = qs.filter(**{f"{date_field}__year": filters.year})
    return qs


# --- trade promotion -------------------------------------------------------------------------------


def _event(request, event_id: int, action: str = "view") -> PromotionEvent:
    return get_object_or_404(
        PromotionEvent.objects.for_user(request.user, action).select_related("area"), pk=event_id
    )


@router.get("/events", response=list[EventOut], summary="Promotion events in the caller's scope")
@paginate(PageNumberPagination)
def list_promotion_events(request, filters: Query[ListFilters], place: EventPlace | None = None):
    qs = _filter(selectors.events_for_list(request.user), filters, "start_date")
    if place:
        qs = qs.filter(place=place)
    return qs.order_by("-start_date", "pk")


@router.get("/events/{id:event_id}", response=EventDetailOut, summary="One event with its participants")
def get_promotion_event(request, event_id: int):
    return _event(request, event_id)


@router.post("/events", response={201: EventDetailOut}, summary="Record a promotion event")
def create_promotion_event(request, payload: EventIn):
    event = services.create_event(request.user, _refs(payload.dict()))
    return Status(201, _event(request, event.pk))


@router.patch("/events/{id:event_id}", response=EventDetailOut, summary="Change an event")
def update_promotion_event(request, event_id: int, payload: EventPatch):
    services.update_event(
        request.user, _event(request, event_id, "change"), _refs(payload.dict(exclude_unset=True))
    )
    return _event(request, event_id)


@router.post(
    "/events/{id:event_id}/participations",
    response={201: EventDetailOut},
    summary="A producer takes part in the event",
)
def add_event_participation(request, event_id: int, payload: ParticipationIn):
    event = _event(request, event_id, "change")
    services.add_participation(request.user, event, _refs(payload.dict()))
    return Status(201, _event(request, event_id))


@router.delete(
    "/participations/{id:participation_id}", response={204: None}, summary="Remove a participation"
)
def remove_event_participation(request, participation_id: int):
    participation = get_object_or_404(
        EventParticipation.objects.select_related("event", "event__area"),
        pk=participation_id,
        event__in=PromotionEvent.objects.for_user(request.user, "change"),
    )
    services.remove_participation(request.user, participation)
    return Status(204, None)


# --- sales points ----------------------------------------------------------------------------------


def _point(request, point_id: int, action: str = "view") -> SalesPoint:
    return get_object_or_404(
        SalesPoint.objects.for_user(request.user, action).select_related("area").prefetch_related("products"),
        pk=point_id,
    )


@router.get("/sales-points", response=list[SalesPointOut], summary="OCOP sales points in the caller's scope")
@paginate(PageNumberPagination)
def list_sales_points(request, q: str | None = Query(None, max_length=200)):
    return (
        SalesPoint.objects.for_user(request.user, "view")
        .filter(search_q("search_folded", q))
        .select_related("area")
        .prefetch_related("products")
        .order_by("name", "pk")
    )


@router.get("/sales-points/{id:point_id}", response=SalesPointDetailOut, summary="One sales point")
def get_sales_point(request, point_id: int):
    return _point(request, point_id)


@router.post("/sales-points", response={201: SalesPointDetailOut}, summary="Record a sales point")
def create_sales_point(request, payload: SalesPointIn):
    point = services.create_sales_point(request.user, _refs(payload.dict()))
    return Status(201, _point(request, point.pk))


@router.patch("/sales-points/{id:point_id}", response=SalesPointDetailOut, summary="Change a sales point")
def update_sales_point(request, point_id: int, payload: SalesPointPatch):
    services.update_sales_point(
        request.user, _point(request, point_id, "change"), _refs(payload.dict(exclude_unset=True))
    )
    return _point(request, point_id)


@router.post(
    "/sales-points/{id:point_id}/assessments",
    response={201: SalesPointDetailOut},
    summary="Assess a sales point against a version of the ministry's criteria",
)
def assess_sales_point(request, point_id: int, payload: AssessmentIn):
    services.assess_sales_point(request.user, _point(request, point_id, "change"), payload.dict())
    return Status(201, _point(request, point_id))


@router.get(
    "/sales-point-criteria", response=list[ChecklistOut], summary="The versions of the ministry's criteria"
)
def list_sales_point_criteria(request):
    return [
        {
            "code": v.code,
            "name": v.name,
            "basis": v.basis,
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "items": [i.__dict__ for i in v.items],
        }
        for v in checklist.versions().values()
    ]


# --- marketplace listings --------------------------------------------------------------------------


@router.get("/listings", response=list[ListingOut], summary="Marketplace listings of the products in scope")
@paginate(PageNumberPagination)
def list_marketplace_listings(
    request, platform: Marketplace | None = None, status: ListingStatus | None = None
):
    qs = selectors.listings_for_list(request.user)
    if platform:
        qs = qs.filter(platform=platform)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("product__name", "pk")


@router.get(
    "/listings/share", response=OnlineShareOut, summary="Share of certified products listed online today"
)
def online_listing_share(request):
    return selectors.online_share(request.user)


# --- training --------------------------------------------------------------------------------------


def _course(request, course_id: int, action: str = "view") -> TrainingCourse:
    return get_object_or_404(
        TrainingCourse.objects.for_user(request.user, action).select_related("area"), pk=course_id
    )


@router.get("/courses", response=list[CourseOut], summary="Training courses in the caller's scope")
@paginate(PageNumberPagination)
def list_training_courses(request, filters: Query[ListFilters], audience: Audience | None = None):
    qs = _filter(selectors.courses_for_list(request.user), filters, "start_date")
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("-start_date", "pk")


@router.get("/courses/{id:course_id}", response=CourseDetailOut, summary="One course with its attendees")
def get_training_course(request, course_id: int):
    return _course(request, course_id)


@router.post("/courses", response={201: CourseDetailOut}, summary="Record a training course")
def create_training_course(request, payload: CourseIn):
    course = services.create_course(request.user, _refs(payload.dict()))
    return Status(201, _course(request, course.pk))


@router.patch("/courses/{id:course_id}", response=CourseDetailOut, summary="Change a course")
def update_training_course(request, course_id: int, payload: CoursePatch):
    services.update_course(
        request.user, _course(request, course_id, "change"), _refs(payload.dict(exclude_unset=True))
    )
    return _course(request, course_id)


@router.post("/courses/{id:course_id}/attendees", response={201: CourseDetailOut}, summary="Add an attendee")
def add_course_attendee(request, course_id: int, payload: AttendeeIn):
    services.add_attendee(request.user, _course(request, course_id, "change"), _refs(payload.dict()))
    return Status(201, _course(request, course_id))


@router.delete("/attendees/{id:attendee_id}", response={204: None}, summary="Remove an attendee")
def remove_course_attendee(request, attendee_id: int):
    attendee = get_object_or_404(
        CourseAttendee.objects.select_related("course", "course__area"),
        pk=attendee_id,
        course__in=TrainingCourse.objects.for_user(request.user, "change"),
    )
    services.remove_attendee(request.user, attendee)
    return Status(204, None)


# --- outreach --------------------------------------------------------------------------------------


def _article(request, article_id: int, action: str = "view") -> OutreachArticle:
    return get_object_or_404(
        OutreachArticle.objects.for_user(request.user, action).select_related("area"), pk=article_id
    )


@router.get("/articles", response=list[ArticleOut], summary="Outreach articles in the caller's scope")
@paginate(PageNumberPagination)
def list_outreach_articles(request, filters: Query[ListFilters], kind: OutletKind | None = None):
    qs = _filter(selectors.articles_for_list(request.user), filters, "published_on")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_on", "pk")


@router.get("/articles/{id:article_id}", response=ArticleOut, summary="One outreach article")
def get_outreach_article(request, article_id: int):
    return _article(request, article_id)


@router.post("/articles", response={201: ArticleOut}, summary="Record an outreach article")
def create_outreach_article(request, payload: ArticleIn):
    article = services.create_article(request.user, _refs(payload.dict()))
    return Status(201, _article(request, article.pk))


@router.patch("/articles/{id:article_id}", response=ArticleOut, summary="Change an article")
def update_outreach_article(request, article_id: int, payload: ArticlePatch):
    services.update_article(
        request.user, _article(request, article_id, "change"), _refs(payload.dict(exclude_unset=True))
    )
    return _article(request, article_id)
