"""Indicators the funding records feed (see ocop.planning.indicators)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from ocop.geo.selectors import within
from ocop.planning.indicators import counter

from .models import Disbursement, SupportGrant


def disbursements_in(area, start, end):
    """Money disbursed on a date in the period to producers of the area (the grant's commune)."""
    return (
        Disbursement.objects.filter(date__gte=start, date__lte=end)
        .filter(within(area, "grant__commune__"))
        .select_related("grant", "grant__producer", "grant__source")
    )


@counter("support_amount", records=disbursements_in)
def support_amount(area, start, end) -> Decimal:
    return disbursements_in(area, start, end).aggregate(total=Sum("amount"))["total"] or Decimal(0)


def producers_supported_in(area, start, end):
    """Producers of the area granted support by a decision of the period, or paid under a grant in
    the period."""
    from ocop.registry.models import Producer

    grants = SupportGrant.objects.filter(within(area, "commune__")).filter(
        Q(decision_date__gte=start, decision_date__lte=end)
        | Q(disbursements__date__gte=start, disbursements__date__lte=end)
    )
    return Producer.objects.filter(pk__in=grants.values("producer_id")).select_related("commune")


@counter("producers_supported", records=producers_supported_in)
def producers_supported(area, start, end) -> int:
    return producers_supported_in(area, start, end).count()
