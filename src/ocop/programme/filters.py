from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter
from ocop.evaluation.choices import EvaluationKind
from ocop.geo.models import AdminUnit

from .choices import DossierState, IdeaState, PlanState, StageState
from .models import BusinessPlan, Dossier, EvaluationRound, ProductIdea, ProgrammeCycle
from .selectors import overdue_q


class AreaFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AdminUnit.objects.filter(level__lt=3), method="filter_area"
    )

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(commune__path__startswith=value.path) | Q(commune__current_path__startswith=value.path)
        )


class CycleFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=StageState.choices)

    class Meta:
        model = ProgrammeCycle
        fields = ["year", "state"]


class IdeaFilterSet(AreaFilter, SearchFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=IdeaState.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="created_at", lookup_expr="year")

    class Meta:
        model = ProductIdea
        fields = ["q", "area", "state", "year"]


class PlanFilterSet(AreaFilter, SearchFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=PlanState.choices)

    class Meta:
        model = BusinessPlan
        fields = ["q", "area", "state"]


class DossierFilterSet(AreaFilter, SearchFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=DossierState.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind of evaluation"), choices=EvaluationKind.choices)
    overdue = yes_no_filter(_("Overdue"), method="filter_overdue")
    round = django_filters.ModelChoiceFilter(
        label=_("Evaluation round"),
        queryset=EvaluationRound.objects.select_related("cycle").order_by("-evaluate_before"),
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="created_at", lookup_expr="year")

    class Meta:
        model = Dossier
        fields = ["q", "area", "state", "kind", "overdue", "round", "year"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
