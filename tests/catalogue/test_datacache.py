"""The server-side cache of public pages (ocop.core.datacache): a hit costs one query, any
audited write shows at once, and nothing personal or half-finished is ever served from it."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.certification import services as certification
from ocop.core import datacache
from ocop.registry import services

from .conftest import certify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.OCOP_DATA_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def queries(client, path, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    return response, len(ctx.captured_queries)


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, product):
    first, cold = queries(client, "/catalogue/?q=mien")
    second, warm = queries(client, "/catalogue/?q=mien")
    assert cold > 3
    assert warm == 1  # the audit chain's head, nothing else
    assert second.content == first.content
    assert "Miến dong Tài Hoan" in second.content.decode()
    # Middleware still runs on a cached page: its own headers are fresh, the view's are kept.
    assert "max-age=300" in second["Cache-Control"]
    # Another URL is another page.
    other, n = queries(client, "/catalogue/?q=khong+co")
    assert n > 1 and "Miến dong Tài Hoan" not in other.content.decode()


def test_an_audited_write_shows_at_once(client, province_admin, product):
    page = reverse("catalogue:product_detail", args=[product.pk])
    assert "Miến dong Tài Hoan" in client.get(page).content.decode()
    assert "Miến dong Tài Hoan" in client.get("/catalogue/").content.decode()
    services.update_product(province_admin, product, {"name": "Miến dong Na Rì"})
    assert "Miến dong Na Rì" in client.get(page).content.decode()
    listing = client.get("/catalogue/").content.decode()
    assert "Miến dong Na Rì" in listing and "Miến dong Tài Hoan" not in listing


def test_a_revocation_shows_on_the_verification_page_at_once(client, province_admin, product):
    certificate = product.certificates.get()
    path = reverse("certification:verify", args=[certificate.public_id])
    before, _ = queries(client, path)
    assert before.context is not None and before.context["in_force"]
    _, warm = queries(client, path)
    assert warm == 1
    certification.revoke(
        province_admin,
        certificate,
        {"ground": "stopped", "decision_number": "88/QĐ-UBND", "decision_date": certificate.issued_on},
    )
    after, n = queries(client, path)
    assert n > 1 and after.context is not None and not after.context["in_force"]


def test_signed_in_visitors_and_other_languages_get_their_own_pages(client, admin_user, product):
    client.get("/catalogue/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, n = queries(client, "/catalogue/")
    assert n > 1 and 'lang="en"' in english.content.decode()
    _, warm = queries(client, "/catalogue/")
    assert warm == 1
    client.force_login(admin_user)  # a session cookie: never served from (nor stored in) the cache
    _, signed_in = queries(client, "/catalogue/")
    assert signed_in > 1
    _, again = queries(client, "/catalogue/")
    assert again > 1


def test_htmx_fragments_and_full_pages_are_kept_apart(client, product):
    full = client.get("/catalogue/").content.decode()
    fragment = client.get(
        "/catalogue/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalogue-results"
    ).content.decode()
    assert "<html" in full and "<html" not in fragment
    assert "<html" in client.get("/catalogue/").content.decode()


def test_the_key_holds_the_data_version_and_the_day(rf, province_admin, product, monkeypatch):
    request = rf.get("/catalogue/")
    version = datacache.data_version()
    key = datacache.page_key(request, version)
    assert datacache.page_key(request, version) == key
    certify(product, 5, issued=dt.date(2026, 1, 5))  # written directly: no audit event …
    assert datacache.data_version() == version  # … so only the timeout bounds it
    services.update_product(province_admin, product, {"packaging": "Túi 1 kg"})
    assert datacache.data_version() != version
    tomorrow = datacache.timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(datacache.timezone, "localdate", lambda: tomorrow)
    assert datacache.page_key(request, version) != key  # certificates lapse at midnight


def test_not_found_pages_are_cached_but_an_unknown_code_is_not(client):
    _, cold = queries(client, "/catalogue/products/999999/")
    _, warm = queries(client, "/catalogue/products/999999/")
    assert cold > 1 and warm == 1
    response, n1 = queries(client, "/verify/AAAAAAAAAA/")
    response, n2 = queries(client, "/verify/AAAAAAAAAA/")
    assert response.status_code == 404 and n2 == n1 >= 1


def test_turned_off_with_zero(client, settings, product):
    settings.OCOP_DATA_CACHE_SECONDS = 0
    client.get("/catalogue/")
    _, n = queries(client, "/catalogue/")
    assert n > 1


def test_list_counts_are_kept_until_an_audited_write(
    client, province_admin, product, make_product, chodon_producer
):
    """A list's pages, sorts and refreshes count once; a new record shows at once; another user's
    scope is another query (and another count)."""
    from ocop.core.datacache import cached_count
    from ocop.registry.models import Product
    from tests.conftest import CHO_DON
    from tests.factories import make_user

    queryset = Product.objects.for_user(province_admin)
    assert cached_count(queryset) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert cached_count(Product.objects.for_user(province_admin)) == 1
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    make_product(chodon_producer, "Măng khô Chợ Đồn")  # through the registry's audited service
    assert cached_count(Product.objects.for_user(province_admin)) == 2
    commune_officer = make_user("canbo.chodon", "commune_officer", CHO_DON)
    assert cached_count(Product.objects.for_user(commune_officer)) == 1
    # The registry list shows the kept count, and the new one after a write.
    client.force_login(province_admin)
    assert client.get("/registry/products/").context["paginator"].count == 2
    services.update_product(province_admin, product, {"published": False})
    make_product(chodon_producer, "Miến dong Chợ Đồn")
    assert client.get("/registry/products/").context["paginator"].count == 3


def test_a_count_of_nothing_is_zero(db):
    from ocop.core.datacache import cached_count
    from ocop.registry.models import Product

    assert cached_count(Product.objects.none()) == 0
    assert cached_count(Product.objects.filter(pk__in=[])) == 0
    assert cached_count([1, 2, 3]) == 3


def test_a_list_count_is_kept_per_address_filters_and_user(
    client, province_admin, product, make_product, chodon_producer
):
    """The registry list keys its count by its address, filters and user (not its SQL): pages and
    sorts share one count, a filter or another user has its own, a write shows at once."""
    from tests.conftest import CHO_DON
    from tests.factories import make_user

    make_product(chodon_producer, "Măng khô Chợ Đồn")
    client.force_login(province_admin)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            n = client.get(path).context["paginator"].count
        return n, sum("COUNT(" in q["sql"] and "registry_product" in q["sql"] for q in ctx.captured_queries)

    assert count("/registry/products/") == (2, 1)
    assert count("/registry/products/?sort=-name&page=1&per_page=10") == (2, 0)
    assert count("/registry/products/?q=mang") == (1, 1)
    assert count("/registry/products/?q=mang&sort=name") == (1, 0)
    client.force_login(make_user("canbo.chodon", "commune_officer", CHO_DON))
    assert count("/registry/products/") == (1, 1)
    client.force_login(province_admin)
    make_product(chodon_producer, "Miến dong Chợ Đồn")
    assert count("/registry/products/") == (3, 1)


def test_list_key_ignores_paging_and_holds_path_filters_and_user(rf, province_admin, admin_user):
    request = rf.get("/registry/products/", {"q": "chè", "page": "3", "sort": "-name", "per_page": "50"})
    request.user = province_admin
    key = datacache.list_key(request)
    same = rf.get("/registry/products/", {"q": "chè"})
    same.user = province_admin
    assert datacache.list_key(same) == key
    for path, params, user in (
        ("/registry/products/", {"q": "tra"}, province_admin),
        ("/registry/producers/", {"q": "chè"}, province_admin),
        ("/registry/products/", {"q": "chè"}, admin_user),
    ):
        other = rf.get(path, params)
        other.user = user
        assert datacache.list_key(other) != key
