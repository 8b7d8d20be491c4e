from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField

from .choices import ProducerStatus, ProductLifecycle
from .models import (
    IntellectualProperty,
    MarketplaceListing,
    Producer,
    ProducerLinkage,
    Product,
    ProductStandard,
)
from .services import PRODUCER_FIELDS, PRODUCT_FIELDS, categories_for_choice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def url_field(label, **kwargs) -> forms.URLField:
    return forms.URLField(label=label, assume_scheme="https", required=False, max_length=500, **kwargs)


class ProducerForm(forms.ModelForm):
    commune = AreaField(
        label=_("Commune"), help_text=_("The commune, ward or township where it is registered.")
    )
    website = url_field(_("website"))

    class Meta:
        model = Producer
        fields = [f for f in PRODUCER_FIELDS if f != "is_illustrative"]
        widgets = {"registration_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class ProductForm(forms.ModelForm):
    commune = AreaField(label=_("Commune where produced"))
    traceability_url = url_field(_("traceability code or URL"))

    class Meta:
        model = Product
        fields = [f for f in PRODUCT_FIELDS if f != "is_illustrative"]
        widgets = {
            "traceability_since": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 5}),
            "ingredients": forms.Textarea(attrs={"rows": 2}),
            "label_info": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for_choice()
        self.fields["category"].label_from_instance = lambda c: f"{c.code}. {c.name}"
        producers = Producer.objects.for_user(user, "view").select_related("commune").order_by("name")
        self.fields["producer"].queryset = producers
        self.fields["producer"].label_from_instance = lambda p: f"{p.name} — {p.commune.name}"


class ProducerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ProducerStatus.choices)
    effective_date = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class LinkageForm(forms.ModelForm):
    class Meta:
        model = ProducerLinkage
        fields = ["partner", "role", "contract_number", "start_date", "end_date", "households"]
        widgets = {"start_date": DATE, "end_date": DATE}


class LifecycleForm(forms.Form):
    lifecycle = forms.ChoiceField(label=_("Stage"), choices=ProductLifecycle.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CodeForm(forms.Form):
    year = forms.IntegerField(label=_("Year of evaluation"), min_value=2000, max_value=2100)


class StandardForm(forms.ModelForm):
    class Meta:
        model = ProductStandard
        fields = ["kind", "name", "certificate_number", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE, "expires_on": DATE}


class IPForm(forms.ModelForm):
    class Meta:
        model = IntellectualProperty
        fields = ["kind", "name", "number", "holder", "granted_on", "expires_on"]
        widgets = {"granted_on": DATE, "expires_on": DATE}


class ListingForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), assume_scheme="https", max_length=500)

    class Meta:
        model = MarketplaceListing
        fields = ["platform", "platform_name", "url", "status", "listed_on"]
        widgets = {"listed_on": DATE}


CHILD_FORMS = {"standard": StandardForm, "ip": IPForm, "listing": ListingForm}
