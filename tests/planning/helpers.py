"""Hand-built records for the planning tests (written with the ORM: they stand for whatever the
registries and certificates hold, not for how officers enter them)."""

from __future__ import annotations

import datetime as dt
from itertools import count

from ocop.certification.models import Certificate
from ocop.core.text import search_text
from ocop.geo.models import AdminUnit
from ocop.registry.models import Producer, Product, ProductCategory
from ocop.registry.validators import name_key

_seq = count(1)


def unit(path: str) -> AdminUnit:
    return AdminUnit.objects.get(path=path)


def category(code: str = "7", scheme: str = "26-2026") -> ProductCategory:
    return ProductCategory.objects.get(scheme__code=scheme, level=3, code=code)


def producer(commune: str, name: str | None = None, kind: str = "cooperative", **fields) -> Producer:
    name = name or f"HTX kiểm thử {next(_seq)}"
    area = unit(commune)
    return Producer.objects.create(
        kind=kind,
        name=name,
        commune=area,
        name_key=name_key(name),
        search_folded=search_text(name),
        **fields,
    )


def product(
    owner: Producer, name: str | None = None, commune: str | None = None, set_code: str = "7", **fields
):
    name = name or f"Sản phẩm kiểm thử {next(_seq)}"
    area = unit(commune) if commune else owner.commune
    return Product.objects.create(
        name=name,
        producer=owner,
        category=category(set_code),
        commune=area,
        name_key=name_key(name),
        search_folded=search_text(name),
        **fields,
    )


def certify(item: Product, stars: int, issued: dt.date, valid_until: dt.date | None = None, **extra):
    return Certificate.objects.create(
        product=item,
        stars=stars,
        issuing_level="province",
        issued_on=issued,
        valid_until=valid_until or issued.replace(year=issued.year + 3) - dt.timedelta(days=1),
        **extra,
    )


def supersede(old: Certificate, new_stars: int, issued: dt.date) -> Certificate:
    """A new certificate of the same product ending the old one on its issue date."""
    new = certify(old.product, new_stars, issued)
    old.state = "superseded"
    old.ended_on = issued
    old.superseded_by = new
    old.save()
    return new
