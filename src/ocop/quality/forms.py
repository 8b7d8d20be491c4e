from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CaseKind, InspectionKind, InspectionState, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def producers_for(user):
    from ocop.registry.models import Producer

    return Producer.objects.for_user(user, "view").select_related("commune").order_by("name")


def products_for(user):
    from ocop.registry.models import Product

    return Product.objects.for_user(user, "view").select_related("producer").order_by("name")


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    state = forms.ChoiceField(label=_("State"), choices=InspectionState.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    inspecting_body = forms.CharField(label=_("Inspecting body"), max_length=200)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE)
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    products = forms.ModelMultipleChoiceField(label=_("Products"), queryset=None, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)

    def __init__(self, data=None, *, user, instance=None, **kwargs):
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "kind": instance.kind,
                "state": instance.state,
                "reference": instance.reference,
                "inspecting_body": instance.inspecting_body,
                "responsible_unit": instance.responsible_unit,
                "date": instance.date,
                "producer": instance.producer_id,
                "products": [p.pk for p in instance.products.all()],
                "subject": instance.subject,
                "findings": instance.findings,
                "outcome": instance.outcome,
            }
        super().__init__(data, initial=initial, **kwargs)
        self.fields["producer"].queryset = producers_for(user)
        self.fields["products"].queryset = products_for(user)
        if instance is not None:
            self.fields["producer"].disabled = True


class SampleForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False)
    sample = forms.CharField(label=_("Sample"), max_length=200)
    test = forms.CharField(label=_("Test (indicator)"), max_length=200)
    lab = forms.CharField(label=_("Laboratory"), max_length=200, required=False)
    result = forms.CharField(label=_("Result"), max_length=200, required=False)
    limit = forms.CharField(label=_("Permitted limit"), max_length=200, required=False)
    within_limits = forms.NullBooleanField(label=_("Within limits"), required=False)

    def __init__(self, data=None, *, inspection, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["product"].queryset = inspection.products.all()


class ActionForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=500)
    responsible = forms.CharField(label=_("Who"), max_length=200, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)


class CaseForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    kind = forms.ChoiceField(label=_("Case"), choices=CaseKind.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, data=None, *, inspection, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["product"].queryset = inspection.products.all()


class RevocationForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    authority = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
