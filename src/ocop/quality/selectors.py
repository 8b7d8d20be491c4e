"""Reads of the quality app. The standards register, traceability and advanced quality
management are read from the registry through `Product.objects.for_user` (registry.view_product);
inspections through `Inspection.objects.for_user`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ocop.registry.choices import ADVANCED_QUALITY

from .models import Inspection


def products_for(user):
    from ocop.registry.models import Product

    return Product.objects.for_user(user, "view")


def standards_for_list(user):
    from ocop.registry.models import ProductStandard

    return ProductStandard.objects.filter(product__in=products_for(user).values("pk")).select_related(
        "product", "product__producer", "product__commune"
    )


def advanced_q(day: dt.date, prefix: str = "") -> Q:
    """Standards counted as advanced quality management, in force on `day`."""
    return (
        Q(**{f"{prefix}kind__in": sorted(ADVANCED_QUALITY)})
        & (Q(**{f"{prefix}issued_on__isnull": True}) | Q(**{f"{prefix}issued_on__lte": day}))
        & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day}))
    )


def traceability_for_list(user, day: dt.date | None = None):
    day = day or timezone.localdate()
    return products_for(user).with_star_on(day).select_related("producer", "commune")


def traceable_q() -> Q:
    return ~Q(traceability_system="") | ~Q(traceability_url="")


def traceability_share(queryset) -> dict:
    """Certified products (a star today) in the list, how many are traceable, and the share."""
    certified = queryset.filter(stars__isnull=False)
    n = certified.count()
    traceable = certified.filter(traceable_q()).count()
    return {
        "certified": n,
        "traceable": traceable,
        "share": round(100 * traceable / n, 1) if n else None,
    }


def producers_qms_for_list(user, day: dt.date | None = None):
    """Producers in scope with the advanced quality-management standards their products hold."""
    from ocop.registry.models import Producer, ProductStandard

    day = day or timezone.localdate()
    advanced = ProductStandard.objects.filter(advanced_q(day)).select_related("product")
    return (
        Producer.objects.for_user(user, "view")
        .select_related("commune")
        .annotate(
            n_advanced=Count(
                "products__standards", filter=advanced_q(day, "products__standards__"), distinct=True
            )
        )
        .prefetch_related(Prefetch("products__standards", queryset=advanced, to_attr="advanced_standards"))
    )


def inspections_for_list(user):
    from .models import InspectionCase

    today = timezone.localdate()
    return (
        Inspection.objects.for_user(user, "view")
        .select_related("producer", "area")
        .annotate(
            n_overdue=Count(
                "actions",
                filter=Q(actions__done_on__isnull=True, actions__deadline__lt=today),
                distinct=True,
            ),
            has_case=Exists(InspectionCase.objects.filter(inspection=OuterRef("pk"))),
        )
        .prefetch_related("products")
    )
