from django.conf import settings
from django.utils.translation import gettext as _


def ocop(request):
    from ocop.core.navigation import menu_for

    return {
        "OCOP_SITE_NAME": settings.OCOP_SITE_NAME or _("OCOP information system"),
        "ocop_menu": menu_for(request),
    }
