from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

from .models import AuditEvent

HIDDEN_FIELDS = {"id", "name_key", "search_folded", "name_folded", "password", "digest"}


def history_for(obj, limit: int = 200):
    """An object's audit history, newest first, each event with `rows` ready to show:
    (field label, before, after) with labels and values in words (choices, related names).
    Shown on detail pages of objects the user may see."""
    events = list(AuditEvent.objects.for_object(obj).select_related("actor").order_by("-seq")[:limit])
    model = type(obj)
    resolver = _ValueResolver(model)
    for event in events:
        event.rows = list(_rows(model, event, resolver))
    return events


class _ValueResolver:
    """Turns stored values into words, fetching related objects in bulk once per model."""

    def __init__(self, model):
        self.model = model
        self.cache: dict[tuple[type, object], str] = {}

    def field(self, name):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def words(self, field, value):
        if value in (None, ""):
            return "∅"
        if field is None:
            return str(value)
        if field.is_relation and field.related_model is not None and not isinstance(value, (dict, list)):
            key = (field.related_model, value)
            if key not in self.cache:
                related = field.related_model._default_manager.filter(pk=value).first()
                self.cache[key] = str(related) if related else f"#{value}"
            return self.cache[key]
        if getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            from django.utils.translation import gettext

            return gettext("Yes") if value else gettext("No")
        if isinstance(value, str) and isinstance(field, (models.DateTimeField, models.DateField)):
            return _date_words(field, value)
        return str(value)


def _date_words(field, value: str) -> str:
    """A stored ISO date or time the Vietnamese way (dd/mm/yyyy, in the local time zone)."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = dt.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def _rows(model, event, resolver):
    for name, change in (event.changes or {}).items():
        if name in HIDDEN_FIELDS:
            continue
        field = resolver.field(name)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            if event.action == "create" and after in (None, "", False, [], {}):
                continue
            yield label, resolver.words(field, before), resolver.words(field, after)
        else:
            yield label, None, str(change)
