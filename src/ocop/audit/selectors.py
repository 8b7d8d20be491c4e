from __future__ import annotations

from .models import AuditEvent


def history_for(obj, limit: int = 200):
    """An object's audit history, newest first. Shown on detail pages of objects the user may see."""
    return list(AuditEvent.objects.for_object(obj).select_related("actor").order_by("-seq")[:limit])
