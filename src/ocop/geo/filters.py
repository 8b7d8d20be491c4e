from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter

from .choices import Edition, Kind, Level
from .models import AdminUnit, UnitSuccession


class AdminUnitFilterSet(SearchFilterSet):
    edition = django_filters.ChoiceFilter(label=_("Edition"), choices=Edition.choices)
    valid_on = django_filters.DateFilter(
        label=_("Valid on"), method="filter_valid_on", widget=forms.DateInput(attrs={"type": "date"})
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Within"),
        queryset=AdminUnit.objects.filter(level__lt=3).order_by("edition", "name"),
        method="filter_within",
    )

    class Meta:
        model = AdminUnit
        fields = ["q", "edition", "valid_on", "level", "kind", "parent"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value) if value else queryset

    def filter_within(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk) if value else queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class UnitSuccessionFilterSet(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=_("Former province"),
        queryset=AdminUnit.objects.filter(edition=Edition.LEGACY, level=1).order_by("name"),
        method="filter_province",
    )
    successor_province = django_filters.ModelChoiceFilter(
        label=_("Current province"),
        queryset=AdminUnit.objects.filter(edition=Edition.Y2025, level=1).order_by("name"),
        method="filter_successor_province",
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    partial = yes_no_filter(_("Part only"))

    class Meta:
        model = UnitSuccession
        fields = ["q", "province", "successor_province", "partial"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(predecessor__path__startswith=value.path) if value else queryset

    def filter_successor_province(self, queryset, name, value):
        return queryset.filter(successor__path__startswith=value.path) if value else queryset

    def filter_search(self, queryset, name, value):
        from ocop.core.text import fold_words, search_q

        for word in fold_words(value):
            queryset = queryset.filter(
                search_q("predecessor__search_folded", word) | search_q("successor__search_folded", word)
            )
        return queryset
