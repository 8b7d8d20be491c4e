from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.text import search_q
from ocop.registry.filters import AreaFilterMixin, CommuneFilterMixin

from .models import (
    WINDOW_OPENS_DAYS,
    Certificate,
    CertificateState,
    DecisionKind,
    DecisionState,
    RecognitionDecision,
    Status,
)


def status_q(status: str, day: dt.date) -> Q:
    """Certificates whose status on `day` is `status` (the same rule as Certificate.status_on)."""
    ended = Q(ended_on__isnull=False, ended_on__lte=day)
    live = Q(state=CertificateState.VALID) | ~ended
    window = day + dt.timedelta(days=WINDOW_OPENS_DAYS)
    if status == Status.REVOKED:
        return ended & Q(state=CertificateState.REVOKED)
    if status == Status.SUPERSEDED:
        return ended & ~Q(state=CertificateState.REVOKED)
    if status == Status.NOT_YET:
        return ~ended & Q(issued_on__gt=day)
    if status == Status.EXPIRED:
        return ~ended & Q(valid_until__lt=day) & (Q(extended_until__isnull=True) | Q(extended_until__lt=day))
    if status == Status.EXTENDED:
        return ~ended & Q(valid_until__lt=day, extended_until__gte=day)
    if status == Status.WINDOW:
        return ~ended & Q(issued_on__lte=day, valid_until__gte=day, valid_until__lte=window)
    if status == Status.VALID:
        return ~ended & Q(issued_on__lte=day, valid_until__gt=window)
    return live


class CertificateFilterSet(AreaFilterMixin, CommuneFilterMixin, django_filters.FilterSet):
    area_field = "product__commune"
    commune_field = "product__commune"

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status today"), choices=Status.choices, method="filter_status"
    )
    stars = django_filters.ChoiceFilter(label=_("Stars"), choices=[(n, f"{n}★") for n in (3, 4, 5)])
    expiring_within = django_filters.NumberFilter(
        label=_("Ends within (days)"), method="filter_expiring", min_value=1, max_value=3650
    )

    class Meta:
        model = Certificate
        fields = ["q", "area", "commune", "status", "stars", "expiring_within"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q("product__search_folded", value) | Q(public_id=value.strip().upper()))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value, timezone.localdate()))

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(status_q(Status.WINDOW, today) | status_q(Status.VALID, today)).filter(
            valid_until__lte=today + dt.timedelta(days=int(value))
        )


class DecisionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DecisionKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=DecisionState.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")

    class Meta:
        model = RecognitionDecision
        fields = ["kind", "state", "year"]
