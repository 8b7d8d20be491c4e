from django.utils.translation import gettext_lazy as _

from ocop.core.views import ObjectListView, require_perm

from .filters import AuditEventFilterSet
from .models import AuditEvent
from .tables import AuditEventTable


class AuditEventListView(ObjectListView):
    model = AuditEvent
    table_class = AuditEventTable
    filterset_class = AuditEventFilterSet
    title = _("Audit trail")
    export_name = "nhat-ky-he-thong"

    def get(self, request, *args, **kwargs):
        require_perm(request.user, "audit.view_auditevent")
        return super().get(request, *args, **kwargs)
