"""Reads of the activities app: lists with what their columns show, the evidence of promotion for
a product's evaluation, the share of certified products sold online, and the public reads (the
news page, the sales points of a product) that never go through a user."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .choices import EventPlace
from .models import (
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    SalesPointAssessment,
    TrainingCourse,
)


def events_for_list(user):
    return (
        PromotionEvent.objects.for_user(user, "view")
        .select_related("area")
        .annotate(n_participants=Count("participations", distinct=True))
    )


def sales_points_for_list(user):
    latest = SalesPointAssessment.objects.filter(sales_point=OuterRef("pk")).order_by("-assessed_on", "-pk")
    return (
        SalesPoint.objects.for_user(user, "view")
        .select_related("area")
        .annotate(
            n_products=Count("products", distinct=True),
            meets=latest.values("meets_criteria")[:1],
        )
    )


def courses_for_list(user):
    return (
        TrainingCourse.objects.for_user(user, "view")
        .select_related("area")
        .annotate(n_attendees=Count("attendees", distinct=True))
    )


def articles_for_list(user):
    return OutreachArticle.objects.for_user(user, "view").select_related("area")


def event_detail(event: PromotionEvent) -> dict:
    participations = list(
        event.participations.select_related("producer", "producer__commune").prefetch_related("products")
    )
    return {"participations": participations}


def latest_assessment(point: SalesPoint) -> SalesPointAssessment | None:
    return point.assessments.order_by("-assessed_on", "-pk").first()


# --- evidence for the evaluation ---------------------------------------------------------------------


def promotion_summary(product, until: dt.date | None = None) -> dict:
    """The promotion events the product was shown at (until `until`, today by default), counted by
    where they were held — the evaluation scores participation inside and outside the province."""
    until = until or timezone.localdate()
    participations = list(
        EventParticipation.objects.filter(products=product, event__start_date__lte=until)
        .select_related("event")
        .order_by("-event__start_date", "pk")
    )
    counts = {place.value: 0 for place in EventPlace}
    seen = set()
    for p in participations:
        if p.event_id not in seen:
            seen.add(p.event_id)
            counts[p.event.place] += 1
    return {
        "inside": counts[EventPlace.INSIDE],
        "outside": counts[EventPlace.OUTSIDE],
        "abroad": counts[EventPlace.ABROAD],
        "total": len(seen),
        "events": [p.event for p in participations][:10],
        "contracts": sum(p.contracts_signed for p in participations),
    }


# --- marketplace listings ------------------------------------------------------------------------------


def listings_for_list(user):
    from ocop.registry.models import MarketplaceListing, Product

    products = Product.objects.for_user(user, "view")
    return MarketplaceListing.objects.filter(product__in=products.values("pk")).select_related(
        "product", "product__producer", "product__commune"
    )


def online_share(user, day: dt.date | None = None) -> dict:
    """Certified products (valid on `day`) in the user's scope, and how many have an active listing."""
    from ocop.registry.choices import ListingStatus
    from ocop.registry.models import MarketplaceListing, Product

    day = day or timezone.localdate()
    certified = Product.objects.for_user(user, "view").with_star_on(day).filter(stars__isnull=False)
    active = MarketplaceListing.objects.filter(product=OuterRef("pk"), status=ListingStatus.ACTIVE)
    total = certified.count()
    listed = certified.filter(Exists(active)).count()
    share = (Decimal(listed * 100) / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else None
    return {"certified": total, "listed": listed, "share": share, "day": day}


# --- public reads (no user) ------------------------------------------------------------------------------


def public_articles():
    """Outreach articles an officer chose to show publicly; only public fields are read."""
    return OutreachArticle.objects.filter(public=True).only(
        "pk", "title", "outlet", "kind", "published_on", "url", "summary", "is_illustrative"
    )


def public_sales_points(product, day: dt.date | None = None) -> list[SalesPoint]:
    """Published sales points open on `day` that carry the product."""
    day = day or timezone.localdate()
    return list(
        SalesPoint.objects.filter(products=product, published=True, opened_on__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .select_related("area", "area__parent")
        .only(
            "pk",
            "name",
            "location_kind",
            "address",
            "phone",
            "latitude",
            "longitude",
            "is_illustrative",
            "area__name",
            "area__parent__name",
        )
        .order_by("name", "pk")
    )


def attendees(course: TrainingCourse):
    return course.attendees.select_related("user", "producer", "producer__commune").order_by("pk")
