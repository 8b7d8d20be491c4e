from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class EventTable(Table):
    start = Column(_("From"), "start_date")
    end = Column(_("To"), "end_date", css="d-none d-md-table-cell")
    name = Column(_("Name"), "name", link=True)
    kind = Column(_("Kind"), "kind", css="d-none d-lg-table-cell")
    place = Column(_("Held"), "place")
    venue = Column(_("Venue"), "venue", css="d-none d-xl-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__name", css="d-none d-lg-table-cell")
    responsible = Column(_("Responsible unit"), "responsible_unit", css="d-none d-xl-table-cell")
    participants = Column(_("Producers"), "n_participants", order_by="n_participants")
    budget = Column(_("Budget (VND)"), "budget", css="d-none d-xl-table-cell")

    default_ordering = ("-start_date",)


def _meets(point):
    return None if point.meets is None else bool(point.meets)


class SalesPointTable(Table):
    name = Column(_("Name"), "name", link=True)
    kind = Column(_("Location"), "location_kind", css="d-none d-lg-table-cell")
    address = Column(_("Address"), "address", css="d-none d-md-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__name")
    operator = Column(_("Operator"), "operator", css="d-none d-xl-table-cell")
    opened = Column(_("Opened on"), "opened_on")
    closed = Column(_("Closed on"), "closed_on", css="d-none d-xl-table-cell")
    products = Column(_("Products"), "n_products", order_by="n_products")
    meets = Column(_("Meets the criteria"), value=_meets, order_by="meets")

    default_ordering = ("name",)


class CourseTable(Table):
    start = Column(_("From"), "start_date")
    title = Column(_("Title"), "title", link=True)
    audience = Column(_("For"), "audience")
    level = Column(_("Level"), "level", css="d-none d-lg-table-cell")
    organiser = Column(_("Organiser"), "organiser", css="d-none d-xl-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__name", css="d-none d-lg-table-cell")
    attendees = Column(_("Attendees"), "n_attendees", order_by="n_attendees")

    default_ordering = ("-start_date",)


class ArticleTable(Table):
    published = Column(_("Published on"), "published_on")
    title = Column(_("Title"), "title", link=True)
    outlet = Column(_("Outlet"), "outlet")
    kind = Column(_("Kind"), "kind", css="d-none d-md-table-cell")
    area = Column(_("Area"), "area.name", order_by="area__name", css="d-none d-lg-table-cell")
    public = Column(_("Public"), "public", css="d-none d-lg-table-cell")

    default_ordering = ("-published_on",)


class ListingTable(Table):
    product = Column(
        _("Product"),
        "product.name",
        order_by="product__name",
        link=lambda listing: listing.product.get_absolute_url(),
    )
    producer = Column(_("Producer"), "product.producer.name", order_by="product__producer__name")
    commune = Column(
        _("Commune"), "product.commune.name", order_by="product__commune__name", css="d-none d-lg-table-cell"
    )
    platform = Column(_("Platform"), value=str, order_by="platform")
    url = Column(_("Link"), "url", orderable=False, template="activities/_link_cell.html")
    status = Column(_("Status"), "status")
    listed = Column(_("Listed on"), "listed_on", css="d-none d-md-table-cell")

    default_ordering = ("product__name",)
