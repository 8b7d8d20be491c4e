from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within
from ocop.registry.choices import ListingStatus, Marketplace

from .choices import Audience, EventKind, EventPlace, OutletKind, SalesPointKind
from .models import OutreachArticle, PromotionEvent, SalesPoint, TrainingCourse


class AreaFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )

    def filter_area(self, queryset, name, value):
        return queryset.filter(within(value, "area__")) if value else queryset


class YearFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    date_field = "start_date"

    def filter_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__year": value}) if value else queryset


class EventFilterSet(AreaFilter, YearFilter, SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    place = django_filters.ChoiceFilter(label=_("Held"), choices=EventPlace.choices)

    class Meta:
        model = PromotionEvent
        fields = ["q", "area", "kind", "place", "year"]


class SalesPointFilterSet(AreaFilter, SearchFilterSet):
    location_kind = django_filters.ChoiceFilter(label=_("Location"), choices=SalesPointKind.choices)
    open = yes_no_filter(_("Open"), method="filter_open")

    class Meta:
        model = SalesPoint
        fields = ["q", "area", "location_kind", "open"]

    def filter_open(self, queryset, name, value):
        from django.db.models import Q
        from django.utils import timezone

        if value is None:
            return queryset
        today = timezone.localdate()
        q = Q(opened_on__lte=today) & (Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        return queryset.filter(q) if value else queryset.exclude(q)


class CourseFilterSet(AreaFilter, YearFilter, SearchFilterSet):
    audience = django_filters.ChoiceFilter(label=_("For"), choices=Audience.choices)

    class Meta:
        model = TrainingCourse
        fields = ["q", "area", "audience", "year"]


class ArticleFilterSet(AreaFilter, YearFilter, SearchFilterSet):
    date_field = "published_on"
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OutletKind.choices)
    public = yes_no_filter(_("On the public news page"))

    class Meta:
        model = OutreachArticle
        fields = ["q", "area", "kind", "public", "year"]


class ListingFilterSet(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(label=_("Platform"), choices=Marketplace.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ListingStatus.choices)
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def filter_search(self, queryset, name, value):
        from ocop.core.text import search_q

        return queryset.filter(search_q("product__search_folded", value))
