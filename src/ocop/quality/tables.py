from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


def _product_link(obj):
    return obj.product.get_absolute_url()


def _standard_state(std):
    today = timezone.localdate()
    if std.expires_on is None:
        return _("No expiry")
    if std.expires_on < today:
        return _("Expired")
    return _("%(n)s days left") % {"n": (std.expires_on - today).days}


class StandardTable(Table):
    product = Column(_("Product"), "product.name", order_by="product__name", link=_product_link)
    producer = Column(_("Producer"), "product.producer.name", order_by="product__producer__name")
    commune = Column(
        _("Commune"), "product.commune.name", order_by="product__commune__name", css="d-none d-lg-table-cell"
    )
    kind = Column(_("Standard"), value=lambda s: str(s), order_by="kind")
    number = Column(_("Certificate number"), "certificate_number", css="d-none d-lg-table-cell")
    issuer = Column(_("Issued by"), "issuer", css="d-none d-xl-table-cell")
    issued_on = Column(_("Issued on"), "issued_on")
    expires_on = Column(_("Expires on"), "expires_on")
    status = Column(_("Status"), value=_standard_state, orderable=False)

    default_ordering = ("expires_on",)


class TraceabilityTable(Table):
    name = Column(_("Product"), "name", link=True)
    producer = Column(_("Producer"), "producer.name", order_by="producer__name")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name", css="d-none d-lg-table-cell")
    stars = Column(_("Stars today"), "stars", order_by="stars")
    system = Column(_("Traceability system"), "traceability_system")
    url = Column(_("Traceability code or URL"), "traceability_url", css="d-none d-xl-table-cell")
    since = Column(_("Traceable since"), "traceability_since")

    default_ordering = ("name",)


def _advanced(producer):
    kinds = sorted({str(s) for p in producer.products.all() for s in getattr(p, "advanced_standards", [])})
    return ", ".join(kinds)


class QmsTable(Table):
    name = Column(_("Producer"), "name", link=True)
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    n_advanced = Column(_("Advanced standards in force"), "n_advanced", order_by="n_advanced")
    standards = Column(_("Systems"), value=_advanced, orderable=False)

    default_ordering = ("-n_advanced", "name")


class InspectionTable(Table):
    date = Column(_("Date"), "date", link=True)
    kind = Column(_("Kind"), "kind", css="d-none d-lg-table-cell")
    producer = Column(_("Producer"), "producer.name", order_by="producer__name")
    products = Column(
        _("Products"),
        value=lambda i: ", ".join(p.name for p in i.products.all()),
        orderable=False,
        css="d-none d-xl-table-cell",
    )
    commune = Column(_("Commune"), "area.name", order_by="area__name", css="d-none d-lg-table-cell")
    body = Column(_("Inspecting body"), "inspecting_body")
    unit = Column(_("Responsible unit"), "responsible_unit", css="d-none d-xl-table-cell")
    state = Column(_("State"), "state")
    outcome = Column(_("Outcome"), "outcome")
    overdue = Column(_("Follow-ups overdue"), "n_overdue", order_by="n_overdue")
    case = Column(_("Case opened"), "has_case", order_by="has_case", css="d-none d-lg-table-cell")

    default_ordering = ("-date",)
