"""Request id: taken from X-Request-ID (set by nginx) or generated, echoed in the response,
kept in a context variable for the audit trail and the logs."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.middleware.locale import LocaleMiddleware

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("ocop_request_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def get_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None):
    return _request_id.set(value)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise (the language cookie set by the switcher).

    The browser's Accept-Language is ignored for pages — many officials' browsers say English —
    but honoured for the API, whose clients ask for the language they want.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulMiddleware:
    """Refuse requests carrying NUL characters (PostgreSQL cannot store them; no real input has
    them). Forms already refuse them field by field; this covers query strings and API bodies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        has_nul = "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        )
        if not has_nul and request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            has_nul = b"\x00" in request.body or b"\\u0000" in request.body
        if has_nul:
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": []}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True
