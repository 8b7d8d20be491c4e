from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class SourceTable(Table):
    year = Column(_("Year"), "year")
    name = Column(_("Funding source"), "name", link=True)
    kind = Column(_("Kind"), "kind")
    area = Column(
        _("Area"), value=lambda s: s.area.name if s.area_id else _("Whole country"), order_by="area__path"
    )
    legal_basis = Column(_("Legal basis"), "legal_basis", css="d-none d-xl-table-cell")
    allocated = Column(_("Allocated (VND)"), "allocated_amount", css="text-end")
    granted = Column(_("Granted (VND)"), "granted", order_by="granted", css="text-end")

    default_ordering = ("-year", "kind", "name")


class GrantTable(Table):
    date = Column(_("Date of support"), "decision_date", link=True)
    producer = Column(_("Producer"), "producer.name", order_by="producer__name")
    product = Column(_("Product"), "product.name", order_by="product__name", css="d-none d-xl-table-cell")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name", css="d-none d-lg-table-cell")
    kind = Column(_("Support"), "kind")
    decision = Column(_("Decision number"), "decision_number", css="d-none d-lg-table-cell")
    source = Column(_("Funding source"), "source.name", order_by="source__name")
    unit = Column(_("Responsible unit"), "responsible_unit", css="d-none d-xl-table-cell")
    approved = Column(_("Approved (VND)"), "approved_amount", css="text-end")
    disbursed = Column(_("Disbursed (VND)"), "disbursed", order_by="disbursed", css="text-end")

    default_ordering = ("-decision_date",)


class AssetTable(Table):
    handed_on = Column(_("Handed over on"), "handed_on")
    name = Column(_("Asset"), "name", link=True)
    producer = Column(_("Producer"), "producer.name", order_by="producer__name")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name", css="d-none d-lg-table-cell")
    value = Column(_("Value (VND)"), "value", css="text-end")
    decision = Column(_("Handover decision"), "decision_number", css="d-none d-lg-table-cell")
    source = Column(_("Funding source"), "source.name", order_by="source__name", css="d-none d-xl-table-cell")
    condition = Column(_("Condition"), "condition")
    checked = Column(_("Last checked on"), "last_checked_on", css="d-none d-lg-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-handed_on",)
