"""Writing to the audit trail. Every service that changes data calls `record` inside its
transaction; `verify` walks the chain."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass

from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_save
from django.utils import timezone

from ocop.core.middleware import get_request_id

from .models import GENESIS_HASH, AuditChainHead, AuditEvent, object_label

SENSITIVE_FIELDS = {"password", "digest"}


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The audited state of an object: concrete fields (FKs as ids), sensitive ones masked."""
    data = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if fields is not None and field.name not in fields and name not in fields:
            continue
        if field.name.endswith("_folded") or field.name in ("created_at", "updated_at"):
            continue
        value = getattr(obj, name)
        data[field.name] = "***" if field.name in SENSITIVE_FIELDS and value else _jsonable(value)
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    """Changed fields only: {field: [before, after]}."""
    before = before or {}
    after = after or {}
    out = {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            out[key] = [before.get(key), after.get(key)]
    return out


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return (actor.get_full_name() or actor.get_username())[:200]


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    changes: dict | None = None,
    message: str = "",
    area=None,
) -> AuditEvent:
    """Append an event to the chain. Must run inside the caller's transaction."""
    return record_many(
        actor=actor,
        entries=[
            {
                "action": action,
                "obj": obj,
                "object_type": object_type,
                "object_id": object_id,
                "object_repr": object_repr,
                "before": before,
                "after": after,
                "changes": changes,
                "message": message,
                "area": area,
            }
        ],
    )[0]


def record_many(*, actor, entries: list[dict]) -> list[AuditEvent]:
    """Append one event per entry (each takes `record`'s keyword arguments but `actor`) under a
    single lock of the chain head, written in bulk — for services that write many records at once
    (imports). The chain is the same as if `record` had been called for each, in order; post_save
    receivers of AuditEvent hear of every event, as they do of a saved one."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if not entries:
        return []
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_name = _actor_name(actor_obj)
    request_id = get_request_id() or ""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # first event ever (or a flushed test database)
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    now = timezone.now()
    events = []
    seq, prev = head.seq, head.hash
    for entry in entries:
        obj = entry.get("obj")
        changes = entry.get("changes")
        before, after = entry.get("before"), entry.get("after")
        if changes is None:
            changes = diff(before, after) if (before is not None or after is not None) else {}
        # Round-trip through JSON so the stored value and the hashed value are identical.
        changes = json.loads(json.dumps(_jsonable(changes), ensure_ascii=False, default=str))
        object_type, object_id, object_repr = (
            entry.get("object_type"),
            entry.get("object_id"),
            entry.get("object_repr"),
        )
        if obj is not None:
            object_type = object_type or object_label(obj)
            object_id = object_id if object_id is not None else str(obj.pk)
            object_repr = object_repr if object_repr is not None else str(obj)
        seq += 1
        event = AuditEvent(
            seq=seq,
            at=now,
            actor=actor_obj,
            actor_name=actor_name,
            request_id=request_id,
            action=entry["action"],
            object_type=object_type or "",
            object_id=object_id or "",
            object_repr=(object_repr or "")[:300],
            area=entry.get("area"),
            changes=changes,
            message=entry.get("message") or "",
            prev_hash=prev,
        )
        event.hash = prev = event.compute_hash()
        events.append(event)
    if len(events) == 1:
        events[0].save(force_insert=True)  # post_save as usual
    else:
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        for event in events:
            post_save.send(
                sender=AuditEvent,
                instance=event,
                created=True,
                update_fields=None,
                raw=False,
                using=event._state.db,
            )
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return events


@dataclass
class VerifyReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(batch_size: int = 2000) -> VerifyReport:
    """Walk the chain in order; report the first broken link."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditEvent.objects.order_by("seq")
    start = 0
    while True:
        chunk = list(qs.filter(seq__gt=start)[:batch_size])
        if not chunk:
            break
        for event in chunk:
            if event.seq != expected_seq:
                return VerifyReport(False, checked, expected_seq, f"event #{expected_seq} is missing")
            if event.prev_hash != prev_hash:
                return VerifyReport(False, checked, event.seq, "link to the previous event does not match")
            if event.compute_hash() != event.hash:
                return VerifyReport(False, checked, event.seq, "event content was altered")
            prev_hash = event.hash
            expected_seq += 1
            checked += 1
            last_seq = event.seq
        start = chunk[-1].seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        return VerifyReport(False, checked, last_seq + 1, "events after the last one present were removed")
    return VerifyReport(True, checked)
