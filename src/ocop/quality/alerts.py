"""Expiry alerts of the standards and certifications products hold (registry ProductStandard):
the product's producer accounts and the commune's officers are notified once per standard and
expiry date, when it comes within `OCOP_STANDARD_ALERT_DAYS` (default 60) days of expiring or has
expired in the last 30 days. Renewing a standard (a new expiry date) alerts again at its own time.
Called daily by `ocop remind` (certification/reminders.py)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ocop.core.notifications import notify

DEFAULT_ALERT_DAYS = 60
LATE_DAYS = 30


def alert_days() -> int:
    return int(getattr(settings, "OCOP_STANDARD_ALERT_DAYS", DEFAULT_ALERT_DAYS))


def standards_to_alert(day: dt.date):
    from ocop.registry.models import ProductStandard

    return (
        ProductStandard.objects.filter(
            expires_on__gte=day - dt.timedelta(days=LATE_DAYS),
            expires_on__lte=day + dt.timedelta(days=alert_days()),
        )
        .select_related("product", "product__producer", "product__commune")
        .order_by("expires_on", "pk")
    )


def notify_standard_expiry(day: dt.date) -> tuple[int, int]:
    """Send the alerts due on `day`; returns (standards concerned, notices sent)."""
    from ocop.certification.reminders import CommuneOfficers

    standards = notices = 0
    commune_officers = CommuneOfficers()
    for standard in standards_to_alert(day).prefetch_related("product__producer__accounts"):
        standards += 1
        product = standard.product
        accounts = [u for u in product.producer.accounts.all() if u.is_active]
        users = [*accounts, *commune_officers(product.commune)]
        expired = standard.expires_on < day
        values = {
            "standard": str(standard),
            "product": product.name,
            "date": f"{standard.expires_on:%d/%m/%Y}",
        }
        if expired:
            title = _("%(standard)s of %(product)s expired on %(date)s") % values
        else:
            title = _("%(standard)s of %(product)s expires on %(date)s") % values
        body = _("Certificate %(number)s issued by %(issuer)s. Renew it and update the product's record.") % {
            "number": standard.certificate_number or "—",
            "issuer": standard.issuer or "—",
        }
        notices += len(
            notify(
                users,
                title,
                body,
                url=f"{reverse('quality:standard_list')}?product={product.pk}",
                key=f"standard-expiry-{standard.pk}-{standard.expires_on.isoformat()}",
            )
        )
    return standards, notices
