"""The fast `<select>`, `<input>` and `<textarea>` renderers give exactly Django's HTML."""

import pytest
from django import forms

from ocop.core.templatetags.ocop_tags import with_class
from ocop.core.widgets import is_plain_input, is_plain_select, is_plain_textarea, render_input, render_select
from ocop.registry.filters import ProductFilterSet
from ocop.registry.models import Product

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>"), ("b", 'B "quoted"')])
    grouped = forms.ChoiceField(
        choices=[("Miền Bắc", [("hn", "Hà Nội"), ("tn", "Thái Nguyên")]), ("x", "Khác")], required=False
    )
    number = forms.TypedChoiceField(choices=[(1, "Một"), (2, "Hai")], coerce=int, disabled=True)
    described = forms.ChoiceField(
        choices=[("y", "Có")], help_text="Chọn một", widget=forms.Select(attrs={"data-x": "1"})
    )
    many = forms.MultipleChoiceField(choices=[("a", "A")], required=False)


@pytest.mark.parametrize(
    "data", [None, {"plain": "a", "grouped": "tn", "number": "2", "described": "y"}, {"plain": "zz"}]
)
def test_same_html_as_django(data):
    form = Sample(data=data)
    if data:
        form.is_valid()
    for name in ("plain", "grouped", "number", "described"):
        bound = form[name]
        assert is_plain_select(bound.field.widget)
        for attrs in (None, {"class": "form-select", "aria-invalid": "true"}):
            assert render_select(bound, attrs) == bound.as_widget(attrs=attrs)
    assert not is_plain_select(form["many"].field.widget)
    assert with_class(form["many"]) == form["many"].as_widget(attrs={"class": "form-select"})


class Inputs(forms.Form):
    name = forms.CharField(max_length=20, help_text="Tên <đầy đủ>")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    count = forms.IntegerField(min_value=0, required=False)
    amount = forms.DecimalField(max_digits=12, decimal_places=2, localize=True, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    when = forms.DateTimeField(required=False)
    mail = forms.EmailField(required=False, disabled=True)
    site = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(required=False)
    flag = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"data-x": True, "off": False})
    )


@pytest.mark.parametrize(
    ("data", "initial"),
    [
        (None, None),
        (None, {"name": 'A "B" & <C>', "day": "2026-12-02", "count": 3, "agree": True, "amount": "15000.5"}),
        (
            {"name": "x" * 30, "note": "Dòng 1\n<b>Dòng 2</b>", "count": "-1", "amount": "1.500,25",
             "day": "02/12/2026", "when": "bad", "site": "x", "secret": "s", "hidden": "h", "agree": "on"},
            None,
        ),
    ],
)  # fmt: skip
def test_inputs_and_textareas_same_html_as_django(data, initial):
    form = Inputs(data=data, initial=initial)
    if data:
        form.is_valid()
    for bound in form:
        widget = bound.field.widget
        assert is_plain_input(widget) or is_plain_textarea(widget), bound.name
        for attrs in (None, {"class": "form-control is-invalid", "aria-invalid": "true"}):
            assert render_input(bound, attrs) == bound.as_widget(attrs=attrs), bound.name
        assert with_class(bound) == bound.as_widget(attrs=_with_class_attrs(bound))


def _with_class_attrs(bound):
    css = "form-check-input" if isinstance(bound.field.widget, forms.CheckboxInput) else "form-control"
    if bound.errors:
        return {"class": f"{css} is-invalid", "aria-invalid": "true"}
    return {"class": css}


def test_other_widgets_keep_django_s_rendering():
    class Other(forms.Form):
        photo = forms.FileField(required=False)
        picked = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
        split = forms.SplitDateTimeField(required=False)

    form = Other()
    for bound in form:
        assert not is_plain_input(bound.field.widget) and not is_plain_textarea(bound.field.widget)


def test_a_filter_form_over_real_places(rf, admin_user):
    request = rf.get("/", {"area": "", "stars": "3"})
    request.user = admin_user
    form = ProductFilterSet(request.GET, queryset=Product.objects.all(), request=request).form
    for name in ("area", "category", "stars", "producer_kind"):
        assert render_select(form[name], {"class": "form-select"}) == form[name].as_widget(
            attrs={"class": "form-select"}
        )
    assert form["area"].as_widget().count("<option") > 700  # every province and former district


def test_list_filters_offer_only_the_areas_of_the_scope(client, unit):
    """An officer of Thái Nguyên picks among Thái Nguyên, former Bắc Kạn and Thái Nguyên and their
    former districts — not the country's 800 provinces and districts."""
    import re

    from tests.conftest import BAC_KAN_LEGACY, THAI_NGUYEN
    from tests.factories import make_user

    client.force_login(make_user("canbo.tn", "province_officer", THAI_NGUYEN))
    for url in ("/registry/products/", "/registry/producers/", "/certificates/"):
        html = client.get(url).content.decode()
        select = re.search(r'<select name="area".*?</select>', html, re.S).group(0)
        values = set(re.findall(r'<option value="(\d+)"', select))
        assert str(unit(THAI_NGUYEN).pk) in values and str(unit(BAC_KAN_LEGACY).pk) in values
        assert str(unit("2025/01/").pk) not in values, url
        assert 10 < len(values) < 40, (url, len(values))


@pytest.mark.parametrize("value", [None, 0, 1, 3, 4, 5])
def test_the_stars_cell_is_the_template_s(value):
    from django.template.loader import render_to_string

    from ocop.core.tables import stars_cell

    assert stars_cell(value) == render_to_string("registry/_stars_cell.html", {"value": value}).strip()


def test_a_stars_display_shows_its_stars():
    """A certificate's `stars` resolves to its display ("4★"): the cell still draws four stars
    (the template drew none)."""
    from ocop.core.tables import stars_cell

    assert stars_cell("4★") == stars_cell(4) == '<span class="text-yellow" title="4 sao">★★★★</span>'


def test_table_rows_escape_text_and_keep_safe_html():
    from django.template import Context, Template
    from django.utils.html import format_html

    from ocop.core.templatetags.ocop_tags import table_rows

    rows = [{"cells": [(format_html('<a href="{}">{}</a>', "/x/", "A & B"), "d-none"), ("<b>", "")]}]
    html = table_rows(rows)
    assert html == '<tr><td class="d-none"><a href="/x/">A &amp; B</a></td><td class="">&lt;b&gt;</td></tr>'
    legacy = Template(
        '{% for row in rows %}<tr>{% for cell, css in row.cells %}<td class="{{ css }}">{{ cell }}</td>'
        "{% endfor %}</tr>{% endfor %}"
    ).render(Context({"rows": rows}))
    assert html == legacy  # what the template loop wrote


def test_cells_show_django_s_display_and_escape_as_format_html(db):
    """A column over a field with choices shows what get_FOO_display shows (from a kept choice
    map), an overriding display method is still called, and text and links are escaped as
    format_html escapes them."""
    from django.utils.html import format_html

    from ocop.core.tables import Column, resolve
    from ocop.registry.choices import ProducerKind
    from ocop.registry.models import Producer, Product

    producer = Producer(kind=ProducerKind.COOPERATIVE, name="HTX <Tày> & Nùng")
    product = Product(name='Chè "Tân" <Cương>', lifecycle="active", producer=producer)
    for obj, part in ((producer, "kind"), (product, "lifecycle")):
        assert resolve(obj, part) == getattr(obj, f"get_{part}_display")()
    assert resolve(product, "producer.kind") == producer.get_kind_display()
    product.lifecycle = "not-a-choice"
    assert resolve(product, "lifecycle") == "not-a-choice"  # as Django: the raw value

    class Shown:
        kind = "x"

        def get_kind_display(self):
            return "Shown <x>"

    assert resolve(Shown(), "kind") == "Shown <x>"
    name = Column("Name", "name", link=lambda o: "/p/?a=1&b=<2>")
    assert name.render(product) == format_html('<a href="{}">{}</a>', "/p/?a=1&b=<2>", product.name)
    assert Column("Name", "name").render(producer) == format_html("{}", producer.name)
    assert Column("Empty", "tax_code").render(producer) == ""
