from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DecisionKind, IssuingLevel, RevocationGround

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DraftDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of decision"),
        choices=[
            (DecisionKind.RECOGNITION, DecisionKind.RECOGNITION.label),
            (DecisionKind.APPROVAL, DecisionKind.APPROVAL.label),
        ],
    )
    authority = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=150,
        required=False,
        help_text=_("e.g. KT. CHỦ TỊCH — PHÓ CHỦ TỊCH"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignedForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    date = forms.DateField(label=_("Decision date"), widget=DATE)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    scan = forms.FileField(label=_("Signed copy (PDF, JPEG or PNG)"), required=False)


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Article 8.1)"), choices=RevocationGround.choices)
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    finding_date = forms.DateField(
        label=_("Date of the competent authority's conclusion"),
        required=False,
        widget=DATE,
        help_text=_("Article 8.4: the revocation is decided within 15 days of it."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Valid until"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RecordCertificateForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("Stars"), coerce=int, choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    issued_on = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DATE, help_text=_("Empty: 36 months from the start.")
    )
    issuing_level = forms.ChoiceField(label=_("Issued by (level)"), choices=IssuingLevel.choices)
    authority = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    score = forms.DecimalField(
        label=_("Score"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
