from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table, stars_cell

from .models import Status


def _status(certificate) -> str:
    return str(Status(certificate.status_on(timezone.localdate())).label)


class CertificateTable(Table):
    public_id = Column(_("Certificate code"), "public_id", link=True)
    product = Column(
        _("Product"), "product.name", order_by="product__name", link=lambda c: c.product.get_absolute_url()
    )
    producer = Column(
        _("Producer"),
        "product.producer.name",
        order_by="product__producer__name",
        css="d-none d-lg-table-cell",
    )
    commune = Column(
        _("Commune"), "product.commune.name", order_by="product__commune__name", css="d-none d-xl-table-cell"
    )
    stars = Column(_("Stars"), "stars", html=stars_cell)
    issued_on = Column(_("Valid from"), "issued_on")
    valid_until = Column(_("Valid until"), "valid_until")
    status = Column(_("Status today"), value=_status, orderable=False)
    decision = Column(_("Decision"), "decision_number", css="d-none d-lg-table-cell")

    default_ordering = ("-issued_on",)


class DecisionTable(Table):
    number = Column(
        _("Decision number"), value=lambda d: d.number or _("draft"), order_by="number", link=True
    )
    date = Column(_("Decision date"), "date")
    kind = Column(_("Kind"), "kind")
    authority = Column(_("Issuing authority"), "authority", css="d-none d-lg-table-cell")
    results = Column(_("Products"), "n_results", order_by="n_results")
    state = Column(_("State"), "state")

    default_ordering = ("-date", "-created_at")
