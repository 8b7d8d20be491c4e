"""Fast rendering of plain `<select>` fields.

Django renders a select through one template per `<option>`, about a quarter of a millisecond
each; an area filter over every province and former district (~800 options) cost 200 ms of a
200 ms-budget page (make bench, registry list). `render_select` produces the same HTML as
`forms.Select` (same attributes, same escaping, same option markup) in plain Python, and the
`with_class` template filter uses it for every plain single `Select`.

The options of a select over records (a `ModelChoiceField`'s: places, product sets) are read
from the database on every page; they are kept under the data version (`datacache.remembered`:
until the next audited write, the next day or the timeout), keyed by the field's query.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import EmptyResultSet
from django.forms.models import ModelChoiceIterator
from django.forms.widgets import Input
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def is_plain_select(widget) -> bool:
    return type(widget) is forms.Select and widget.template_name == forms.Select.template_name


def _widget_attrs(bound_field, attrs: dict | None) -> dict:
    """The attributes `BoundField.as_widget` passes its widget."""
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    attrs = bound_field.build_widget_attrs(attrs or {}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    return attrs


# Django's own templates of the `<input>` widgets (each includes input.html) and the textarea's.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color", "checkbox",
    )
)  # fmt: skip


def is_plain_input(widget) -> bool:
    return isinstance(widget, Input) and widget.template_name in _INPUT_TEMPLATES


def is_plain_textarea(widget) -> bool:
    return isinstance(widget, forms.Textarea) and widget.template_name == forms.Textarea.template_name


def render_input(bound_field, attrs: dict | None = None) -> str:
    """What `bound_field.as_widget(attrs=attrs)` returns for an `<input>` or `<textarea>` widget
    rendered by Django's own template (is_plain_input, is_plain_textarea): the widget's context
    (its value formatted, `checked`, its attributes) written out as the template writes it."""
    widget = bound_field.field.widget
    context = widget.get_context(
        bound_field.html_name, bound_field.value(), _widget_attrs(bound_field, attrs)
    )
    w = context["widget"]
    name = conditional_escape(w["name"])
    if is_plain_textarea(widget):
        text = conditional_escape(w["value"]) if w["value"] else ""
        return mark_safe(f'<textarea name="{name}"{_attrs(w["attrs"])}>\n{text}</textarea>')
    value = "" if w["value"] is None else f' value="{conditional_escape(str(w["value"]))}"'
    return mark_safe(
        f'<input type="{conditional_escape(w["type"])}" name="{name}"{value}{_attrs(w["attrs"])}>'
    )


def render_select(bound_field, attrs: dict | None = None) -> str:
    """What `bound_field.as_widget(attrs=attrs)` returns for a plain `forms.Select`: the same
    attributes, escaping and markup, straight from the choices (a plain Select's options carry no
    attribute but `selected`, and only the first matching option is selected)."""
    widget = bound_field.field.widget
    attrs = _widget_attrs(bound_field, attrs)
    name = bound_field.html_name
    selected_values = widget.format_value(bound_field.value())
    parts = [f'<select name="{conditional_escape(name)}"{_attrs(widget.build_attrs(widget.attrs, attrs))}>']
    has_selected = False

    def option(value, label) -> str:
        nonlocal has_selected
        text = str(value)
        selected = not has_selected and text in selected_values
        has_selected |= selected
        return (
            f'\n  <option value="{conditional_escape(text)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>\n"  # the option template's last newline
        )

    for value, label in choices_of(widget):
        if value is None:
            value = ""
        if isinstance(label, (list, tuple)):
            parts.append(f'\n  <optgroup label="{conditional_escape(value)}">')
            parts.extend(option(v, sub) for v, sub in label)
            parts.append("\n  </optgroup>")
        else:
            parts.append(option(value, label))
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def choices_of(widget):
    """The widget's choices; a select over records reads its options once per data version."""
    choices = widget.choices
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    from .datacache import remembered

    field = choices.field
    try:
        query = str(field.queryset.query)
    except EmptyResultSet:  # .none(): no option but the empty one
        return list(choices)
    label = field.label_from_instance
    return remembered(
        "choices",
        lambda: [(str(value), str(text)) for value, text in choices],
        query,
        f"{getattr(label, '__module__', '')}.{getattr(label, '__qualname__', '')}",
        field.empty_label,
        translation.get_language() or "",
    )
