from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class AuditEventTable(Table):
    seq = Column(_("No."), "seq")
    at = Column(_("Time"), "at")
    actor_name = Column(_("By"), "actor_name")
    action = Column(_("Action"), "action")
    object_type = Column(_("Object type"), "object_type", css="d-none d-lg-table-cell")
    object_repr = Column(_("Object"), "object_repr")
    changes = Column(_("Changes"), "changes", orderable=False, template="audit/_changes_cell.html")
    message = Column(_("Note"), "message", orderable=False, css="d-none d-xl-table-cell")
    request_id = Column(_("Request id"), "request_id", orderable=False, css="d-none d-xxl-table-cell")

    default_ordering = ("-seq",)
