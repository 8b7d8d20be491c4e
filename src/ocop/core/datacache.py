"""What is computed from the data, kept until the data changes: the public pages (catalogue list
and product pages, certificate verification), the catalogue's filter choices, the counts of
lists (a list's pages, sorts and htmx refreshes count the same rows again) and the dashboards'
figures (`remembered`, keyed also by the build time of the provinces' summaries). A published
score sheet's tree never changes under its id and version (`kept`, also in each process's memory).

Everything is stored under a key made of the **data version** — the audit chain's head
(`AuditChainHead`: the sequence number and hash of the last audited write, one primary-key read,
asked once per GET request) — and today's date (plus, for a page, the language, the htmx headers
and the full URL; for a count, the query's SQL, which holds the user's scope). Every write in the
system goes through a service that audits, so any change (a product published, a certificate
revoked, a photo added) moves the head and what was kept is simply never asked for again; the
date makes certificates lapse at midnight as the live query does. Nothing is kept longer than
`OCOP_DATA_CACHE_SECONDS` (default 300, the browsers' own `max-age` on public pages), which also
bounds what an unaudited change (a reference data load) could leave showing. 0 turns it off.

Only anonymous GET requests are served a cached page (no session or messages cookie), and only
200/404 responses that set no cookie are stored (an error page raised as an exception, such as
verification's unknown code, is never cached). With one server the cache is each worker's own
memory; with several, `REDIS_URL` makes it shared (docs/deployment.md) — either way the key's
version keeps every worker correct.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.utils import timezone, translation
from django.utils.functional import cached_property

KEY_PREFIX = "ocop:data:"


def timeout() -> int:
    return int(getattr(settings, "OCOP_DATA_CACHE_SECONDS", 300))


_request = threading.local()


def _request_started(environ=None, **kwargs) -> None:
    # Within a GET the data does not change: its version is read once. A POST may write, so
    # every use reads it again.
    _request.version = None
    _request.active = (environ or {}).get("REQUEST_METHOD") in ("GET", "HEAD")


def _request_finished(**kwargs) -> None:
    _request.version = None
    _request.active = False


request_started.connect(_request_started, dispatch_uid="ocop.datacache.started")
request_finished.connect(_request_finished, dispatch_uid="ocop.datacache.finished")


def data_version() -> str:
    """The audit chain's head: changes with every committed audited write (one query, asked once
    per public request — a GET that writes nothing)."""
    from ocop.audit.models import AuditChainHead

    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    from django.db import connection

    # A plain statement: this runs on every public GET, and building the query costs more than it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {AuditChainHead._meta.db_table} WHERE id = 1")
        head = cursor.fetchone()
    version = f"{head[0]}-{head[1][:16]}" if head else "0"
    if getattr(_request, "active", False):
        _request.version = version
    return version


class CountedPaginator(Paginator):
    """A paginator whose count is `cached_count`'s (`key`: see there)."""

    def __init__(self, *args, key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list, key=self.key)


PAGING_PARAMETERS = frozenset({"page", "per_page", "page_size", "sort", "export"})


def list_key(request) -> str:
    """What a list view's rows depend on — its address, its filters and who asks (scope and
    permissions are the user's) — for a count kept under the data version and the day. Cheaper
    than the list's SQL as a key (compiling a scoped, filtered query costs milliseconds)."""
    user = getattr(request, "auth", None)
    if not hasattr(user, "pk"):
        user = getattr(request, "user", None)
    query = sorted((k, v) for k, vs in request.GET.lists() if k not in PAGING_PARAMETERS for v in vs)
    return "\n".join((request.path, repr(query), str(getattr(user, "pk", ""))))


def cached_count(queryset, key: str | None = None) -> int:
    """`queryset.count()`, kept until the data changes. The key is the SQL (scope included), or
    `key` when the caller knows what the queryset is made of (`list_key`)."""
    seconds = timeout()
    if not hasattr(queryset, "query"):  # a list
        return len(queryset)
    if seconds <= 0:
        return queryset.count()
    if key is None:
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty scope, `.none()`)
            return 0
        key = f"{sql}\n{params!r}"
    model = queryset.model._meta.label
    day = timezone.localdate().isoformat()
    return _get_or_compute("count", queryset.count, seconds, data_version(), day, model, key)


_KEPT_HERE: OrderedDict = OrderedDict()  # the last `kept` values, in this process's memory
_KEPT_HERE_MAX = 64
_kept_lock = threading.Lock()


def kept(name: str, compute, *parts):
    """A value that never changes under its key (a published score sheet's criteria, keyed by the
    sheet and its version): kept for the timeout whatever is written meanwhile — and the last
    few also in this process's memory, unpickled once (a scorecard's 150 options, read on every
    answer saved)."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    key = (name, *map(str, parts))
    with _kept_lock:
        value = _KEPT_HERE.get(key)
        if value is not None:
            _KEPT_HERE.move_to_end(key)
            return value
    value = _get_or_compute("kept", compute, seconds, name, *parts)
    with _kept_lock:
        _KEPT_HERE[key] = value
        while len(_KEPT_HERE) > _KEPT_HERE_MAX:
            _KEPT_HERE.popitem(last=False)
    return value


def remembered(name: str, compute, *parts):
    """A value computed from the data (the catalogue's filter choices, say), kept under the same
    rule as the pages: until the next audited write, the next day, or the timeout."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    return _get_or_compute(
        "value", compute, seconds, name, data_version(), timezone.localdate().isoformat(), *parts
    )


def _get_or_compute(kind: str, compute, seconds: int, *parts):
    """The value kept under the hash of `parts`, or `compute()`'s, kept for `seconds`."""
    raw = "\n".join(map(str, parts))
    key = f"{KEY_PREFIX}{kind}:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def page_key(request, version: str) -> str:
    parts = "\n".join(
        (
            version,
            timezone.localdate().isoformat(),
            translation.get_language() or "",
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.build_absolute_uri(),  # the host too: a label's signature covers it
        )
    )
    return KEY_PREFIX + hashlib.sha256(parts.encode("utf-8")).hexdigest()


def _storable(response) -> bool:
    return (
        response.status_code in (200, 404)
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
    )


def cached_public_page(view):
    """Serve a public view's response from the cache when the data has not changed (works on
    functions and on `View.get` methods: the request is the argument after `self`, if any)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request = args[1] if len(args) > 1 and hasattr(args[1], "COOKIES") else args[0]
        seconds = timeout()
        if seconds <= 0 or not cacheable_request(request):
            return view(*args, **kwargs)
        key = page_key(request, data_version())
        response = cache.get(key)
        if response is not None:
            return response
        response = view(*args, **kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if _storable(response):
            cache.set(key, response, seconds)
        return response

    return wrapper
