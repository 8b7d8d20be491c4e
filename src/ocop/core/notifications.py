"""Notifying users: in the app always, by e-mail after the transaction commits when the user has
an address. A notice with a `key` is sent at most once per user (reminders run daily)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


def notify(users: Iterable, title: str, body: str = "", url: str = "", key: str = "") -> list[Notification]:
    """Create the notices (skipping users who already had this `key`) and e-mail them on commit."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user, title=title[:255], body=body, url=url[:500], key=key[:200]
                    )
                )
        except IntegrityError:  # the same key sent by a concurrent run
            continue
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _email(ids))
    return created


def _email(ids: list[int]) -> None:
    base = settings.OCOP_SITE_URL
    pending = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient")
    for notice in pending:
        address = notice.recipient.email
        if not address:
            continue
        link = f"\n\n{base}{notice.url}" if notice.url else ""
        try:
            send_mail(notice.title, f"{notice.body}{link}", settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # a mail server down must not lose the in-app notice
            log.exception("could not e-mail notification %s", notice.pk)
            continue
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


def mark_read(user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices (all, or those given) as read; returns how many changed."""
    notices = Notification.objects.filter(recipient=user).unread()
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())
