from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField
from ocop.accounts.models import User

from .choices import EvaluationKind
from .models import AdvisoryReview, Council, CouncilMember, EvaluationSession, ScoreSheet
from .services import COUNCIL_FIELDS, MEMBER_FIELDS, REVIEW_FIELDS, SESSION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilForm(forms.ModelForm):
    area = AreaField(
        label=_("Area"),
        required=False,
        help_text=_("The province (or former district) the council serves; empty for the central council."),
    )

    class Meta:
        model = Council
        fields = list(COUNCIL_FIELDS)
        widgets = {
            "decision_date": DATE,
            "regulation_date": DATE,
            "active_from": DATE,
            "active_to": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


def _people(user):
    return User.objects.for_user(user, "view").filter(is_active=True).order_by("full_name", "username")


class MemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = [*MEMBER_FIELDS, "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(user)
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.username})"
        self.fields["full_name"].required = False
        self.fields["full_name"].help_text = _("Empty: the account's name.")
        if self.instance.pk is None:
            del self.fields["is_active"]


class AdvisorForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account"), queryset=User.objects.none(), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    is_leader = forms.BooleanField(label=_("Team leader"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(user)
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.username})"

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("full_name"):
            raise forms.ValidationError(_("Choose an account or type the name."))
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = EvaluationSession
        fields = list(SESSION_FIELDS)
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.for_user(user, "change").order_by("name")
        if self.instance.pk:
            del self.fields["council"]


class AddProductForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=EvaluationKind.choices)
    sheet = forms.ModelChoiceField(
        label=_("Score sheet"),
        queryset=None,
        required=False,
        help_text=_("Empty: the current sheet of the product's set under the session's rules."),
    )

    def __init__(self, *args, session=None, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: (
            f"{p.name} — {p.producer.name} ({p.commune.name})"
        )
        self.fields["sheet"].queryset = ScoreSheet.objects.filter(
            rule_version=session.rule_version, superseded_by__isnull=True
        ).select_related("product_set")
        self.fields["sheet"].label_from_instance = lambda s: s.name


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DisqualifyForm(forms.Form):
    ground = forms.CharField(label=_("Ground for rejection"), max_length=2000)
    reason = forms.CharField(
        label=_("Details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = AdvisoryReview
        fields = list(REVIEW_FIELDS)
        widgets = {
            "site_survey_date": DATE,
            "site_survey_findings": forms.Textarea(attrs={"rows": 3}),
            "extra_tests_requested": forms.Textarea(attrs={"rows": 2}),
            "extra_tests_results": forms.Textarea(attrs={"rows": 2}),
            "report": forms.Textarea(attrs={"rows": 4}),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    criterion = forms.IntegerField(min_value=1, max_value=2**53)
    option = forms.IntegerField(min_value=1, max_value=2**53, required=False)
    comment = forms.CharField(max_length=1000, required=False)
    evidence_url = forms.CharField(max_length=500, required=False)
