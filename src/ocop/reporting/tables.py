from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class ReportTable(Table):
    created = Column(_("Requested"), "created_at")
    title = Column(_("Report"), "title", link=True)
    kind = Column(_("Kind"), "kind", css="d-none d-md-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__name")
    start = Column(_("Period from"), "start", css="d-none d-lg-table-cell")
    end = Column(_("Period to"), "end", css="d-none d-lg-table-cell")
    requested_by = Column(
        _("Requested by"),
        "requested_by.username",
        order_by="requested_by__username",
        css="d-none d-lg-table-cell",
    )
    state = Column(_("State"), "state")

    default_ordering = ("-created_at",)
