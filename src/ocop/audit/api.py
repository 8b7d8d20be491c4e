import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.accounts.selectors import has_perm
from ocop.api.pagination import PageNumberPagination

from .models import AuditEvent

router = Router(tags=["audit"])


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor_name: str
    request_id: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    message: str
    hash: str


class EventFilters(Schema):
    object_type: str | None = Field(None, max_length=100)
    object_id: str | None = Field(None, max_length=64)
    action: AuditEvent.Action | None = None


@router.get("/events", response=list[EventOut], summary="Audit events in the caller's scope, newest first")
@paginate(PageNumberPagination)
def list_events(request, filters: Query[EventFilters]):
    if not has_perm(request.user, "audit.view_auditevent"):
        raise PermissionDenied
    qs = AuditEvent.objects.for_user(request.user, "view")
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    return qs.order_by("-seq")
