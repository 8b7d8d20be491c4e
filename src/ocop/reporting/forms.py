from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField

from .models import ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    area = AreaField(label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "—"), *[(q, q) for q in (1, 2, 3, 4)]],
        coerce=int,
        required=False,
        empty_value=None,
    )
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        choices=[("", "—"), (1, _("First six months")), (2, _("Last six months"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start = forms.DateField(
        label=_("Period from (review reports)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Period to (review reports)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    plan = forms.ModelChoiceField(label=_("Plan (targets)"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ocop.planning.models import Plan

        self.fields["plan"].queryset = Plan.objects.for_user(user, "view").order_by("-issued_on", "-pk")
