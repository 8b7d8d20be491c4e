"""The counters of the indicators the planning app counts (registered in `indicators.py`'s registry
when the app is ready). Each is `fn(area, start, end)`, with a `records` function giving the
records behind the figure. Records are placed in the area with `ocop.geo.selectors.within` only
(a former district's target counts the products now in its successor communes too), and read with
plain managers: the caller applies scope.

A product is *certified on a day* when one of its certificates of 3★ or more is valid that day
(`Certificate.objects.valid_on`: issued, not expired — an Article 12.3 extension included —, not
revoked or superseded)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q, Subquery

from ocop.certification.models import Certificate
from ocop.core.text import fold
from ocop.geo.choices import Edition, Level
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within
from ocop.registry.choices import ADVANCED_QUALITY, CategoryLevel, ListingStatus, ProducerKind
from ocop.registry.models import (
    MarketplaceListing,
    Producer,
    ProducerLinkage,
    Product,
    ProductCategory,
    ProductStandard,
)

from .indicators import counter

MIN_STARS = 3


def _certified_on(day: dt.date, lookup: str = "product") -> Exists:
    """Exists a certificate of 3★+ valid on `day` for the product (or producer) of the outer row."""
    return Exists(Certificate.objects.valid_on(day).filter(**{lookup: OuterRef("pk")}, stars__gte=MIN_STARS))


def _products(area):
    return Product.objects.filter(within(area, "commune__"))


def _producers(area):
    return Producer.objects.filter(within(area, "commune__"))


# --- new products, new producers, upgrades ---------------------------------------------------------


def _first_certified(lookup: str):
    return Subquery(
        Certificate.objects.filter(**{lookup: OuterRef("pk")}, stars__gte=MIN_STARS)
        .order_by("issued_on", "pk")
        .values("issued_on")[:1]
    )


def new_products_in(area, start, end):
    return (
        _products(area)
        .annotate(first_certified=_first_certified("product"))
        .filter(first_certified__gte=start, first_certified__lte=end)
    )


@counter("new_products_3star", records=new_products_in, placed_by="commune")
def new_products_3star(area, start, end):
    return new_products_in(area, start, end).count()


def new_producers_in(area, start, end):
    return (
        _producers(area)
        .annotate(first_certified=_first_certified("product__producer"))
        .filter(first_certified__gte=start, first_certified__lte=end)
    )


@counter("new_producers", records=new_producers_in, placed_by="commune")
def new_producers(area, start, end):
    return new_producers_in(area, start, end).count()


def _upgrades(start, end, from_stars: int, to_stars: int):
    previous = (
        Certificate.objects.filter(product=OuterRef("product"), issued_on__lt=OuterRef("issued_on"))
        .order_by("-issued_on", "-pk")
        .values("stars")[:1]
    )
    return (
        Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end, stars=to_stars)
        .annotate(previous_stars=Subquery(previous))
        .filter(previous_stars=from_stars)
    )


def upgraded_3_to_4_in(area, start, end):
    return _products(area).filter(pk__in=_upgrades(start, end, 3, 4).values("product"))


def upgraded_4_to_5_in(area, start, end):
    return _products(area).filter(pk__in=_upgrades(start, end, 4, 5).values("product"))


@counter("upgraded_3_to_4", records=upgraded_3_to_4_in, placed_by="commune")
def upgraded_3_to_4(area, start, end):
    return upgraded_3_to_4_in(area, start, end).count()


@counter("upgraded_4_to_5", records=upgraded_4_to_5_in, placed_by="commune")
def upgraded_4_to_5(area, start, end):
    return upgraded_4_to_5_in(area, start, end).count()


# --- producers strengthened ------------------------------------------------------------------------


def _grant_producers(start, end):
    """Producers with a funding.SupportGrant dated in the period (only if that model exists)."""
    try:
        model = apps.get_model("funding", "SupportGrant")
    except LookupError:
        return None
    producer_field = next(
        (
            f
            for f in model._meta.concrete_fields
            if f.is_relation
            and f.related_model is not None
            and f.related_model._meta.label == "registry.Producer"
        ),
        None,
    )
    names = {f.name for f in model._meta.concrete_fields}
    date_field = next(
        (
            n
            for n in ("decision_date", "granted_on", "decided_on", "date", "approved_on", "disbursed_on")
            if n in names
        ),
        None,
    )
    if producer_field is None or date_field is None:
        return None
    return model.objects.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end}).values(
        producer_field.attname
    )


def strengthened_in(area, start, end):
    """Producers certified before the period that, in it, got a newly certified product, an upgrade
    (a certificate above every earlier one of the same product) or a support grant."""
    best_before = (
        Certificate.objects.filter(product=OuterRef("product"), issued_on__lt=OuterRef("issued_on"))
        .order_by("-stars")
        .values("stars")[:1]
    )
    gains = (
        Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end, stars__gte=MIN_STARS)
        .annotate(best_before=Subquery(best_before))
        .filter(Q(best_before__isnull=True) | Q(stars__gt=F("best_before")))
    )
    had_before = Certificate.objects.filter(
        product__producer=OuterRef("pk"), stars__gte=MIN_STARS, issued_on__lt=start
    )
    gained = Q(pk__in=gains.values("product__producer"))
    grants = _grant_producers(start, end)
    if grants is not None:
        gained |= Q(pk__in=grants)
    return _producers(area).filter(Exists(had_before)).filter(gained)


@counter("producers_strengthened", records=strengthened_in, placed_by="commune")
def producers_strengthened(area, start, end):
    return strengthened_in(area, start, end).count()


# --- what certified products have at the end of the period ----------------------------------------


def traceable_in(area, start, end):
    return (
        _products(area)
        .filter(_certified_on(end))
        .filter(~Q(traceability_system="") | ~Q(traceability_url=""))
        .filter(Q(traceability_since__isnull=True) | Q(traceability_since__lte=end))
    )


@counter("products_traceable", records=traceable_in, placed_by="commune")
def products_traceable(area, start, end):
    return traceable_in(area, start, end).count()


def advanced_quality_in(area, start, end):
    standard = ProductStandard.objects.filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=end),
        Q(expires_on__isnull=True) | Q(expires_on__gte=end),
        product=OuterRef("pk"),
        kind__in=sorted(ADVANCED_QUALITY),
    )
    return _products(area).filter(_certified_on(end)).filter(Exists(standard))


@counter("products_advanced_quality", records=advanced_quality_in, placed_by="commune")
def products_advanced_quality(area, start, end):
    return advanced_quality_in(area, start, end).count()


def listed_online_in(area, start, end):
    listing = MarketplaceListing.objects.filter(
        Q(listed_on__isnull=True) | Q(listed_on__lte=end), product=OuterRef("pk"), status=ListingStatus.ACTIVE
    )
    return _products(area).filter(_certified_on(end)).filter(Exists(listing))


@counter("products_listed_online", records=listed_online_in, placed_by="commune")
def products_listed_online(area, start, end):
    return listed_online_in(area, start, end).count()


def tourism_sectors() -> list[int]:
    """The sectors (of every classification) of tourism services."""
    return [
        c.pk
        for c in ProductCategory.objects.filter(level=CategoryLevel.SECTOR).only("pk", "name")
        if "du lich" in fold(c.name)
    ]


def tourism_in(area, start, end):
    return _products(area).filter(_certified_on(end)).filter(category__parent__parent__in=tourism_sectors())


@counter("products_tourism", records=tourism_in, placed_by="commune")
def products_tourism(area, start, end):
    return tourism_in(area, start, end).count()


def linked_in(area, start, end):
    linkage = ProducerLinkage.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=end),
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        producer=OuterRef("pk"),
    )
    return _producers(area).filter(Exists(linkage)).filter(_certified_on(end, "product__producer"))


@counter("producers_linked", records=linked_in, placed_by="commune")
def producers_linked(area, start, end):
    return linked_in(area, start, end).count()


def new_organisations_in(area, start, end):
    return (
        _producers(area)
        .filter(
            kind__in=[ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE],
            registration_date__gte=start,
            registration_date__lte=end,
        )
        .filter(Exists(Product.objects.filter(producer=OuterRef("pk"))))
    )


@counter("new_economic_organisations", records=new_organisations_in, placed_by="commune")
def new_economic_organisations(area, start, end):
    return new_organisations_in(area, start, end).count()


# --- communes with and without a product -----------------------------------------------------------


def _communes(area):
    """The communes of the area: current ones (for the country or a current unit), legacy ones for
    a legacy area."""
    if area is not None and area.is_legacy:
        return AdminUnit.objects.filter(
            edition=Edition.LEGACY, level=Level.COMMUNE, path__startswith=area.path
        )
    units = AdminUnit.objects.filter(edition=Edition.Y2025, level=Level.COMMUNE)
    return units.filter(path__startswith=area.path) if area is not None else units


def _communes_split(area, end) -> tuple[list[int], list[int]]:
    places = (
        _products(area)
        .filter(_certified_on(end))
        .values_list("commune__edition", "commune__path", "commune__current_path")
        .distinct()
    )
    legacy_paths, successor_paths, current_paths = set(), set(), set()
    for edition, path, current in places:
        if edition == Edition.LEGACY:
            legacy_paths.add(path)
            if current:
                successor_paths.add(current)
        else:
            current_paths.add(path)
    legacy = area is not None and area.is_legacy
    with_ids, without_ids = [], []
    for pk, path, current in _communes(area).values_list("pk", "path", "current_path"):
        if legacy:
            # Its own products, or products registered after 07/2025 in its successor commune.
            has = path in legacy_paths or (bool(current) and current in current_paths)
        else:
            # Its own products, or products of the former communes it succeeds.
            has = path in current_paths or path in successor_paths
        (with_ids if has else without_ids).append(pk)
    return with_ids, without_ids


def communes_with_in(area, start, end):
    return AdminUnit.objects.filter(pk__in=_communes_split(area, end)[0])


def communes_without_in(area, start, end):
    return AdminUnit.objects.filter(pk__in=_communes_split(area, end)[1])


@counter("communes_with_product", records=communes_with_in)
def communes_with_product(area, start, end):
    return len(_communes_split(area, end)[0])


@counter("communes_without_product", records=communes_without_in)
def communes_without_product(area, start, end):
    return len(_communes_split(area, end)[1])
