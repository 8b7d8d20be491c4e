import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Report, ReportKind, ReportState


class ReportFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReportKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=ReportState.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="end", lookup_expr="year")

    class Meta:
        model = Report
        fields = ["kind", "state", "year"]
