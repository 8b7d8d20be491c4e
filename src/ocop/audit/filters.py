import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEvent.Action.choices)
    object_type = django_filters.CharFilter(label=_("Object type"), max_length=100)
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("Request id"), max_length=64)

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "object_type", "since", "until", "request_id"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(actor_name__icontains=value) | Q(message__icontains=value)
        )
