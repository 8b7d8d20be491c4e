from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField
from ocop.evaluation.choices import EvaluationKind

from . import content
from .choices import EvidenceKind, LegalPaper, ReturnTarget, RoundLevel
from .models import BusinessPlan, CommuneReport, CycleStep, ProductIdea
from .services import IDEA_FIELDS, PLAN_FIELDS, REPORT_FIELDS, STEP_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _producers(user):
    from ocop.registry.models import Producer

    return (
        Producer.objects.filter(
            Q(pk__in=Producer.objects.for_user(user, "view").values("pk")) | Q(accounts=user)
        )
        .distinct()
        .select_related("commune")
        .order_by("name")
    )


def _products(user):
    from ocop.registry.models import Product

    return (
        Product.objects.filter(
            Q(pk__in=Product.objects.for_user(user, "view").values("pk")) | Q(producer__accounts=user)
        )
        .distinct()
        .select_related("producer", "commune")
        .order_by("name")
    )


def _label_producer(p):
    return f"{p.name} — {p.commune.name}"


def _label_product(p):
    return f"{p.name} — {p.producer.name}"


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = AreaField(
        label=_("Area"), required=False, help_text=_("The province or commune; empty for the national cycle.")
    )
    name = forms.CharField(
        label=_("Name"), max_length=255, required=False, help_text=_("Empty: named after the year and area.")
    )
    plan_reference = forms.CharField(label=_("Plan (kế hoạch)"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, instance=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {
                "name": instance.name,
                "plan_reference": instance.plan_reference,
                "notes": instance.notes,
            }
        super().__init__(data, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["year"]
            del self.fields["area"]


class StepForm(forms.ModelForm):
    class Meta:
        model = CycleStep
        fields = list(STEP_FIELDS)
        widgets = {"planned_start": DATE, "planned_end": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class RoundForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=RoundLevel.choices)
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    proposals_before = forms.DateField(label=_("For dossiers proposed before"), widget=DATE)
    evaluate_before = forms.DateField(label=_("To be evaluated before"), widget=DATE)
    basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The council regulation (quy chế) that provides for an extra round, with its article."),
    )
    council = forms.ModelChoiceField(label=_("Council"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from ocop.evaluation.models import Council

        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.for_user(user, "view").order_by("name")


class IdeaForm(forms.ModelForm):
    commune = AreaField(label=_("Commune"), required=False, help_text=_("Empty: the producer's commune."))

    class Meta:
        model = ProductIdea
        fields = list(IDEA_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "raw_materials": forms.Textarea(attrs={"rows": 2}),
            "local_labour": forms.Textarea(attrs={"rows": 2}),
            "market": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        from ocop.registry.services import categories_for_choice

        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = _producers(user)
        self.fields["producer"].label_from_instance = _label_producer
        self.fields["existing_product"].queryset = _products(user)
        self.fields["existing_product"].label_from_instance = _label_product
        self.fields["category"].queryset = categories_for_choice()
        self.fields["category"].label_from_instance = lambda c: f"{c.code}. {c.name}"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("return", _("Return for changes")),
            ("reject", _("Do not take forward")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The producer reads it."),
    )

    def __init__(self, *args, allow_reject: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_reject:
            self.fields["decision"].choices = [c for c in self.fields["decision"].choices if c[0] != "reject"]


class PlanForm(forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = list(PLAN_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "raw_materials": forms.Textarea(attrs={"rows": 2}),
            "technology": forms.Textarea(attrs={"rows": 2}),
            "market_plan": forms.Textarea(attrs={"rows": 2}),
            "funding": forms.Textarea(attrs={"rows": 2}),
            "start_on": DATE,
            "end_on": DATE,
        }

    def __init__(self, *args, user=None, **kwargs):
        from ocop.registry.services import categories_for_choice

        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = _producers(user)
        self.fields["producer"].label_from_instance = _label_producer
        self.fields["category"].queryset = categories_for_choice()
        self.fields["category"].label_from_instance = lambda c: f"{c.code}. {c.name}"
        if self.instance.product_id:
            del self.fields["producer"]


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"))


class DossierStartForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=EvaluationKind.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = _products(user)
        self.fields["product"].label_from_instance = _label_product


GENDERS = [("", "—"), ("male", _("Male")), ("female", _("Female"))]


class ContentForm(forms.Form):
    """What the producer writes in the dossier, part by part (Mẫu 01, Mẫu 02)."""

    def __init__(self, *args, kind: str, initial_content: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_content = initial_content or {}
        for spec in content.fields_for(kind):
            required = False  # completeness is checked on filing, with every gap named
            if spec.widget == "bool":
                field = forms.BooleanField(label=spec.label, required=False)
            elif spec.widget == "int":
                field = forms.IntegerField(label=spec.label, required=False, min_value=0, max_value=1000)
            elif spec.widget == "gender":
                field = forms.ChoiceField(label=spec.label, required=False, choices=GENDERS)
            elif spec.widget == "textarea":
                field = forms.CharField(
                    label=spec.label, required=required, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                field = forms.CharField(label=spec.label, required=required, max_length=500)
            if kind in spec.required:
                field.help_text = _("Required for filing.")
            field.part = spec.part
            field.initial = initial_content.get(spec.key)
            self.fields[spec.key] = field

    def parts(self):
        out = []
        for code, label in content.PARTS.items():
            fields = [self[name] for name, f in self.fields.items() if getattr(f, "part", "") == code]
            if fields:
                out.append((label, fields))
        return out


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it is"), choices=EvidenceKind.choices)
    criterion_key = forms.ChoiceField(label=_("Criterion"), required=False, choices=[])
    paper = forms.ChoiceField(
        label=_("Legal paper"), required=False, choices=[("", "—"), *LegalPaper.choices]
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, JPEG, PNG, Word or Excel."))
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https", max_length=500)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion_key"].choices = [("", "—"), *criteria]


class SamplesForm(forms.Form):
    count = forms.IntegerField(label=_("Samples received"), min_value=0, max_value=1000)


class CommuneReportForm(forms.ModelForm):
    class Meta:
        model = CommuneReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "raw_materials": forms.Textarea(attrs={"rows": 3}),
            "local_labour": forms.Textarea(attrs={"rows": 3}),
            "idea_origin_note": forms.Textarea(attrs={"rows": 2}),
            "local_identity": forms.Textarea(attrs={"rows": 3}),
            "report_date": DATE,
            "letter_date": DATE,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ProvinceReturnForm(ReasonForm):
    target = forms.ChoiceField(label=_("Back to"), choices=ReturnTarget.choices)


class AssignForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Evaluation round"), queryset=None)
    session = forms.ModelChoiceField(label=_("Council session"), queryset=None)

    def __init__(self, *args, rounds=None, sessions=None, round_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].required = round_required
        if not round_required:
            self.fields["round"].help_text = _(
                "A re-evaluation runs on its own 45 days: the round is optional."
            )
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: f"{s} — {s.council.name}"
