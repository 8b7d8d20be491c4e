from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter
from ocop.geo.models import AdminUnit

from .choices import (
    ADVANCED_QUALITY,
    CategoryLevel,
    ListingStatus,
    ProducerKind,
    ProducerStatus,
    StandardKind,
)
from .models import MarketplaceListing, Producer, Product, ProductCategory, ProductStandard


class AreaFilterMixin(django_filters.FilterSet):
    """`area`: any unit, legacy or current; matches records in its subtree, or whose unit's
    current successor lies in it (so the new Thái Nguyên includes the former Bắc Kạn)."""

    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=AdminUnit.objects.filter(level__lt=3),
        method="filter_area",
    )
    area_field = "commune"

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        field = self.area_field
        return queryset.filter(
            Q(**{f"{field}__path__startswith": value.path})
            | Q(**{f"{field}__current_path__startswith": value.path})
        )


class CommuneFilterMixin(django_filters.FilterSet):
    """`commune`: a commune-level unit's id (the dashboards' click-through); matches records in
    that unit or in the legacy units it succeeded."""

    commune = django_filters.NumberFilter(method="filter_commune", widget=forms.HiddenInput)
    commune_field = "commune"

    def filter_commune(self, queryset, name, value):
        if not value:
            return queryset
        unit = AdminUnit.objects.filter(pk=value, level=3).first()
        if unit is None:
            return queryset.none()
        field = self.commune_field
        return queryset.filter(Q(**{f"{field}": unit}) | Q(**{f"{field}__current_path": unit.path}))


def _area_choices():
    return AdminUnit.objects.filter(level__lt=3).order_by("edition", "path")


class ProducerFilterSet(AreaFilterMixin, SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProducerKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProducerStatus.choices)
    women_led = yes_no_filter(_("Led by a woman"))
    ethnic_minority_led = yes_no_filter(_("Led by an ethnic-minority person"))
    in_linkage = yes_no_filter(_("In a production–consumption linkage"), method="filter_linkage")
    illustrative = yes_no_filter(_("Illustrative records"), field_name="is_illustrative")

    class Meta:
        model = Producer
        fields = [
            "q",
            "area",
            "kind",
            "status",
            "women_led",
            "ethnic_minority_led",
            "in_linkage",
            "illustrative",
        ]

    def filter_linkage(self, queryset, name, value):
        if value is None:
            return queryset
        from .models import ProducerLinkage

        exists = Exists(ProducerLinkage.objects.filter(producer=OuterRef("pk")))
        return queryset.filter(exists if value else ~exists)


STAR_CHOICES = [("0", _("Not certified")), ("3", "3★"), ("4", "4★"), ("5", "5★"), ("3+", _("3★ or more"))]


class ProductFilterSet(AreaFilterMixin, CommuneFilterMixin, SearchFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Product set"),
        queryset=ProductCategory.objects.filter(level=CategoryLevel.PRODUCT_SET)
        .select_related("scheme")
        .order_by("-scheme__effective_from", "sort_order"),
    )
    producer_kind = django_filters.ChoiceFilter(
        label=_("Producer kind"), choices=ProducerKind.choices, field_name="producer__kind"
    )
    stars = django_filters.ChoiceFilter(label=_("Stars (today)"), choices=STAR_CHOICES, method="filter_stars")
    standard = django_filters.ChoiceFilter(
        label=_("Standard held"), choices=StandardKind.choices, method="filter_standard"
    )
    advanced_quality = yes_no_filter(_("Advanced quality management"), method="filter_advanced")
    traceable = yes_no_filter(_("Has traceability"), method="filter_traceable")
    listed_online = yes_no_filter(_("Listed online"), method="filter_listed")
    illustrative = yes_no_filter(_("Illustrative records"), field_name="is_illustrative")
    on = django_filters.DateFilter(
        label=_("Stars on date"), method="filter_noop", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Product
        fields = [
            "q",
            "area",
            "commune",
            "category",
            "producer_kind",
            "stars",
            "on",
            "standard",
            "advanced_quality",
            "traceable",
            "listed_online",
            "illustrative",
        ]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_stars(self, queryset, name, value):
        """By the highest star in force on the date in `on` (or today) — the rule of the `stars`
        annotation the view shows — as EXISTS tests the database runs as joins (`top_star_q`)."""
        from ocop.certification.selectors import top_star_q

        if not value:
            return queryset
        day = self.form.cleaned_data.get("on") or timezone.localdate()
        if value == "0":
            return queryset.exclude(top_star_q(day))
        if value == "3+":
            return queryset.filter(top_star_q(day, minimum=3))
        return queryset.filter(top_star_q(day, exactly=int(value)))

    def filter_standard(self, queryset, name, value):
        return (
            queryset.filter(Exists(ProductStandard.objects.filter(product=OuterRef("pk"), kind=value)))
            if value
            else queryset
        )

    def filter_advanced(self, queryset, name, value):
        if value is None:
            return queryset
        exists = Exists(ProductStandard.objects.filter(product=OuterRef("pk"), kind__in=ADVANCED_QUALITY))
        return queryset.filter(exists if value else ~exists)

    def filter_traceable(self, queryset, name, value):
        if value is None:
            return queryset
        has = ~Q(traceability_system="") | ~Q(traceability_url="")
        return queryset.filter(has if value else ~has)

    def filter_listed(self, queryset, name, value):
        if value is None:
            return queryset
        exists = Exists(
            MarketplaceListing.objects.filter(product=OuterRef("pk"), status=ListingStatus.ACTIVE)
        )
        return queryset.filter(exists if value else ~exists)
