"""Tables for the generic list views: the same column definitions render the HTML table and
the CSV/XLSX export of the same filtered, scoped queryset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partialmethod
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def resolve(obj: Any, accessor: str) -> Any:
    """`obj.a.b` for "a.b", each step shown as its display ("get_a_display") when it has one."""
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        choices = _choices_of(type(value), part)
        if choices is not None:  # a field with choices: Django's get_FOO_display, without
            # building the field's choice dictionary again for every cell
            raw = getattr(value, part, None)
            value = force_str(choices.get(make_hashable(raw), raw), strings_only=True)
            continue
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


_NO_CHOICES: dict = {}
_CHOICES: dict[tuple[type, str], dict] = {}


def _choices_of(cls: type, part: str) -> dict | None:
    """The {value: label} of model field `part` of `cls` when its display is Django's own."""
    key = (cls, part)
    found = _CHOICES.get(key)
    if found is None:
        found = _NO_CHOICES
        meta = getattr(cls, "_meta", None)
        name = f"get_{part}_display"
        generated = next((c.__dict__[name] for c in cls.__mro__ if name in c.__dict__), None)
        if meta is not None and isinstance(generated, partialmethod):
            try:
                field = meta.get_field(part)
            except FieldDoesNotExist:
                field = None
            if field is not None and field.choices:
                found = dict(make_hashable(field.flatchoices))
        _CHOICES[key] = found
    return None if found is _NO_CHOICES else found


def plain(value: Any) -> str:
    """A value as text, formatted the Vietnamese way (dd/mm/yyyy, 1.500.000)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, float, Decimal)):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def stars_cell(value) -> str:
    """A star rating as registry/_stars_cell.html writes it (★ × n, or a dash); `value` is the
    number or a field's display ("3★")."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    stars = int(digits) if digits else 0
    if stars:
        return format_html('<span class="text-yellow" title="{} sao">{}</span>', stars, "★" * stars)
    return mark_safe('<span class="text-secondary">—</span>')


class Column:
    def __init__(
        self,
        verbose_name: str,
        accessor: str | None = None,
        *,
        value: Callable[[Any], Any] | None = None,
        order_by: str | tuple[str, ...] | None = None,
        orderable: bool = True,
        link: bool | Callable[[Any], str] = False,
        template: str | None = None,
        html: Callable[[Any], str] | None = None,
        export: bool = True,
        css: str = "",
    ):
        self.verbose_name = verbose_name
        self.accessor = accessor
        self._value = value
        self.orderable = orderable and (order_by is not None or accessor is not None)
        if isinstance(order_by, str):
            order_by = (order_by,)
        self.order_by = order_by or ((accessor.replace(".", "__"),) if accessor else ())
        self.link = link
        self.template = template
        self.html = html  # the cell's HTML from the value, in Python (a template per cell is slow)
        self.export = export
        self.css = css
        self.name = ""

    def value(self, obj: Any) -> Any:
        if self._value is not None:
            return self._value(obj)
        return resolve(obj, self.accessor) if self.accessor else None

    def render(self, obj: Any) -> str:
        if self.html is not None:
            return self.html(self.value(obj))
        if self.template:
            return render_to_string(self.template, {"record": obj, "value": self.value(obj)})
        text = conditional_escape(plain(self.value(obj)))
        if self.link and text:
            url = self.link(obj) if callable(self.link) else obj.get_absolute_url()
            return mark_safe(f'<a href="{conditional_escape(url)}">{text}</a>')  # as format_html
        return text


class TableMeta(type):
    def __new__(mcs, name, bases, attrs):
        columns = {}
        for base in bases:
            columns.update(getattr(base, "base_columns", {}))
        for key, value in list(attrs.items()):
            if isinstance(value, Column):
                value.name = key
                columns[key] = attrs.pop(key)
        attrs["base_columns"] = columns
        return super().__new__(mcs, name, bases, attrs)


class Table(metaclass=TableMeta):
    default_ordering: tuple[str, ...] = ()
    base_columns: dict[str, Column]

    def __init__(self, queryset, sort: str | None = None):
        self.columns = list(self.base_columns.values())
        self.sort = ""
        ordering = None
        if sort:
            desc = sort.startswith("-")
            column = self.base_columns.get(sort.lstrip("-"))
            if column is not None and column.orderable:
                self.sort = sort
                ordering = [f"-{f}" if desc else f for f in column.order_by]
        if ordering is None and self.default_ordering:
            ordering = list(self.default_ordering)
        if ordering:
            pk = "-pk" if ordering[0].startswith("-") else "pk"
            queryset = queryset.order_by(*ordering, pk)
        self.queryset = queryset

    def header(self) -> list[dict]:
        out = []
        for column in self.columns:
            state = ""
            if self.sort == column.name:
                state = "asc"
            elif self.sort == f"-{column.name}":
                state = "desc"
            next_sort = f"-{column.name}" if state == "asc" else column.name
            out.append(
                {
                    "name": column.name,
                    "label": column.verbose_name,
                    "orderable": column.orderable,
                    "state": state,
                    "next_sort": next_sort,
                    "css": column.css,
                }
            )
        return out

    def rows(self, objects) -> list[dict]:
        return [{"object": obj, "cells": [(c.render(obj), c.css) for c in self.columns]} for obj in objects]

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.export]
