"""The dashboard's long tables, written in Python: a province's map lists some 300 communes, and a
template loop over them cost as much as the rest of the page."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def commune_rows(communes) -> str:
    """The rows of the map's table: name, products (a link to them), red when there is none."""
    rows = []
    for c in communes:
        name = escape(c["name"])
        if c["products"]:
            link = f'<a href="{escape(c["url"])}">{escape(c["products"])}</a>'
            rows.append(f'<tr><td>{name}</td><td class="text-end">{link}</td></tr>')
        else:
            rows.append(
                f'<tr class="text-danger" data-without="1"><td>{name}</td><td class="text-end">0</td></tr>'
            )
    return mark_safe("".join(rows))


@register.simple_tag
def area_options(choices, selected) -> str:
    """The dashboard's area picker: some 400 options for a province (a template loop over them
    cost a tenth of the page)."""
    before = escape(gettext("before 01/07/2025"))
    options = []
    for u in choices:
        mark = " selected" if u.pk == selected.pk else ""
        note = f" ({before})" if u.is_legacy else ""
        options.append(f'<option value="{escape(u.pk)}"{mark}>{escape(u.name)}{note}</option>')
    return mark_safe("".join(options))
