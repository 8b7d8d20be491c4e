"""Expiry alerts of standards held: once per standard and expiry, to the producer's accounts and
the commune's officers, from `ocop remind`."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.certification.reminders import remind
from ocop.core.models import Notification
from ocop.quality.alerts import notify_standard_expiry
from ocop.registry.models import ProductStandard

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def _standard(product, expires_on, kind="vietgap"):
    return ProductStandard.objects.create(
        product=product,
        kind=kind,
        certificate_number="VG-01",
        issuer="Trung tâm Chứng nhận",
        expires_on=expires_on,
    )


def test_alerts_once_per_standard_and_expiry(product, owner, nari_officer, chodon_officer):
    soon = _standard(product, DAY + dt.timedelta(days=30))
    _standard(product, DAY + dt.timedelta(days=200), kind="haccp")  # too far ahead
    _standard(product, DAY - dt.timedelta(days=90), kind="iso22000")  # long expired: not chased again
    standards, sent = notify_standard_expiry(DAY)
    assert (standards, sent) == (1, 2)
    for user in (owner, nari_officer):
        notice = Notification.objects.get(recipient=user)
        assert (
            "VietGAP" in notice.title
            and notice.key == f"standard-expiry-{soon.pk}-{soon.expires_on.isoformat()}"
        )
    assert not Notification.objects.filter(recipient=chodon_officer).exists()
    # Running again (the next day) sends nothing new.
    assert notify_standard_expiry(DAY + dt.timedelta(days=1)) == (1, 0)
    # Renewed: the new expiry date alerts again when it comes near.
    soon.expires_on = DAY + dt.timedelta(days=400)
    soon.save()
    assert notify_standard_expiry(DAY + dt.timedelta(days=380))[1] == 2
    assert Notification.objects.filter(recipient=owner).count() == 2


def test_a_standard_expired_recently_is_alerted(product, owner):
    _standard(product, DAY - dt.timedelta(days=5))
    notify_standard_expiry(DAY)
    assert (
        "expired" in Notification.objects.get(recipient=owner).title.lower()
        or "hết" in Notification.objects.get(recipient=owner).title.lower()
    )


def test_ocop_remind_sends_the_alerts_once(product, owner):
    _standard(product, DAY + dt.timedelta(days=10))
    first = remind(DAY)
    assert first.standards == 1 and first.notices >= 1
    second = remind(DAY)
    assert second.standards == 1
    assert Notification.objects.filter(recipient=owner, key__startswith="standard-expiry-").count() == 1
