from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class PlanTable(Table):
    number = Column(_("Number"), "number", link=True)
    title = Column(_("Title"), "title", link=True)
    kind = Column(_("Kind"), "kind", css="d-none d-lg-table-cell")
    issued_on = Column(_("Issued on"), "issued_on")
    period = Column(_("Period"), "years", order_by="period_start", css="d-none d-md-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__path")
    targets = Column(_("Targets"), "n_targets", order_by="n_targets", css="d-none d-lg-table-cell")
    tasks = Column(_("Tasks"), "n_tasks", order_by="n_tasks", css="d-none d-lg-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-issued_on",)


class EnteredValueTable(Table):
    indicator = Column(_("Indicator"), "indicator.name", order_by="indicator__order")
    area = Column(_("Area"), "area.name", order_by="area__path")
    period_start = Column(_("Period from"), "period_start")
    period_end = Column(_("Period to"), "period_end")
    value = Column(_("Value"), "value")
    note = Column(_("Note"), "note", orderable=False, css="d-none d-lg-table-cell")
    entered_by = Column(_("Entered by"), "entered_by.full_name", order_by="entered_by__full_name")
    entered_at = Column(_("Entered at"), "entered_at", css="d-none d-lg-table-cell")

    default_ordering = ("-period_end",)
