from __future__ import annotations

import datetime as dt

from django.db.models import Max, OuterRef, Subquery

from .models import Certificate


def stars_subquery(day: dt.date):
    """The highest star of a product's certificates valid on `day` (for `.annotate`)."""
    return Subquery(
        Certificate.objects.valid_on(day)
        .filter(product=OuterRef("pk"))
        .order_by("-stars")
        .values("stars")[:1]
    )


def ever_certified_subquery():
    return Subquery(Certificate.objects.filter(product=OuterRef("pk")).values("pk")[:1])


def products_by_top_star(day: dt.date, *, exactly: int | None = None, minimum: int | None = None):
    """Ids of the products whose highest star in force on `day` is `exactly` (or at least `minimum`);
    of every product with a certificate in force when neither is given.

    For filters (`pk__in=`): one grouped pass over the certificates in force, where filtering on
    the `stars` annotation would run its correlated subquery for every candidate product."""
    valid = Certificate.objects.valid_on(day).values("product")
    if exactly is None and minimum is None:
        return valid
    grouped = valid.annotate(top=Max("stars"))
    grouped = grouped.filter(top=exactly) if exactly is not None else grouped.filter(top__gte=minimum)
    return grouped.values("product")
