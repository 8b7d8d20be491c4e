from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField

from .choices import AssetCondition, AssetState, SourceKind, SupportKind
from .models import FundingSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _initial(instance, fields) -> dict:
    if instance is None:
        return {}
    out = {}
    for f in fields:
        value = getattr(instance, f)
        out[f] = value.pk if hasattr(value, "pk") else value
    return out


def _producers(user):
    from ocop.registry.models import Producer

    return Producer.objects.for_user(user, "view").select_related("commune").order_by("name")


def _products(user):
    from ocop.registry.models import Product

    return Product.objects.for_user(user, "view").order_by("name")


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = AreaField(label=_("Area"), required=False, help_text=_("Empty for a national source."))
    allocated_amount = forms.DecimalField(
        label=_("Allocated (VND)"), required=False, decimal_places=0, max_digits=18
    )
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, data=None, *, user=None, instance=None, **kwargs):
        kwargs.setdefault(
            "initial",
            _initial(
                instance,
                (
                    "kind",
                    "name",
                    "legal_basis",
                    "year",
                    "area",
                    "allocated_amount",
                    "responsible_unit",
                    "note",
                ),
            ),
        )
        super().__init__(data, **kwargs)


class GrantForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Support"), choices=SupportKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Date of support (decision)"), widget=DATE)
    approved_amount = forms.DecimalField(label=_("Approved (VND)"), decimal_places=0, max_digits=18)
    source = forms.ModelChoiceField(label=_("Funding source"), queryset=None)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    FIELDS = (
        "producer",
        "product",
        "kind",
        "description",
        "decision_number",
        "decision_date",
        "approved_amount",
        "source",
        "responsible_unit",
        "note",
    )

    def __init__(self, data=None, *, user, instance=None, **kwargs):
        kwargs.setdefault("initial", _initial(instance, self.FIELDS))
        super().__init__(data, **kwargs)
        self.fields["producer"].queryset = _producers(user)
        self.fields["product"].queryset = _products(user)
        self.fields["source"].queryset = FundingSource.objects.for_user(user, "view").order_by(
            "-year", "name"
        )
        if instance is not None:
            self.fields["producer"].disabled = True


class DisbursementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (VND)"), decimal_places=0, max_digits=18)
    reference = forms.CharField(label=_("Voucher"), max_length=100, required=False)


class AssetForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    name = forms.CharField(label=_("Asset"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    value = forms.DecimalField(label=_("Value (VND)"), decimal_places=0, max_digits=18)
    decision_number = forms.CharField(label=_("Handover decision"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE, required=False)
    handed_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    source = forms.ModelChoiceField(label=_("Funding source"), queryset=None, required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=AssetCondition.choices)
    last_checked_on = forms.DateField(label=_("Last checked on"), widget=DATE, required=False)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200, required=False)

    FIELDS = (
        "producer",
        "name",
        "description",
        "quantity",
        "value",
        "decision_number",
        "decision_date",
        "handed_on",
        "source",
        "condition",
        "last_checked_on",
        "responsible_unit",
    )

    def __init__(self, data=None, *, user, instance=None, **kwargs):
        kwargs.setdefault("initial", _initial(instance, self.FIELDS))
        super().__init__(data, **kwargs)
        self.fields["producer"].queryset = _producers(user)
        self.fields["source"].queryset = FundingSource.objects.for_user(user, "view").order_by(
            "-year", "name"
        )
        if instance is not None:
            self.fields["producer"].disabled = True


class AssetEndForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Ends by"),
        choices=[
            (AssetState.RETURNED, AssetState.RETURNED.label),
            (AssetState.WRITTEN_OFF, AssetState.WRITTEN_OFF.label),
        ],
    )
    ended_on = forms.DateField(label=_("Date"), widget=DATE)
    end_reason = forms.CharField(label=_("Reason"), max_length=500)
