from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField

from .choices import Method, PlanKind, TaskStatus
from .models import Indicator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 180/KH-UBND"))
    title = forms.CharField(label=_("Title"), max_length=500)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    area = AreaField(
        label=_("Area"), help_text=_("The province (current or former), district or commune the plan covers.")
    )
    legal_bases = forms.CharField(
        label=_("Legal bases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.base_fields})
        super().__init__(data, **kwargs)


class TaskForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.CharField(label=_("Responsible unit"), max_length=500)
    coordinating = forms.CharField(
        label=_("Coordinating units"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices, initial=TaskStatus.NOT_STARTED)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=30000)

    def __init__(self, data=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.base_fields})
        super().__init__(data, **kwargs)


class ReportForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class EnteredValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.filter(method=Method.ENTERED, active=True)
    )
    area = AreaField(label=_("Area"))
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
