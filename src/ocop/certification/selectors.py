from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

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
