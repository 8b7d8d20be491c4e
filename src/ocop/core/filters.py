from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .text import fold_words


class SearchFilterSet(django_filters.FilterSet):
    """A filterset with `q`: a diacritic-insensitive search over the model's `search_folded`."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def filter_search(self, queryset, name, value):
        for word in fold_words(value):
            queryset = queryset.filter(search_folded__contains=word)
        return queryset
