from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.tables import Column, Table, stars_cell


class CouncilTable(Table):
    name = Column(_("Name"), "name", link=True)
    level = Column(_("Level"), "level")
    area = Column(_("Area"), "area.name", order_by="area__name")
    decision = Column(_("Establishing decision"), "decision_number", css="d-none d-lg-table-cell")
    members = Column(_("Members"), "n_members", order_by="n_members")
    sessions = Column(_("Sessions"), "n_sessions", order_by="n_sessions", css="d-none d-md-table-cell")
    active_from = Column(_("Active from"), "active_from", css="d-none d-lg-table-cell")

    default_ordering = ("-active_from", "name")


class SessionTable(Table):
    date = Column(_("Date"), "date")
    name = Column(_("Name"), "name", link=True)
    council = Column(
        _("Council"), "council.name", order_by="council__name", link=lambda s: s.council.get_absolute_url()
    )
    mode = Column(_("How the council decides"), "mode", css="d-none d-lg-table-cell")
    rule = Column(_("Criteria"), "rule_version.decision", order_by="rule_version__effective_from")
    products = Column(_("Products"), "n_products", order_by="n_products")
    open = Column(_("Still open"), "n_open", order_by="n_open", css="d-none d-md-table-cell")
    state = Column(_("State"), "state")

    default_ordering = ("-date",)


class ResultTable(Table):
    product = Column(
        _("Product"), "product.name", order_by="product__name", link=lambda r: r.entry.get_absolute_url()
    )
    producer = Column(_("Producer"), "product.producer.name", order_by="product__producer__name")
    commune = Column(
        _("Commune"), "product.commune.name", order_by="product__commune__name", css="d-none d-xl-table-cell"
    )
    session = Column(
        _("Session"),
        "entry.session.date",
        order_by="entry__session__date",
        link=lambda r: r.entry.session.get_absolute_url(),
    )
    average = Column(pgettext_lazy("result", "Score"), "average")
    stars = Column(_("Stars"), "stars", html=stars_cell)
    outcome = Column(_("Outcome"), value=lambda r: r.outcome_label(), orderable=False)
    state = Column(_("State"), "state")
    decision = Column(_("Decision"), "decision_number", css="d-none d-lg-table-cell")

    default_ordering = ("-entry__session__date", "product__name")
