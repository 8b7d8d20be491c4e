"""The dashboard's long tables, written in Python: a province's map lists some 300 communes, and a
template loop over them cost as much as the rest of the page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def commune_rows(communes) -> str:
    """The rows of the map's table: name, products (a link to them), red when there is none."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<tr><td>{}</td><td class="text-end"><a href="{}">{}</a></td></tr>',
                    c["name"],
                    c["url"],
                    c["products"],
                )
                if c["products"]
                else format_html(
                    '<tr class="text-danger" data-without="1"><td>{}</td><td class="text-end">0</td></tr>',
                    c["name"],
                ),
            )
            for c in communes
        ),
    )
