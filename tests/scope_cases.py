"""The pieces every app's scope walk (tests/<app>/test_scope.py) shares: a case per route, the
route names of an app (screens and API), and calling a case as a client."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass
class Case:
    """How to call one route and what must happen to an out-of-scope user: `denied` (403/404),
    `refused` (400/403/404), `absent` (200 or 403, and nothing secret in the answer)."""

    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    expect: str = "denied"
    json: bool = False
    query: str = ""


def url_names(patterns=None, ns: str | None = None):
    """(name, pattern) of every URL, namespaced ("registry:product_list"); None for an unnamed one."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield (f"{ns}:{p.name}" if ns and p.name else p.name), p


def api_names(router) -> set[str]:
    """The names of a django-ninja router's operations, as the API's URLs name them."""
    return {
        f"api:{op.view_func.__name__}" for view in router.path_operations.values() for op in view.operations
    }


def app_routes(*namespaces: str, router=None) -> set[str]:
    """The screens of these URL namespaces and the operations of the app's API router."""
    prefixes = tuple(f"{n}:" for n in namespaces)
    screens = {name for name, _ in url_names() if name and name.startswith(prefixes)}
    return screens | (api_names(router) if router is not None else set())


def call(client, case: Case, name: str):
    url = reverse(name, kwargs=case.kwargs or None) + case.query
    if case.json:
        return getattr(client, case.method)(url, case.data, content_type="application/json")
    return getattr(client, case.method)(url, case.data)


def anonymous_failures(client, cases: dict[str, Case], api: str = "api:") -> list[str]:
    """Routes not sending an anonymous visitor to the login page (401 in the API: names starting
    with `api`)."""
    failures = []
    for name, case in cases.items():
        response = call(client, case, name)
        if name.startswith(api):
            if response.status_code != 401:
                failures.append(f"{name}: {response.status_code}")
        elif response.status_code != 302 or "/accounts/login/" not in response.get("Location", ""):
            failures.append(f"{name}: {response.status_code}")
    return failures
