from django.utils.translation import gettext_lazy as _

from ocop.core.tables import Column, Table


def _roles(user) -> str:
    return "; ".join(str(a) for a in user.role_assignments.all())


class UserTable(Table):
    username = Column(_("Username"), "username", link=True)
    full_name = Column(_("Full name"), "full_name")
    email = Column(_("E-mail"), "email")
    organisation = Column(_("Organisation"), "organisation", css="d-none d-lg-table-cell")
    roles = Column(_("Roles and areas"), value=_roles, orderable=False)
    is_active = Column(_("Active"), "is_active")
    last_login = Column(_("Last sign-in"), "last_login", css="d-none d-lg-table-cell")

    default_ordering = ("username",)
