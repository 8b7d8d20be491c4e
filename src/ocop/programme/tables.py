from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class CycleTable(Table):
    year = Column(_("Year"), "year")
    name = Column(_("Name"), "name", link=True)
    area = Column(_("Area"), "area.name", order_by="area__name")
    rule = Column(
        _("Rules"),
        "rule_version.decision",
        order_by="rule_version__effective_from",
        css="d-none d-lg-table-cell",
    )
    steps = Column(
        _("Steps in progress"), "n_open_steps", order_by="n_open_steps", css="d-none d-md-table-cell"
    )
    rounds = Column(_("Rounds"), "n_rounds", order_by="n_rounds", css="d-none d-md-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-year", "area__path")


class IdeaTable(Table):
    created = Column(_("Filed"), "created_at", css="d-none d-lg-table-cell")
    product_name = Column(_("Product idea"), "product_name", link=True)
    proposer = Column(
        _("Producer or proposer"),
        value=lambda i: i.producer.name if i.producer_id else i.proposer_name,
        order_by=("producer__name", "proposer_name"),
    )
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    kind = Column(_("Kind"), "kind", css="d-none d-lg-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-created_at",)


class PlanTable(Table):
    title = Column(_("Business plan"), "title", link=True)
    producer = Column(_("Producer"), "producer.name", order_by="producer__name")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    investment = Column(_("Investment (VND)"), "investment", css="d-none d-lg-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-created_at",)


def _overdue(dossier):
    return dossier.is_overdue(timezone.localdate())


class DossierTable(Table):
    code = Column(_("Dossier"), "code", link=True)
    product = Column(_("Product"), "product.name", order_by="product__name")
    producer = Column(_("Producer"), "producer.name", order_by="producer__name", css="d-none d-lg-table-cell")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    kind = Column(_("Kind of evaluation"), "kind", css="d-none d-md-table-cell")
    state = Column(_("State"), "state", template="programme/_state_cell.html")
    deadline = Column(_("Deadline"), "deadline")
    overdue = Column(_("Overdue"), value=_overdue, orderable=False, template="programme/_overdue_cell.html")
    round = Column(_("Round"), "round.name", order_by="round__evaluate_before", css="d-none d-xl-table-cell")
    versions = Column(_("Versions"), "n_versions", order_by="n_versions", css="d-none d-xl-table-cell")

    default_ordering = ("-created_at",)
