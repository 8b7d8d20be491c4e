from __future__ import annotations

from django import forms, template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from ocop.core.widgets import is_plain_input, is_plain_select, is_plain_textarea, render_input, render_select

register = template.Library()


@register.filter
def with_class(field):
    """Render a bound field with Tabler/Bootstrap classes and the invalid state."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput,)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if is_plain_select(widget):
        return render_select(field, attrs)  # the same HTML, without a template per option
    if is_plain_input(widget) or is_plain_textarea(widget):
        return render_input(field, attrs)  # the same HTML, without the template engine
    return field.as_widget(attrs=attrs)


@register.simple_tag
def table_rows(rows) -> str:
    """A list's rows (`Table.rows`), written in Python: a page of 50 rows has 400 cells, and a
    template loop over them cost more than the page's SQL."""

    def cells(row) -> str:
        return "".join(
            f'<td class="{escape(css)}">{conditional_escape(cell)}</td>' for cell, css in row["cells"]
        )

    return mark_safe("\n      ".join(f"<tr>{cells(row)}</tr>" for row in rows))


@register.simple_tag
def query_with(query: str, **kwargs) -> str:
    """The current filter query string with some parameters replaced."""
    from django.http import QueryDict

    q = QueryDict(query, mutable=True)
    for key, value in kwargs.items():
        if value in (None, ""):
            q.pop(key, None)
        else:
            q[key] = value
    return q.urlencode()


@register.simple_tag
def stars(n) -> str:
    try:
        n = int(n)
    except (TypeError, ValueError):
        return ""
    return format_html('<span class="text-yellow" aria-label="{} sao">{}</span>', n, "★" * n)


@register.filter
def format_change(change) -> str:
    """An audited change: `[before, after]` shows as "before → after"; anything else as is."""
    if isinstance(change, list) and len(change) == 2:
        before, after = ("∅" if v in (None, "") else v for v in change)
        return f"{before} → {after}"
    return str(change)
