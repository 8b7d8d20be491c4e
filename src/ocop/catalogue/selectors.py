"""Reads of the public catalogue. There is no user here, so nothing goes through `for_user`:
every public filter lives in this module, and every public page, photo and open-data row starts
from `public_products()` or `reachable_products()`.

* `public_products(day)`: what the catalogue lists — products shown on the public catalogue
  (`published`), not withdrawn, holding a certificate valid on `day`; annotated with `stars`.
* `reachable_products(day)`: what may be opened by id (product page, photos) — published and
  certified at least once by `day`, so that an old link or label still says what became of the
  certificate. Never an unpublished or never-certified product.
* `public_producers(day)`: producers with at least one product in `public_products(day)`.

Places are shown in today's units (the 2025 commune and province), with the legacy district the
commune came from ("huyện … cũ") for history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certification.models import Certificate
from ocop.core.text import search_q
from ocop.geo.choices import Edition, Level
from ocop.geo.models import AdminUnit, UnitSuccession
from ocop.geo.selectors import province_part
from ocop.registry.choices import CategoryLevel, ListingStatus, ProductLifecycle
from ocop.registry.models import (
    MarketplaceListing,
    Producer,
    Product,
    ProductCategory,
    ProductPhoto,
)

PRODUCT_RELATED = (
    "producer",
    "category",
    "category__parent",
    "category__parent__parent",
    "category__scheme",
    "commune",
    "commune__parent",
)

SORTS = {
    "name": ("name", "pk"),
    "stars": ("-stars", "name", "pk"),
    "newest": ("-certified_on", "name", "pk"),
}


def today() -> dt.date:
    return timezone.localdate()


def _valid_certificates(day: dt.date):
    return Certificate.objects.valid_on(day).filter(product=OuterRef("pk"))


def _cover_photo():
    return Subquery(
        ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("sort_order", "pk").values("pk")[:1]
    )


def _public(day: dt.date) -> QuerySet[Product]:
    """Every public filter, in one place: published, not withdrawn, certified on `day`."""
    return (
        Product.objects.filter(published=True)
        .exclude(lifecycle=ProductLifecycle.WITHDRAWN)
        .filter(Exists(_valid_certificates(day)))
    )


def public_products(day: dt.date | None = None) -> QuerySet[Product]:
    """The products the catalogue lists on `day`, annotated with their `stars` that day."""
    day = day or today()
    return _public(day).with_star_on(day)


def reachable_products(day: dt.date | None = None, stars: bool = True) -> QuerySet[Product]:
    """Products that may be opened by id: published, and certified at least once by `day`
    (annotated with their `stars` that day, None when no certificate is in force)."""
    day = day or today()
    ever = Certificate.objects.filter(product=OuterRef("pk"), issued_on__lte=day)
    products = Product.objects.filter(published=True).filter(Exists(ever))
    return products.with_star_on(day) if stars else products


def public_producers(day: dt.date | None = None) -> QuerySet[Producer]:
    return Producer.objects.filter(Exists(_public(day or today()).filter(producer=OuterRef("pk"))))


def catalogue_rows(day: dt.date | None = None) -> QuerySet[Product]:
    """The public list with what a card or an open-data row shows, in one query."""
    day = day or today()
    return (
        public_products(day)
        .select_related(*PRODUCT_RELATED)
        .annotate(
            cover_photo_id=_cover_photo(),
            certified_on=Subquery(
                Certificate.objects.valid_on(day)
                .filter(product=OuterRef("pk"))
                .order_by("-issued_on")
                .values("issued_on")[:1]
            ),
        )
    )


# --- Filters -------------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    stars: int | None = None
    category: ProductCategory | None = None
    province: AdminUnit | None = None
    commune: AdminUnit | None = None
    sort: str = "name"


def unit_q(unit: AdminUnit, prefix: str = "commune__") -> Q:
    """Records made in `unit` (or under it), or in a legacy unit whose successor is there."""
    if unit.level == Level.COMMUNE:
        return Q(**{f"{prefix}path": unit.path}) | Q(**{f"{prefix}current_path": unit.path})
    return Q(**{f"{prefix}path__startswith": unit.path}) | Q(
        **{f"{prefix}current_path__startswith": unit.path}
    )


def category_q(category: ProductCategory) -> Q:
    """A sector, group or product set: the products classified under it or below it."""
    return Q(category=category) | Q(category__parent=category) | Q(category__parent__parent=category)


def apply_filters(queryset: QuerySet[Product], filters: Filters) -> QuerySet[Product]:
    if filters.q:
        queryset = queryset.filter(search_q("search_folded", filters.q))
    if filters.stars:
        queryset = queryset.filter(stars=filters.stars)
    if filters.category is not None:
        queryset = queryset.filter(category_q(filters.category))
    place = filters.commune or filters.province
    if place is not None:
        queryset = queryset.filter(unit_q(place))
    return queryset.order_by(*SORTS.get(filters.sort, SORTS["name"]))


# --- Choices for the filters (only what the public list holds) ----------------------------------


def _current_paths(queryset: QuerySet[Product]) -> set[str]:
    rows = queryset.order_by().values_list("commune__current_path", "commune__path").distinct()
    return {
        current or own for current, own in rows
    }  # current_path is blank only for units without a successor


@dataclass
class PlaceChoices:
    provinces: list[AdminUnit]
    communes: list[AdminUnit]  # of the chosen province


def place_choices(day: dt.date, province_code: str = "") -> PlaceChoices:
    """Current provinces holding public products and, for the chosen one, its communes (2 queries)."""
    paths = _current_paths(_public(day))
    province_paths = {part for p in paths if (part := province_part(p))}
    wanted = set(province_paths)
    chosen = f"{Edition.Y2025}/{province_code}/" if province_code else ""
    if chosen in province_paths:
        wanted |= {p for p in paths if p.startswith(chosen) and p != chosen}
    units = AdminUnit.objects.filter(path__in=wanted, edition=Edition.Y2025).order_by("name")
    provinces = [u for u in units if u.level == Level.PROVINCE]
    communes = [u for u in units if u.level == Level.COMMUNE]
    return PlaceChoices(provinces=provinces, communes=communes)


@dataclass
class CategoryNode:
    category: ProductCategory
    depth: int
    count: int = 0


@dataclass
class SchemeChoices:
    label: str
    nodes: list[CategoryNode] = field(default_factory=list)


def category_choices(day: dt.date) -> list[SchemeChoices]:
    """The classification tree (sector → group → product set) of the categories public products
    are in, by scheme: 26/2026 first, then older schemes (1048) under their own names (2 queries)."""
    counts = dict(
        _public(day).order_by().values("category_id").annotate(n=Count("pk")).values_list("category_id", "n")
    )
    sets = list(
        ProductCategory.objects.filter(pk__in=counts).select_related("parent", "parent__parent", "scheme")
    )
    by_scheme: dict[int, dict] = {}
    for product_set in sets:
        scheme = by_scheme.setdefault(product_set.scheme_id, {"scheme": product_set.scheme, "tree": {}})
        chain = [product_set]
        while chain[-1].parent_id is not None and chain[-1].parent is not None:
            chain.append(chain[-1].parent)
        node = scheme["tree"]
        for category in reversed(chain):
            entry = node.setdefault(category.pk, {"category": category, "count": 0, "children": {}})
            entry["count"] += counts[product_set.pk]
            node = entry["children"]

    def walk(tree: dict, depth: int, out: list[CategoryNode]):
        for entry in sorted(tree.values(), key=lambda e: (e["category"].sort_order, e["category"].code)):
            out.append(CategoryNode(entry["category"], depth, entry["count"]))
            walk(entry["children"], depth + 1, out)

    result = []
    schemes = sorted(
        by_scheme.values(), key=lambda s: s["scheme"].effective_from or dt.date.min, reverse=True
    )
    for scheme in schemes:
        nodes: list[CategoryNode] = []
        walk(scheme["tree"], 0, nodes)
        result.append(SchemeChoices(label=scheme["scheme"].decision, nodes=nodes))
    return result


# --- Places ------------------------------------------------------------------------------------


@dataclass
class Place:
    """Where a record is, in today's units, with the legacy districts it came from."""

    unit: AdminUnit  # the unit stored on the record (legacy or current)
    commune: AdminUnit  # today's commune
    province: AdminUnit | None
    former_districts: list[str]

    @property
    def latitude(self):
        return self.commune.latitude if self.commune.latitude is not None else self.unit.latitude

    @property
    def longitude(self):
        return self.commune.longitude if self.commune.longitude is not None else self.unit.longitude

    @property
    def former_label(self) -> str:
        """ "huyện Na Rì cũ" (Vietnamese) / "former huyện Na Rì": the districts, lower-cased kind."""
        return ", ".join(_("former %(district)s") % {"district": name} for name in self.former_districts)

    @property
    def text(self) -> str:
        parts = [self.commune.name]
        if self.province is not None:
            parts.append(self.province.name)
        label = ", ".join(parts)
        return f"{label} ({self.former_label})" if self.former_districts else label


def _lower_kind(name: str) -> str:
    return name[:1].lower() + name[1:]


def places_for(units: Iterable[AdminUnit]) -> dict[int, Place]:
    """Today's commune, province and former districts of each unit (units with `parent` loaded;
    2 queries whatever their number)."""
    units = {u.pk: u for u in units}
    if not units:
        return {}
    current_paths = {u.current_path or u.path for u in units.values()}
    current = {u.path: u for u in AdminUnit.objects.filter(path__in=current_paths).select_related("parent")}
    new_ids = {current[p].pk for p in current_paths if p in current and not current[p].is_legacy}
    formers: dict[int, set[str]] = defaultdict(set)
    for successor_id, district in (
        UnitSuccession.objects.filter(successor__in=new_ids, predecessor__level=Level.COMMUNE)
        .order_by()
        .values_list("successor_id", "predecessor__parent__name")
        .distinct()
    ):
        if district:
            formers[successor_id].add(district)
    places = {}
    for unit in units.values():
        commune = current.get(unit.current_path or unit.path, unit)
        province = commune.parent if commune.parent_id else None
        if province is not None and province.level != Level.PROVINCE:
            province = None
        if unit.is_legacy:
            district = unit.parent if unit.parent_id and unit.parent.level == Level.DISTRICT else None
            names = [district.name] if district else []
        else:
            names = sorted(formers.get(commune.pk, ()))
        places[unit.pk] = Place(unit, commune, province, [_lower_kind(n) for n in names])
    return places


# --- Pages -------------------------------------------------------------------------------------


def attach_places(products: list[Product], producers: bool = False) -> None:
    """Set `place` on each product (and `place` on its producer) in 2 queries."""
    units = [p.commune for p in products]
    if producers:
        units += [p.producer.commune for p in products]
    places = places_for(units)
    for product in products:
        product.place = places[product.commune_id]
        if producers:
            product.producer.place = places[product.producer.commune_id]


def current_certificate(product: Product, day: dt.date) -> Certificate | None:
    """The certificate the public sees: the highest star in force on `day` (the latest of those),
    else the last one issued by `day` (expired, revoked or superseded)."""
    certificates = list(product.certificates.filter(issued_on__lte=day).order_by("-issued_on", "-pk"))
    valid = [c for c in certificates if c.is_valid_on(day)]
    if valid:
        return max(valid, key=lambda c: (c.stars, c.end, c.issued_on))
    return certificates[0] if certificates else None


def product_page(pk: int, day: dt.date) -> Product | None:
    return (
        reachable_products(day)
        .select_related(*PRODUCT_RELATED, "producer__commune", "producer__commune__parent")
        .filter(pk=pk)
        .first()
    )


def active_listings(product: Product) -> list[MarketplaceListing]:
    return list(product.listings.filter(status=ListingStatus.ACTIVE).order_by("platform", "pk"))


def held_standards(product: Product, day: dt.date):
    """Standards held on `day` (those without dates count as held)."""
    return [s for s in product.standards.all() if s.is_valid_on(day)]


def category_path(category: ProductCategory) -> list[ProductCategory]:
    """Sector → group → product set (parents loaded by PRODUCT_RELATED)."""
    chain = [category]
    while chain[-1].parent_id is not None and chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return list(reversed(chain))


def sector_group_set(category: ProductCategory) -> tuple[str, str, str]:
    names = {c.level: c.name for c in category_path(category)}
    return (
        names.get(CategoryLevel.SECTOR, ""),
        names.get(CategoryLevel.GROUP, ""),
        names.get(CategoryLevel.PRODUCT_SET, ""),
    )
