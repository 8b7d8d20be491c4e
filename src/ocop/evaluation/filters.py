from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import yes_no_filter
from ocop.core.text import search_q

from .choices import CouncilLevel, ResultState, SessionMode, SessionState
from .models import Council, EvaluationResult, EvaluationSession, RuleVersion


class CouncilFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CouncilLevel.choices)

    class Meta:
        model = Council
        fields = ["level"]


class SessionFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=SessionState.choices)
    mode = django_filters.ChoiceFilter(label=_("How the council decides"), choices=SessionMode.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    rule_version = django_filters.ModelChoiceFilter(label=_("Criteria"), queryset=RuleVersion.objects.all())

    class Meta:
        model = EvaluationSession
        fields = ["state", "mode", "year", "rule_version"]


class ResultFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    state = django_filters.ChoiceFilter(label=_("State"), choices=ResultState.choices)
    stars = django_filters.ChoiceFilter(label=_("Stars"), choices=[(n, f"{n}★") for n in range(1, 6)])
    year = django_filters.NumberFilter(label=_("Year"), field_name="entry__session__date", lookup_expr="year")
    central_candidate = yes_no_filter(_("Proposed for central evaluation"))
    disqualified = yes_no_filter(_("Rejected without scoring"))

    class Meta:
        model = EvaluationResult
        fields = ["q", "state", "stars", "year", "central_candidate", "disqualified"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q("product__search_folded", value))
