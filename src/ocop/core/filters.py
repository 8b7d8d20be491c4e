from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .text import search_q

YES_NO_ALL = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_filter(label, **kwargs) -> django_filters.BooleanFilter:
    """A boolean filter shown as All / Yes / No."""
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO_ALL), **kwargs)


class SearchFilterSet(django_filters.FilterSet):
    """A filterset with `q`: a diacritic-insensitive word-prefix search over `search_folded`."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q("search_folded", value))
