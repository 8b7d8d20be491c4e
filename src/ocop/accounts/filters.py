import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilterSet, yes_no_filter

from .models import Role, RoleAssignment, User


class UserFilterSet(SearchFilterSet):
    role = django_filters.ModelChoiceFilter(
        label=_("Role"), queryset=Role.objects.all(), method="filter_role"
    )
    is_active = yes_no_filter(_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def filter_role(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=value)))
