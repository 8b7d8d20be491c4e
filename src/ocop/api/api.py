"""The REST API: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs. Errors are JSON `{"detail": …, "errors": [{"field", "message", "code"}]}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .auth import AUTH

api = NinjaAPI(
    title="OCOP API",
    version="1",
    description=(
        "REST API of the OCOP information system. Authenticate with a bearer token "
        "(`Authorization: Bearer ocop_…`, created on your account page) or the browser session. "
        "Every list is limited to the caller's area scope."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append(
            {"field": ".".join(loc) or None, "message": err.get("msg", ""), "code": err.get("type")}
        )
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    errors = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.append(
                    {"field": None if field == "__all__" else field, "message": message, "code": None}
                )
    else:
        errors = [{"field": None, "message": m, "code": None} for m in exc.messages]
    return _error(request, 400, _("The request is not valid."), errors)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    detail = str(exc) if exc.args and "matches the given query" not in str(exc) else _("Not found.")
    return _error(request, 404, detail)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, str(exc) or _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, _("Authentication required: a bearer token or a signed-in session."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def _mount() -> None:
    from ocop.accounts.api import router as accounts_router
    from ocop.activities.api import router as activities_router
    from ocop.audit.api import router as audit_router
    from ocop.certification.api import router as certification_router
    from ocop.evaluation.api import router as evaluation_router
    from ocop.evaluation.sheet_api import router as criteria_router
    from ocop.funding.api import router as funding_router
    from ocop.geo.api import router as geo_router
    from ocop.planning.api import router as planning_router
    from ocop.programme.api import router as programme_router
    from ocop.quality.api import router as quality_router
    from ocop.registry.api import router as registry_router
    from ocop.reporting.api import router as reporting_router

    api.add_router("/places", geo_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/audit", audit_router)
    api.add_router("/registry", registry_router)
    api.add_router("/criteria", criteria_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/certification", certification_router)
    api.add_router("/programme", programme_router)
    api.add_router("/planning", planning_router)
    api.add_router("/activities", activities_router)
    api.add_router("/quality", quality_router)
    api.add_router("/funding", funding_router)
    api.add_router("/reporting", reporting_router)


_mount()
