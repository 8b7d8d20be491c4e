from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.forms import AreaField

from . import checklist
from .choices import RESPONSIBLE_UNITS
from .models import (
    CourseAttendee,
    EventParticipation,
    OutreachArticle,
    PromotionEvent,
    SalesPoint,
    TrainingCourse,
)
from .services import (
    ARTICLE_FIELDS,
    ATTENDEE_FIELDS,
    COURSE_FIELDS,
    EVENT_FIELDS,
    PARTICIPATION_FIELDS,
    SALES_POINT_FIELDS,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatalistInput(forms.TextInput):
    """A text input suggesting the bodies the plans name (any other text is accepted)."""

    template_name = "activities/widgets/datalist.html"

    def __init__(self, options=RESPONSIBLE_UNITS, attrs=None):
        super().__init__(attrs)
        self.options = options

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


def default_area(user):
    """The area of the user's first role assignment (the record's area by default)."""
    from ocop.accounts.selectors import active_assignments

    for assignment in active_assignments(user):
        if assignment.area_id:
            return assignment.area
    return None


def producers_for(user):
    from ocop.registry.models import Producer

    return Producer.objects.for_user(user, "view").select_related("commune").order_by("name")


def products_for(user):
    from ocop.registry.models import Product

    return Product.objects.for_user(user, "view").select_related("producer").order_by("name")


class ActivityForm(forms.ModelForm):
    area = AreaField(label=_("Area"), help_text=_("The province or commune the record belongs to."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].widget = DatalistInput()
        if not self.instance.pk and user is not None and not self.initial.get("area"):
            area = default_area(user)
            if area is not None:
                self.initial["area"] = area.pk


class EventForm(ActivityForm):
    class Meta:
        model = PromotionEvent
        fields = list(EVENT_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class SalesPointForm(ActivityForm):
    class Meta:
        model = SalesPoint
        fields = [*SALES_POINT_FIELDS, "products"]
        widgets = {
            "opened_on": DATE,
            "closed_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "products": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["products"]
        field.queryset = products_for(user)
        field.label_from_instance = lambda p: f"{p.name} — {p.producer.name}"


class CourseForm(ActivityForm):
    class Meta:
        model = TrainingCourse
        fields = list(COURSE_FIELDS)
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "materials": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ArticleForm(ActivityForm):
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = OutreachArticle
        fields = list(ARTICLE_FIELDS)
        widgets = {
            "published_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = EventParticipation
        fields = [*PARTICIPATION_FIELDS, "products"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "products": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, event=None, **kwargs):
        from ocop.geo.selectors import within

        super().__init__(*args, **kwargs)
        producers = producers_for(user)
        products = products_for(user)
        if event is not None:
            producers = producers.filter(within(event.area, "commune__"))
            products = products.filter(within(event.area, "producer__commune__"))
        self.fields["producer"].queryset = producers
        self.fields["producer"].label_from_instance = lambda p: f"{p.name} — {p.commune.name}"
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda p: f"{p.name} — {p.producer.name}"


class AttendeeForm(forms.ModelForm):
    class Meta:
        model = CourseAttendee
        fields = list(ATTENDEE_FIELDS)

    def __init__(self, *args, user=None, course=None, **kwargs):
        from ocop.accounts.models import User
        from ocop.geo.selectors import within

        super().__init__(*args, **kwargs)
        producers = producers_for(user)
        users = User.objects.for_user(user, "view").order_by("full_name")
        if course is not None:
            producers = producers.filter(within(course.area, "commune__"))
        self.fields["producer"].queryset = producers
        self.fields["producer"].label_from_instance = lambda p: f"{p.name} — {p.commune.name}"
        self.fields["user"].queryset = users


class AssessmentForm(forms.Form):
    """The checklist of one version: a yes/no box per item, named `item_<code>`."""

    checklist_version = forms.ChoiceField(label=_("Criteria version"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    assessor = forms.CharField(label=_("Assessed by"), max_length=255, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_version"].choices = checklist.choices()
        self.version = version
        if version is not None:
            self.initial.setdefault("checklist_version", version.code)
            for item in version.items:
                label = f"{item.label}{'' if item.required else ' ' + str(_('(not required)'))}"
                self.fields[f"item_{item.code}"] = forms.BooleanField(label=label, required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        answers = {}
        code = data.get("checklist_version")
        version = checklist.get(code) if code else None
        if version is not None and self.version is not None and version.code == self.version.code:
            for item in version.items:
                answers[item.code] = bool(data.pop(f"item_{item.code}", False))
        else:
            # Answers given for the items of the form's version, claimed for another one.
            for key in list(data):
                if key.startswith("item_"):
                    answers[key[5:]] = bool(data.pop(key))
        data["answers"] = answers
        return data
