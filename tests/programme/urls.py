"""The project's URLs plus the programme's API router on a test API at /api/v1/programme/ (the
project mounts the router in ocop/api/api.py; until then the tests mount it here)."""

from django.urls import path
from ninja import NinjaAPI

from ocop.api import api as project_api
from ocop.api.auth import AUTH
from ocop.programme.api import router
from ocop.urls import handler404, handler500  # noqa: F401
from ocop.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(
    title="OCOP programme (tests)", version="programme-tests", auth=AUTH, urls_namespace="programme_api"
)
for exception, handler in project_api.api._exception_handlers.items():
    api.add_exception_handler(exception, handler)
api.add_router("/programme", router)

urlpatterns = [*project_urlpatterns, path("api/v1/", api.urls)]
