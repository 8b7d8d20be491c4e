from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


class AdminUnitTable(Table):
    code = Column(_("Code"), "code")
    name = Column(_("Name"), "name", link=True)
    kind = Column(_("Kind"), "kind")
    parent = Column(_("Belongs to"), "parent.name", order_by="parent__name")
    edition = Column(_("Edition"), "edition", template="geo/_edition_cell.html")
    valid_from = Column(_("Valid from"), "valid_from")
    valid_to = Column(_("Valid to"), "valid_to")
    # Exported, not shown: the table stays readable on a phone.
    latitude = Column(_("Latitude"), "latitude", orderable=False, css="d-none")
    longitude = Column(_("Longitude"), "longitude", orderable=False, css="d-none")

    default_ordering = ("path",)


class UnitSuccessionTable(Table):
    predecessor = Column(
        _("Former unit"),
        "predecessor.name",
        order_by="predecessor__path",
        link=lambda s: s.predecessor.get_absolute_url(),
    )
    predecessor_parent = Column(
        _("Former district / province"), "predecessor.parent.name", order_by="predecessor__parent__name"
    )
    successor = Column(
        _("Current unit"),
        "successor.name",
        order_by="successor__path",
        link=lambda s: s.successor.get_absolute_url(),
    )
    successor_parent = Column(
        _("Current province"), "successor.parent.name", order_by="successor__parent__name"
    )
    partial = Column(_("Part only"), "partial")
    is_default = Column(_("Main successor"), "is_default")
    effective_date = Column(_("Effective"), "effective_date")

    default_ordering = ("predecessor__path", "-is_default")
