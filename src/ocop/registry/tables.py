from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table, stars_cell


class ProducerTable(Table):
    name = Column(_("Name"), "name", link=True)
    kind = Column(_("Kind"), "kind")
    tax_code = Column(_("Tax code"), "tax_code")
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    district = Column(
        _("District / province"),
        "commune.parent.name",
        order_by="commune__parent__name",
        css="d-none d-lg-table-cell",
    )
    representative = Column(_("Legal representative"), "legal_representative", css="d-none d-xl-table-cell")
    phone = Column(_("Phone"), "phone", orderable=False, css="d-none d-xl-table-cell")
    products = Column(_("Products"), "n_products", order_by="n_products")
    status = Column(_("Status"), "status")

    default_ordering = ("name",)


class ProductTable(Table):
    code = Column(_("Code"), "code")
    name = Column(_("Name"), "name", link=True)
    producer = Column(
        _("Producer"),
        "producer.name",
        order_by="producer__name",
        link=lambda p: p.producer.get_absolute_url(),
    )
    category = Column(
        _("Product set"), "category.name", order_by="category__sort_order", css="d-none d-lg-table-cell"
    )
    commune = Column(_("Commune"), "commune.name", order_by="commune__name")
    district = Column(
        _("District / province"),
        "commune.parent.name",
        order_by="commune__parent__name",
        css="d-none d-xl-table-cell",
    )
    stars = Column(_("Stars"), "stars", order_by="stars", html=stars_cell)
    lifecycle = Column(_("Stage"), "lifecycle", css="d-none d-lg-table-cell")

    default_ordering = ("name",)
