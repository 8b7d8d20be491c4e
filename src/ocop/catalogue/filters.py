"""The public list's filters, read from the query string. A visitor's bad value (an old link, a
hand-edited URL) drops that filter instead of emptying the list or failing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ocop.core.datacache import remembered
from ocop.registry.models import ProductCategory

from . import selectors

STAR_CHOICES = [(3, "3★"), (4, "4★"), (5, "5★")]
SORT_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("stars", _("Most stars first")),
    ("newest", _("Most recently certified")),
]
DEFAULT_PAGE_SIZE = 24
PAGE_SIZES = (12, 24, 48, 96)
MAX_QUERY = 100


def page_size(params: QueryDict) -> int:
    try:
        size = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


@dataclass
class FilterForm:
    """What the template needs to draw the filters, and the filters themselves."""

    filters: selectors.Filters
    places: selectors.PlaceChoices
    categories: list[selectors.SchemeChoices]
    per_page: int

    star_choices = STAR_CHOICES
    sort_choices = SORT_CHOICES
    default_per_page = DEFAULT_PAGE_SIZE

    @property
    def active(self) -> bool:
        f = self.filters
        return bool(f.q or f.stars or f.category or f.province or f.commune)


def read(params: QueryDict, day: dt.date) -> FilterForm:
    filters = selectors.Filters()
    filters.q = " ".join(params.get("q", "").split())[:MAX_QUERY]
    try:
        stars = int(params.get("stars", ""))
    except ValueError:
        stars = None
    filters.stars = stars if stars in dict(STAR_CHOICES) else None
    sort = params.get("sort", "")
    filters.sort = sort if sort in dict(SORT_CHOICES) else "name"

    # Both lists depend on the data only, not on the query: kept until the next audited write.
    categories = remembered("catalogue.categories", lambda: selectors.category_choices(day), day)
    try:
        category_id = int(params.get("category", ""))
    except ValueError:
        category_id = None
    if category_id is not None:
        filters.category = next(
            (n.category for s in categories for n in s.nodes if n.category.pk == category_id), None
        )
        if filters.category is None:  # a category with no public product today: still a valid filter
            filters.category = ProductCategory.objects.filter(pk=category_id).first()

    province_code = params.get("province", "")
    province_code = province_code if province_code.isdigit() else ""
    places = remembered(
        "catalogue.places", lambda: selectors.place_choices(day, province_code), day, province_code
    )
    filters.province = next((u for u in places.provinces if u.code == province_code), None)
    commune_code = params.get("commune", "")
    if filters.province is not None:
        filters.commune = next((u for u in places.communes if u.code == commune_code), None)
    else:
        places.communes = []
    return FilterForm(filters=filters, places=places, categories=categories, per_page=page_size(params))


def query_string(form: FilterForm) -> str:
    """The normalised query of the filters (without page), for links that keep them."""
    f = form.filters
    q = QueryDict(mutable=True)
    if f.q:
        q["q"] = f.q
    if f.stars:
        q["stars"] = str(f.stars)
    if f.category is not None:
        q["category"] = str(f.category.pk)
    if f.province is not None:
        q["province"] = f.province.code
    if f.commune is not None:
        q["commune"] = f.commune.code
    if f.sort != "name":
        q["sort"] = f.sort
    if form.per_page != DEFAULT_PAGE_SIZE:
        q["per_page"] = str(form.per_page)
    return q.urlencode()
