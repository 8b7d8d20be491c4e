"""Open data: the public list of certified products as CSV and JSON.

The field names are stable and English; `FIELDS` is the schema (documented in docs/open-data.md
and shown on /catalogue/open-data/). A row is built from the same `catalogue_rows()` the public
list shows, with a bounded number of queries whatever the number of rows: the list itself
(iterated, never loaded whole on PostgreSQL), then the certificates, listings and places of all
rows in one query each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ocop.certification.models import Certificate
from ocop.registry.choices import ListingStatus
from ocop.registry.models import MarketplaceListing

from . import selectors


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # integer, number, string, boolean, date, url, array of url
    meaning: object
    example: str


FIELDS: tuple[Field, ...] = (
    Field("id", "integer", _("Catalogue number of the product (the number in product_url)."), "42"),
    Field("name", "string", _("Name of the product."), "Miến dong Tài Hoan"),
    Field("product_code", "string", _("OCOP product code, empty if none was given."), "19-02155-001-2024"),
    Field(
        "stars", "integer", _("Stars of the certificate in force on the day the file is made (3 to 5)."), "5"
    ),
    Field(
        "is_illustrative",
        "boolean",
        _("true for an illustrative (demo) record, never an official one."),
        "false",
    ),
    Field(
        "classification",
        "string",
        _("Decision whose classification the product is filed under."),
        "26/2026/QĐ-TTg",
    ),
    Field("sector", "string", _("Sector (ngành) of the classification."), "Sản phẩm thực phẩm"),
    Field("group", "string", _("Group (nhóm) of the classification."), "Thực phẩm chế biến"),
    Field(
        "product_set",
        "string",
        _("Product set (bộ sản phẩm; sub-group under Decision 1048)."),
        "Chế biến từ rau, củ, quả, hạt",
    ),
    Field("product_set_code", "string", _("Number of the product set in its classification."), "7"),
    Field("description", "string", _("Description of the product."), "Miến làm từ củ dong riềng…"),
    Field(
        "producer_id", "integer", _("Catalogue number of the producer (the number in producer_url)."), "17"
    ),
    Field("producer_name", "string", _("Name of the producer (chủ thể OCOP)."), "HTX Tài Hoan"),
    Field(
        "producer_kind",
        "string",
        _("enterprise, cooperative, cooperative_group or household."),
        "cooperative",
    ),
    Field(
        "producer_phone",
        "string",
        _("Phone number, only when the producer chose to publish it; empty otherwise."),
        "0209 3xxx xxx",
    ),
    Field("producer_website", "url", _("Website of the producer, if any."), "https://htx.example.vn"),
    Field("province_code", "string", _("Code of today's province (from 01/07/2025)."), "19"),
    Field("province", "string", _("Today's province."), "Tỉnh Thái Nguyên"),
    Field("commune_code", "string", _("Code of today's commune where the product is made."), "02155"),
    Field("commune", "string", _("Today's commune where the product is made."), "Xã Na Rì"),
    Field(
        "former_district",
        "string",
        _("The district (before 07/2025) the commune belonged to; several are separated by “; ”."),
        "Huyện Na Rì",
    ),
    Field(
        "latitude", "number", _("Latitude of the commune's centroid (WGS 84), empty if unknown."), "22.2152"
    ),
    Field(
        "longitude", "number", _("Longitude of the commune's centroid (WGS 84), empty if unknown."), "106.179"
    ),
    Field(
        "certificate_id",
        "string",
        _("Public id of the certificate (printed on its QR label)."),
        "7KQ3M9TXW2HA",
    ),
    Field(
        "certificate_valid_from",
        "date",
        _("First day the certificate is in force (YYYY-MM-DD)."),
        "2024-06-25",
    ),
    Field(
        "certificate_valid_until",
        "date",
        _("Last day the certificate is in force, an extension (Article 12.3) included."),
        "2027-06-24",
    ),
    Field("issuing_level", "string", _("district, province or ministry."), "ministry"),
    Field(
        "issuing_authority",
        "string",
        _("Authority that recognised the product."),
        "Bộ Nông nghiệp và Phát triển nông thôn",
    ),
    Field("decision_number", "string", _("Number of the recognition decision, if recorded."), "1234/QĐ-UBND"),
    Field("decision_date", "date", _("Date of the recognition decision, if recorded."), "2024-06-20"),
    Field(
        "verification_url",
        "url",
        _("Page showing the certificate's live status."),
        "https://ocop.example.gov.vn/verify/7KQ3M9TXW2HA/",
    ),
    Field(
        "product_url",
        "url",
        _("Page of the product in the catalogue."),
        "https://ocop.example.gov.vn/catalogue/products/42/",
    ),
    Field(
        "producer_url",
        "url",
        _("Page of the producer in the catalogue."),
        "https://ocop.example.gov.vn/catalogue/producers/17/",
    ),
    Field(
        "photo_url",
        "url",
        _("First photo of the product, empty if none."),
        "https://ocop.example.gov.vn/catalogue/products/42/photos/5/full/",
    ),
    Field(
        "traceability_url", "url", _("Traceability code or page, if any."), "https://truyxuat.example.vn/abc"
    ),
    Field(
        "marketplace_urls",
        "array of url",
        _("Active marketplace listings. CSV: the links separated by a space; JSON: a list."),
        "https://shopee.vn/… https://tiki.vn/…",
    ),
)

FIELD_NAMES = [f.name for f in FIELDS]


def site_url(path: str) -> str:
    return settings.OCOP_SITE_URL + path


def _certificates(products, day: dt.date) -> dict[int, Certificate]:
    """The certificate in force on `day` with the highest star (then the latest) of each product."""
    chosen: dict[int, Certificate] = {}
    rows = (
        Certificate.objects.valid_on(day)
        .filter(product__in=products.order_by().values("pk"))
        .order_by("product_id", "-stars", "-valid_until", "-issued_on", "-pk")
    )
    for certificate in rows.iterator():
        chosen.setdefault(certificate.product_id, certificate)
    return chosen


def _listings(products) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = defaultdict(list)
    rows = (
        MarketplaceListing.objects.filter(
            product__in=products.order_by().values("pk"), status=ListingStatus.ACTIVE
        )
        .order_by("product_id", "platform", "pk")
        .values_list("product_id", "url")
    )
    for product_id, url in rows.iterator():
        urls[product_id].append(url)
    return urls


def _places(products) -> dict[int, selectors.Place]:
    from ocop.geo.models import AdminUnit

    unit_ids = products.order_by().values("commune_id")
    return selectors.places_for(AdminUnit.objects.filter(pk__in=unit_ids).select_related("parent"))


def rows(day: dt.date | None = None) -> Iterator[dict]:
    """Each certified, published product as a dict of FIELDS (Python values: int, str, bool,
    date, float, list, or None)."""
    day = day or selectors.today()
    products = selectors.catalogue_rows(day).order_by("name", "pk")
    certificates = _certificates(products, day)
    listings = _listings(products)
    places = _places(products)
    for product in products.iterator(chunk_size=500):
        certificate = certificates.get(product.pk)
        if certificate is None:  # expired between the queries (midnight): left out
            continue
        place = places.get(product.commune_id)
        sector, group, product_set = selectors.sector_group_set(product.category)
        producer = product.producer
        yield {
            "id": product.pk,
            "name": product.name,
            "product_code": product.code or "",
            "stars": product.stars,
            "is_illustrative": bool(product.is_illustrative or certificate.is_illustrative),
            "classification": product.category.scheme.decision,
            "sector": sector,
            "group": group,
            "product_set": product_set,
            "product_set_code": product.category.code,
            "description": product.description,
            "producer_id": producer.pk,
            "producer_name": producer.name,
            "producer_kind": producer.kind,
            "producer_phone": producer.phone if producer.publish_phone else "",
            "producer_website": producer.website,
            "province_code": place.province.code if place and place.province else "",
            "province": place.province.name if place and place.province else "",
            "commune_code": place.commune.code if place else "",
            "commune": place.commune.name if place else "",
            "former_district": "; ".join(_capital(n) for n in place.former_districts) if place else "",
            "latitude": float(place.latitude) if place and place.latitude is not None else None,
            "longitude": float(place.longitude) if place and place.longitude is not None else None,
            "certificate_id": certificate.public_id,
            "certificate_valid_from": certificate.issued_on,
            "certificate_valid_until": certificate.end,
            "issuing_level": certificate.issuing_level,
            "issuing_authority": certificate.authority or _level_label(certificate),
            "decision_number": certificate.decision_number,
            "decision_date": certificate.decision_date,
            "verification_url": site_url(reverse("certification:verify", args=[certificate.public_id])),
            "product_url": site_url(reverse("catalogue:product_detail", args=[product.pk])),
            "producer_url": site_url(reverse("catalogue:producer_detail", args=[producer.pk])),
            "photo_url": site_url(
                reverse("catalogue:photo", args=[product.pk, product.cover_photo_id, "full"])
            )
            if product.cover_photo_id
            else "",
            "traceability_url": product.traceability_url,
            "marketplace_urls": listings.get(product.pk, []),
        }


def _level_label(certificate: Certificate) -> str:
    """The level's name in the deployment's language, whatever the visitor chose: the files are
    the same for everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(certificate.get_issuing_level_display())


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
