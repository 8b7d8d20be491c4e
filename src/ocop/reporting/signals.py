"""After every audited write, mark the province it touched; its summaries are rebuilt on commit."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from ocop.audit.models import AuditEvent


@receiver(post_save, sender=AuditEvent, dispatch_uid="reporting.mark_summaries")
def mark_summaries(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    if not created or not getattr(settings, "OCOP_SUMMARY_AUTO_REBUILD", True):
        return
    from .summaries import area_to_mark, mark_dirty

    area = area_to_mark(instance)
    if area is not False:
        mark_dirty({area})
