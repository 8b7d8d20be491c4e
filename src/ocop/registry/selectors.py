from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .choices import ProductLifecycle, ProductStatus
from .models import Product


def product_status(product: Product, day: dt.date | None = None, certificates=None) -> tuple[str, int | None]:
    """The status shown for a product on `day`: withdrawn, certified (with stars), expired, or its stage."""
    day = day or timezone.localdate()
    if product.lifecycle == ProductLifecycle.WITHDRAWN:
        return ProductStatus.WITHDRAWN, None
    certificates = list(product.certificates.all()) if certificates is None else certificates
    valid = [c for c in certificates if c.is_valid_on(day)]
    if valid:
        return ProductStatus.CERTIFIED, max(c.stars for c in valid)
    if any(c.issued_on <= day for c in certificates):
        return ProductStatus.EXPIRED, None
    return ProductStatus(product.lifecycle).value, None


def product_detail(product: Product) -> dict:
    certificates = sorted(product.certificates.all(), key=lambda c: c.issued_on, reverse=True)
    status, stars = product_status(product, certificates=certificates)
    return {
        "status": ProductStatus(status),
        "stars": stars,
        "certificates": certificates,
        "standards": list(product.standards.all()),
        "ip_rights": list(product.ip_rights.all()),
        "listings": list(product.listings.all()),
        "photos": list(product.photos.all()),
        "today": timezone.localdate(),
        "max_photo_mb": settings.OCOP_MAX_PHOTO_MB,
    }
