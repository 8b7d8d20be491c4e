from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within

from .choices import PlanKind, PlanState
from .models import EnteredValue, Indicator, Plan


class AreaFilter(django_filters.FilterSet):
    """`area`: any unit, former or current; the plans (values) in it, by the one `within` rule."""

    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )

    def filter_area(self, queryset, name, value):
        return queryset.filter(within(value, "area__")) if value else queryset


class PlanFilterSet(AreaFilter, SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PlanKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=PlanState.choices)
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = Plan
        fields = ["q", "kind", "year", "area", "state"]

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(period_start__year__lte=year, period_end__year__gte=year)


class EnteredValueFilterSet(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(label=_("Indicator"), queryset=Indicator.objects.all())
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.all(), method="filter_area"
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="period_end", lookup_expr="year", min_value=2000, max_value=2100
    )

    class Meta:
        model = EnteredValue
        fields = ["indicator", "area", "year"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(within(value, "area__")) if value else queryset
