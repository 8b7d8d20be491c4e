from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet
from ocop.geo.models import AdminUnit

from .choices import AssetState, SourceKind, SupportKind
from .models import FundingSource


class AreaFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(commune__path__startswith=value.path) | Q(commune__current_path__startswith=value.path)
        )


class SourceFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SourceKind.choices)
    year = django_filters.NumberFilter(label=_("Year"))


class GrantFilterSet(AreaFilter, SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Support"), choices=SupportKind.choices)
    source_kind = django_filters.ChoiceFilter(
        label=_("Kind of source"), choices=SourceKind.choices, field_name="source__kind"
    )
    source = django_filters.ModelChoiceFilter(label=_("Funding source"), queryset=FundingSource.objects.all())
    year = django_filters.NumberFilter(label=_("Year"), field_name="decision_date", lookup_expr="year")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["source"].queryset = FundingSource.objects.for_user(request.user, "view")


class AssetFilterSet(AreaFilter, SearchFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=AssetState.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="handed_on", lookup_expr="year")


class TotalsFilterSet(AreaFilter):
    year = django_filters.NumberFilter(label=_("Year"), field_name="decision_date", lookup_expr="year")
    source_kind = django_filters.ChoiceFilter(
        label=_("Kind of source"), choices=SourceKind.choices, field_name="source__kind"
    )
