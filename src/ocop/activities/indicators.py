"""The indicators the activities feed (see ocop.planning.indicators): sales points open, producers'
participations in promotion events, the share of OCOP officials trained, producers trained,
outreach articles. Each counts from the records, placed in the area by `geo.selectors.within`;
each has a records function for the click-through from a dashboard figure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from ocop.geo.selectors import within
from ocop.planning.indicators import counter

from .models import CourseAttendee, EventParticipation, OutreachArticle, SalesPoint

# The roles of the officials who run the programme (the denominator of officials_trained_share).
OFFICER_ROLES = ("commune_officer", "province_officer", "department_officer")


def sales_points_open(area, start, end):
    """Sales points opened by the end of the period and not closed by then, in the area."""
    return (
        SalesPoint.objects.filter(within(area, "area__"), opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .order_by("name", "pk")
    )


@counter("sales_points", records=sales_points_open)
def sales_points(area, start, end):
    return sales_points_open(area, start, end).count()


def participations_in(area, start, end):
    """Participations of the area's producers (by their commune) in events starting in the period."""
    return (
        EventParticipation.objects.filter(
            within(area, "producer__commune__"), event__start_date__gte=start, event__start_date__lte=end
        )
        .select_related("event", "producer")
        .order_by("event__start_date", "pk")
    )


@counter("promotion_participations", records=participations_in)
def promotion_participations(area, start, end):
    return participations_in(area, start, end).count()


def officials(area, start, end):
    """Users holding an OCOP officer role in the area during the period (assignment not expired
    before it starts)."""
    from ocop.accounts.models import RoleAssignment, User

    held = RoleAssignment.objects.filter(role__code__in=OFFICER_ROLES, area__isnull=False).filter(
        within(area, "area__")
    )
    held = held.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    return User.objects.filter(pk__in=held.values("user_id"), is_active=True)


def officials_trained(area, start, end):
    """The officials of the area who attended a course starting in the period."""
    attended = CourseAttendee.objects.filter(
        user__isnull=False, course__start_date__gte=start, course__start_date__lte=end
    ).values("user_id")
    return officials(area, start, end).filter(pk__in=attended).order_by("full_name", "pk")


@counter("officials_trained_share", records=officials_trained)
def officials_trained_share(area, start, end):
    total = officials(area, start, end).count()
    if not total:
        return Decimal("0")
    trained = officials_trained(area, start, end).count()
    return (Decimal(trained * 100) / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def producers_trained_in(area, start, end):
    """Producers of the area (by their commune) attending a course starting in the period."""
    from ocop.registry.models import Producer

    attended = CourseAttendee.objects.filter(
        producer__isnull=False, course__start_date__gte=start, course__start_date__lte=end
    ).values("producer_id")
    return Producer.objects.filter(within(area, "commune__"), pk__in=attended).order_by("name", "pk")


@counter("producers_trained", records=producers_trained_in)
def producers_trained(area, start, end):
    return producers_trained_in(area, start, end).count()


def articles_in(area, start, end):
    return OutreachArticle.objects.filter(
        within(area, "area__"), published_on__gte=start, published_on__lte=end
    ).order_by("published_on", "pk")


@counter("articles_published", records=articles_in)
def articles_published(area, start, end):
    return articles_in(area, start, end).count()
