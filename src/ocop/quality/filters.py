from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter
from ocop.core.text import search_q
from ocop.geo.models import AdminUnit
from ocop.registry.choices import StandardKind

from .choices import InspectionKind, InspectionState, Outcome
from .selectors import traceable_q


def _area_q(value, prefix: str) -> Q:
    return Q(**{f"{prefix}path__startswith": value.path}) | Q(
        **{f"{prefix}current_path__startswith": value.path}
    )


class AreaFilter(django_filters.FilterSet):
    area_prefix = "commune__"
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )

    def filter_area(self, queryset, name, value):
        return queryset.filter(_area_q(value, self.area_prefix)) if value else queryset


EXPIRY_CHOICES = [
    ("expired", _("Expired")),
    ("expiring", _("Expiring within the days below")),
    ("valid", _("In force")),
]


class StandardFilterSet(AreaFilter, SearchFilterSet):
    area_prefix = "product__commune__"
    kind = django_filters.ChoiceFilter(label=_("Standard"), choices=StandardKind.choices)
    expiry = django_filters.ChoiceFilter(label=_("Expiry"), choices=EXPIRY_CHOICES, method="filter_expiry")
    days = django_filters.NumberFilter(label=_("Days"), method="filter_noop", min_value=1, max_value=3650)
    product = django_filters.NumberFilter(
        label=_("Product"), field_name="product_id", widget=forms.HiddenInput
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q("product__search_folded", value))

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_expiry(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(expires_on__lt=today)
        days = self.form.cleaned_data.get("days") or 60
        until = today + dt.timedelta(days=int(days))
        if value == "expiring":
            return queryset.filter(expires_on__gte=today, expires_on__lte=until)
        return queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


class TraceabilityFilterSet(AreaFilter, SearchFilterSet):
    traceable = yes_no_filter(_("Traceable"), method="filter_traceable")
    certified = yes_no_filter(_("OCOP certified today"), method="filter_certified")

    def filter_traceable(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(traceable_q()) if value else queryset.exclude(traceable_q())

    def filter_certified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stars__isnull=not value)


class QmsFilterSet(SearchFilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )
    holding = yes_no_filter(_("Holds an advanced standard"), method="filter_holding")

    def filter_area(self, queryset, name, value):
        return queryset.filter(_area_q(value, "commune__")) if value else queryset

    def filter_holding(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(n_advanced__gt=0) if value else queryset.filter(n_advanced=0)


class InspectionFilterSet(AreaFilter, SearchFilterSet):
    area_prefix = "area__"
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=InspectionState.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    overdue = yes_no_filter(_("Follow-up overdue"), method="filter_overdue")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(n_overdue__gt=0) if value else queryset.filter(n_overdue=0)
