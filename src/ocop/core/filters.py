from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import search_q

YES_NO_ALL = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


def scope_area_choices(filterset, user, permission: str) -> None:
    """Offer in the `area` filter only the units within the user's scope for `permission` (an
    officer of a province picks among its own and its former units, not the country's ~800).
    Call before the filterset's form is built."""
    from ocop.accounts.selectors import user_scope
    from ocop.geo.models import AdminUnit

    area = filterset.filters.get("area")
    queryset = getattr(area, "queryset", None)  # django-filter's ModelChoiceFilter keeps it here
    if not isinstance(queryset, models.QuerySet) or queryset.model is not AdminUnit:
        return
    scope = user_scope(user, permission)
    if not scope.everything:
        area.queryset = queryset.filter(scope.area_q(""))


def yes_no_filter(label, **kwargs) -> django_filters.BooleanFilter:
    """A boolean filter shown as All / Yes / No."""
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO_ALL), **kwargs)


class SearchFilterSet(django_filters.FilterSet):
    """A filterset with `q`: a diacritic-insensitive word-prefix search over `search_folded`."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q("search_folded", value))
