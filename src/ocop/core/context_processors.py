from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def ocop(request):
    from ocop.core.navigation import menu_for

    return {
        "OCOP_SITE_NAME": settings.OCOP_SITE_NAME or _("OCOP information system"),
        # Lazy: htmx fragments (a saved answer, a table page) never show the menu.
        "ocop_menu": SimpleLazyObject(lambda: menu_for(request)),
        "ocop_unread": SimpleLazyObject(lambda: _unread(request)),
    }


def _unread(request) -> int:
    """The signed-in user's unread notifications (one query, only when the header shows it)."""
    from ocop.core.models import Notification

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
