"""Writes of the activities app: promotion events and their participants, sales points and their
assessments, training courses and their attendees, outreach articles.

Each function checks the input first (a `ValidationError` naming the field, nothing written), then
who may do it (`activities.add_<model>` over the record's area to create it, `change_` to edit it
or its children), then writes in one transaction with an audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.audit import services as audit
from ocop.core.text import nfc, search_text
from ocop.geo.selectors import within

from . import checklist
from .choices import AttendeeKind
from .models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    SalesPointAssessment,
    TrainingCourse,
)

COMMON_FIELDS = ("area", "responsible_unit", "notes", "is_illustrative")
EVENT_FIELDS = (
    "name",
    "kind",
    "start_date",
    "end_date",
    "place",
    "venue",
    "organiser",
    "budget",
    *COMMON_FIELDS,
)
PARTICIPATION_FIELDS = (
    "producer",
    "booth_support",
    "support_amount",
    "sales_amount",
    "contracts_signed",
    "contracts_value",
    "notes",
)
SALES_POINT_FIELDS = (
    "name",
    "location_kind",
    "address",
    "latitude",
    "longitude",
    "operator",
    "phone",
    "opened_on",
    "closed_on",
    "published",
    *COMMON_FIELDS,
)
COURSE_FIELDS = (
    "title",
    "topic",
    "audience",
    "level",
    "start_date",
    "end_date",
    "organiser",
    "funding",
    "funding_amount",
    "materials",
    *COMMON_FIELDS,
)
ATTENDEE_FIELDS = ("kind", "user", "producer", "name", "organisation")
ARTICLE_FIELDS = ("title", "outlet", "kind", "published_on", "url", "summary", "public", *COMMON_FIELDS)


# --- helpers ---------------------------------------------------------------------------------------


def may(actor, permission: str, unit) -> bool:
    if unit is None:
        return False
    return user_scope(actor, permission).covers_unit(unit)


def _require(actor, permission: str, unit) -> None:
    if not may(actor, permission, unit):
        raise PermissionDenied(
            _("You may not do this for %(area)s.") % {"area": unit.name if unit is not None else "—"}
        )


def _perm(model, action: str) -> str:
    return f"activities.{action}_{model._meta.model_name}"


def _assign(instance, data: dict[str, Any], fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = nfc(value).strip()
            setattr(instance, field, value)


def _clean(instance, exclude=()) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _dates(errors: dict, start, end, start_field="start_date", end_field="end_date") -> None:
    if start and end and end < start:
        _add(errors, end_field, _("The end date is before the start date."))


def _in_area(queryset, area, prefix: str) -> bool:
    return queryset.filter(within(area, prefix)).exists()


def _search(obj) -> str:
    parts = {
        PromotionEvent: lambda o: (o.name, o.venue, o.organiser, o.responsible_unit),
        SalesPoint: lambda o: (o.name, o.address, o.operator, o.responsible_unit),
        TrainingCourse: lambda o: (o.title, o.topic, o.organiser, o.responsible_unit),
        OutreachArticle: lambda o: (o.title, o.outlet, o.responsible_unit),
    }[type(obj)](obj)
    return search_text(*parts, obj.area.name if obj.area_id else "")


def _check(obj) -> dict[str, list[str]]:
    errors = _clean(obj, exclude=["area"])
    if not obj.area_id:
        _add(errors, "area", _("Choose the province or commune the record belongs to."))
    if not (obj.responsible_unit or "").strip():
        errors.setdefault("responsible_unit", [_("Name the responsible unit.")])
    if isinstance(obj, (PromotionEvent, TrainingCourse)):
        _dates(errors, obj.start_date, obj.end_date)
    if isinstance(obj, SalesPoint):
        _dates(errors, obj.opened_on, obj.closed_on, "opened_on", "closed_on")
        if (obj.latitude is None) != (obj.longitude is None):
            _add(errors, "longitude", _("Give both the latitude and the longitude, or neither."))
    return errors


def _create(actor, model, data: dict[str, Any], fields, after_save=None):
    obj = model()
    _assign(obj, data, fields)
    errors = _check(obj)
    if errors:
        raise ValidationError(errors)
    _require(actor, _perm(model, "add"), obj.area)
    with transaction.atomic():
        obj.search_folded = _search(obj)
        obj.save()
        if after_save:
            after_save(obj)
        audit.record(actor=actor, action="create", obj=obj, after=audit.snapshot(obj), area=obj.area)
    return obj


def _update(actor, obj, data: dict[str, Any], fields, after_save=None):
    _require(actor, _perm(type(obj), "change"), obj.area)
    before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
    _assign(obj, data, fields)
    errors = _check(obj)
    if errors:
        raise ValidationError(errors)
    _require(actor, _perm(type(obj), "change"), obj.area)  # the new area too
    with transaction.atomic():
        obj.search_folded = _search(obj)
        obj.save()
        changes = audit.diff(before, audit.snapshot(obj))
        if after_save:
            changes.update(after_save(obj) or {})
        audit.record(actor=actor, action="update", obj=obj, changes=changes, area=obj.area)
    return obj


# --- trade promotion -------------------------------------------------------------------------------


def create_event(actor, data: dict[str, Any]) -> PromotionEvent:
    return _create(actor, PromotionEvent, data, EVENT_FIELDS)


def update_event(actor, event: PromotionEvent, data: dict[str, Any]) -> PromotionEvent:
    return _update(actor, event, data, EVENT_FIELDS)


def _check_products(errors: dict, producer, products) -> None:
    for product in products:
        if producer is not None and product.producer_id != producer.pk:
            _add(
                errors,
                "products",
                _("%(product)s is not a product of %(producer)s.")
                % {"product": product, "producer": producer},
            )


def add_participation(actor, event: PromotionEvent, data: dict[str, Any]) -> EventParticipation:
    """A producer of the event's area takes part, with the products it shows and its results."""
    from ocop.registry.models import Producer

    participation = EventParticipation(event=event)
    _assign(participation, data, PARTICIPATION_FIELDS)
    products = list(data.get("products") or [])
    errors = _clean(participation, exclude=["event", "producer"])
    producer = participation.producer if participation.producer_id else None
    if producer is None:
        _add(errors, "producer", _("Choose the producer."))
    else:
        if not _in_area(Producer.objects.filter(pk=producer.pk), event.area, "commune__"):
            _add(
                errors,
                "producer",
                _("%(producer)s is not a producer of %(area)s.")
                % {"producer": producer, "area": event.area.name},
            )
        if EventParticipation.objects.filter(event=event, producer=producer).exists():
            _add(
                errors,
                "producer",
                _("%(producer)s already takes part in this event.") % {"producer": producer},
            )
    _check_products(errors, producer, products)
    if errors:
        raise ValidationError(errors)
    _require(actor, "activities.change_promotionevent", event.area)
    with transaction.atomic():
        participation.save()
        participation.products.set(products)
        audit.record(
            actor=actor,
            action="create",
            obj=participation,
            after={**audit.snapshot(participation), "products": sorted(p.pk for p in products)},
            area=event.area,
        )
    return participation


def update_participation(
    actor, participation: EventParticipation, data: dict[str, Any]
) -> EventParticipation:
    event = participation.event
    _require(actor, "activities.change_promotionevent", event.area)
    before = {
        **audit.snapshot(participation),
        "products": sorted(participation.products.values_list("pk", flat=True)),
    }
    _assign(participation, data, tuple(f for f in PARTICIPATION_FIELDS if f != "producer"))
    products = list(data["products"]) if "products" in data else list(participation.products.all())
    errors = _clean(participation, exclude=["event", "producer"])
    _check_products(errors, participation.producer, products)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        participation.save()
        participation.products.set(products)
        after = {**audit.snapshot(participation), "products": sorted(p.pk for p in products)}
        audit.record(
            actor=actor, action="update", obj=participation, before=before, after=after, area=event.area
        )
    return participation


def remove_participation(actor, participation: EventParticipation) -> None:
    event = participation.event
    _require(actor, "activities.change_promotionevent", event.area)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delete",
            obj=participation,
            before=audit.snapshot(participation),
            area=event.area,
        )
        participation.delete()


# --- sales points ----------------------------------------------------------------------------------


def _set_products(point: SalesPoint, data: dict[str, Any]):
    if "products" not in data:
        return None
    before = sorted(point.products.values_list("pk", flat=True))
    products = list(data["products"] or [])
    point.products.set(products)
    after = sorted(p.pk for p in products)
    return {"products": [before, after]} if before != after else {}


def _check_point_products(data: dict[str, Any], area) -> None:
    """The products a point carries are OCOP products of the registry (any province's)."""
    products = list(data.get("products") or [])
    if len({p.pk for p in products}) != len(products):
        raise ValidationError({"products": [_("A product is listed twice.")]})


def create_sales_point(actor, data: dict[str, Any]) -> SalesPoint:
    _check_point_products(data, data.get("area"))
    return _create(actor, SalesPoint, data, SALES_POINT_FIELDS, after_save=lambda p: _set_products(p, data))


def update_sales_point(actor, point: SalesPoint, data: dict[str, Any]) -> SalesPoint:
    _check_point_products(data, data.get("area", point.area))
    return _update(actor, point, data, SALES_POINT_FIELDS, after_save=lambda p: _set_products(p, data))


def assess_sales_point(actor, point: SalesPoint, data: dict[str, Any]) -> SalesPointAssessment:
    """Record a check against one version of the ministry's criteria: an answer (yes/no) for each
    of that version's items and none for another's; `meets_criteria` follows the required items."""
    errors: dict[str, list[str]] = {}
    code = data.get("checklist_version") or ""
    version = checklist.get(code)
    assessed_on = data.get("assessed_on")
    answers = data.get("answers") or {}
    if version is None:
        _add(errors, "checklist_version", _("Choose a version of the criteria."))
    if not isinstance(assessed_on, dt.date):
        _add(errors, "assessed_on", _("Enter the date of the assessment."))
    elif assessed_on < point.opened_on:
        _add(errors, "assessed_on", _("The assessment is dated before the point opened."))
    if version is not None:
        codes = set(version.item_codes())
        foreign = sorted(set(answers) - codes)
        if foreign:
            _add(
                errors,
                "answers",
                _("These answers are not items of version %(version)s: %(items)s.")
                % {"version": version.code, "items": ", ".join(foreign)},
            )
        missing = [c for c in version.item_codes() if not isinstance(answers.get(c), bool)]
        if missing:
            _add(errors, "answers", _("Answer every item: %(items)s.") % {"items": ", ".join(missing)})
    if errors:
        raise ValidationError(errors)
    _require(actor, "activities.change_salespoint", point.area)
    assessment = SalesPointAssessment(
        sales_point=point,
        checklist_version=version.code,
        assessed_on=assessed_on,
        assessor=nfc(data.get("assessor") or "").strip(),
        answers={c: answers[c] for c in version.item_codes()},
        meets_criteria=checklist.meets(version, answers),
        notes=nfc(data.get("notes") or "").strip(),
    )
    with transaction.atomic():
        assessment.save()
        audit.record(
            actor=actor, action="create", obj=assessment, after=audit.snapshot(assessment), area=point.area
        )
    return assessment


# --- training --------------------------------------------------------------------------------------


def create_course(actor, data: dict[str, Any]) -> TrainingCourse:
    return _create(actor, TrainingCourse, data, COURSE_FIELDS)


def update_course(actor, course: TrainingCourse, data: dict[str, Any]) -> TrainingCourse:
    return _update(actor, course, data, COURSE_FIELDS)


def add_attendee(actor, course: TrainingCourse, data: dict[str, Any]) -> CourseAttendee:
    """An official (their account), a producer, or a name typed in."""
    from ocop.accounts.models import RoleAssignment
    from ocop.registry.models import Producer

    attendee = CourseAttendee(course=course)
    _assign(attendee, data, ATTENDEE_FIELDS)
    errors = _clean(attendee, exclude=["course", "user", "producer"])
    user = attendee.user if attendee.user_id else None
    producer = attendee.producer if attendee.producer_id else None
    if user is None and producer is None and not attendee.name:
        _add(errors, "name", _("Choose the official or the producer, or type the attendee's name."))
    if attendee.kind == AttendeeKind.PRODUCER and user is not None and producer is None:
        _add(errors, "producer", _("Choose the producer the attendee represents."))
    if user is not None:
        in_area = RoleAssignment.objects.active().filter(user=user).filter(within(course.area, "area__"))
        if not in_area.exists():
            _add(
                errors,
                "user",
                _("%(user)s holds no role in %(area)s.") % {"user": user, "area": course.area.name},
            )
        elif CourseAttendee.objects.filter(course=course, user=user).exists():
            _add(errors, "user", _("%(user)s is already an attendee.") % {"user": user})
    if producer is not None:
        if not _in_area(Producer.objects.filter(pk=producer.pk), course.area, "commune__"):
            _add(
                errors,
                "producer",
                _("%(producer)s is not a producer of %(area)s.")
                % {"producer": producer, "area": course.area.name},
            )
        elif (
            user is None
            and CourseAttendee.objects.filter(course=course, producer=producer, user=None).exists()
        ):
            _add(errors, "producer", _("%(producer)s is already an attendee.") % {"producer": producer})
    if errors:
        raise ValidationError(errors)
    _require(actor, "activities.change_trainingcourse", course.area)
    with transaction.atomic():
        attendee.save()
        audit.record(
            actor=actor, action="create", obj=attendee, after=audit.snapshot(attendee), area=course.area
        )
    return attendee


def remove_attendee(actor, attendee: CourseAttendee) -> None:
    course = attendee.course
    _require(actor, "activities.change_trainingcourse", course.area)
    with transaction.atomic():
        audit.record(
            actor=actor, action="delete", obj=attendee, before=audit.snapshot(attendee), area=course.area
        )
        attendee.delete()


# --- outreach --------------------------------------------------------------------------------------


def create_article(actor, data: dict[str, Any]) -> OutreachArticle:
    return _create(actor, OutreachArticle, data, ARTICLE_FIELDS)


def update_article(actor, article: OutreachArticle, data: dict[str, Any]) -> OutreachArticle:
    return _update(actor, article, data, ARTICLE_FIELDS)
