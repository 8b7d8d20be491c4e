from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

import ocop.core.converters  # noqa: F401  (registers <id:…>)
from ocop.api.api import api

urlpatterns = [
    path("", include("ocop.core.urls")),
    path("accounts/", include("ocop.accounts.urls")),
    path("places/", include("ocop.geo.urls")),
    path("registry/", include("ocop.registry.urls")),
    path("evaluation/", include("ocop.evaluation.urls")),
    path("", include("ocop.certification.urls")),
    path("programme/", include("ocop.programme.urls")),
    path("planning/", include("ocop.planning.urls")),
    path("activities/", include("ocop.activities.urls")),
    path("quality/", include("ocop.quality.urls")),
    path("funding/", include("ocop.funding.urls")),
    path("reports/", include("ocop.reporting.urls")),
    path("catalogue/", include("ocop.catalogue.urls")),
    path("audit/", include("ocop.audit.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
# Uploaded files are never served from a public URL: views that check scope stream them.

handler404 = "ocop.core.views.page_not_found"
handler500 = "ocop.core.views.server_error"
