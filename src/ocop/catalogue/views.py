"""The public catalogue: no login, nothing internal, cacheable.

Every page reads through `catalogue.selectors` (never `for_user`: there is no user). Pages send
`Cache-Control: public, max-age=300` and `Vary: Accept-Language, Cookie` (the language is chosen
by a cookie); they never call `get_token`, so an anonymous visitor gets no CSRF cookie and no
Set-Cookie at all — the search form is a GET and the language switch a plain link.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import (
    FileResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ocop.certification.models import Status
from ocop.core.datacache import CountedPaginator, cached_public_page
from ocop.registry.choices import ProductLifecycle
from ocop.registry.models import ProductPhoto

from . import filters, opendata, selectors

PUBLIC_MAX_AGE = 300  # seconds: pages and open data
PHOTO_MAX_AGE = 3600  # photos never change under their id; a product unpublished stops them within the hour
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def public(response, vary: tuple[str, ...] = ()):
    """Mark a response as cacheable by browsers and shared caches for five minutes."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie", *vary))
    return response


def absolute(path: str) -> str:
    return settings.OCOP_SITE_URL + path


def not_found(request, message: str):
    """The catalogue's own 404: the public layout, no CSRF cookie, cached for a minute only (a
    product may be published at any time)."""
    context = {"title": _("Not found"), "description": message, "message": message, "noindex": True}
    response = render(request, "catalogue/not_found.html", context, status=404)
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


class ProductListView(View):
    """/catalogue/: certified products, filtered by stars, category, place and words; htmx
    requests targeting #catalogue-results get the results alone."""

    @cached_public_page
    def get(self, request):
        day = selectors.today()
        form = filters.read(request.GET, day)
        queryset = selectors.apply_filters(selectors.catalogue_rows(day), form.filters)
        paginator = CountedPaginator(queryset, form.per_page)
        page = paginator.get_page(request.GET.get("page"))
        products = list(page.object_list)
        selectors.attach_places(products)
        query = filters.query_string(form)
        f = form.filters
        facets = [
            f"{f.stars}★" if f.stars else "",
            f.category.name if f.category else "",
            (f.commune or f.province).name if (f.commune or f.province) else "",
            f"“{f.q}”" if f.q else "",
        ]
        facets = [x for x in facets if x]
        title = _("OCOP products")
        if facets:
            title = f"{title}: {', '.join(facets)}"
        canonical = reverse("catalogue:product_list")
        if query or page.number > 1:
            canonical += "?" + "&".join(
                x for x in (query, f"page={page.number}" if page.number > 1 else "") if x
            )
        context = {
            "title": title,
            "description": ngettext(
                "%(count)s OCOP product certified today, with its stars, producer, place, certificate "
                "and where to buy it.",
                "%(count)s OCOP products certified today, with their stars, producers, places, "
                "certificates and where to buy them.",
                paginator.count,
            )
            % {"count": paginator.count},
            "form": form,
            "page": page,
            "paginator": paginator,
            "products": products,
            "query": query,
            "today": day,
            "canonical": absolute(canonical),
            "noindex": bool(f.q),
        }
        if request.htmx and request.htmx.target == "catalogue-results":
            response = render(request, "catalogue/_results.html", {**context, "partial": True})
        else:
            response = render(request, "catalogue/product_list.html", context)
        return public(response, vary=("HX-Request", "HX-Target"))


class ProductDetailView(View):
    @cached_public_page
    def get(self, request, pk):
        day = selectors.today()
        product = selectors.product_page(pk, day)
        if product is None:
            return not_found(request, _("No published OCOP product has this number."))
        certificate = selectors.current_certificate(product, day)
        status = certificate.status_on(day) if certificate else None
        listed = product.stars is not None and product.lifecycle != ProductLifecycle.WITHDRAWN
        places = selectors.places_for([product.commune, product.producer.commune])
        place = places[product.commune_id]
        others = list(
            selectors.public_products(day)
            .filter(producer=product.producer_id)
            .exclude(pk=product.pk)
            .order_by("name", "pk")
            .only("pk", "name")[:12]
        )
        photos = list(product.photos.all())
        og_image = (
            absolute(reverse("catalogue:photo", args=[product.pk, photos[0].pk, "full"])) if photos else ""
        )
        stars_text = f" {product.stars}★" if product.stars else ""
        summary = " ".join((product.description or product.story).split())
        names = {
            "name": product.name,
            "stars": product.stars,
            "producer": product.producer.name,
            "place": place.text,
        }
        if summary:
            description = Truncator(summary).chars(200)
        elif product.stars:
            description = _("%(name)s: %(stars)s★ OCOP product of %(producer)s, %(place)s.") % names
        else:
            description = _("%(name)s: OCOP product of %(producer)s, %(place)s.") % names
        context = {
            "title": f"{product.name}{stars_text}",
            "description": description,
            "product": product,
            "category_path": selectors.category_path(product.category),
            "superseded_scheme": product.category.scheme.effective_to is not None,
            "certificate": certificate,
            "status": status,
            "status_label": _status_label(status),
            "in_force": product.stars is not None,
            "listed": listed,
            "verify_url": reverse("certification:verify", args=[certificate.public_id])
            if certificate
            else "",
            "photos": photos,
            "standards": selectors.held_standards(product, day),
            "ip_rights": list(product.ip_rights.all()),
            "listings": selectors.active_listings(product),
            # OCOP sales points (activities app) that carry the product, published and open today.
            "sales_points": _sales_points(product, day),
            "place": place,
            "producer_place": places[product.producer.commune_id],
            "producer_public": listed or bool(others),
            "other_products": others,
            "map": _map(place),
            "og_image": og_image,
            "canonical": absolute(reverse("catalogue:product_detail", args=[product.pk])),
            "noindex": not listed,
            "today": day,
        }
        return public(render(request, "catalogue/product_detail.html", context))


def _sales_points(product, day):
    from ocop.activities.selectors import public_sales_points

    return public_sales_points(product, day)


def _status_label(status):
    return Status(status).label if status else ""


def _map(place: selectors.Place) -> dict | None:
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "lat": f"{place.latitude:.6f}",
        "lng": f"{place.longitude:.6f}",
        "tiles": getattr(settings, "OCOP_MAP_TILES", DEFAULT_TILES),
        "attribution": getattr(settings, "OCOP_MAP_ATTRIBUTION", DEFAULT_ATTRIBUTION),
    }


class ProducerDetailView(View):
    @cached_public_page
    def get(self, request, pk):
        day = selectors.today()
        producer = (
            selectors.public_producers(day).select_related("commune", "commune__parent").filter(pk=pk).first()
        )
        if producer is None:
            return not_found(request, _("No producer of a certified OCOP product has this number."))
        products = list(selectors.catalogue_rows(day).filter(producer=producer).order_by("name", "pk"))
        places = selectors.places_for([producer.commune, *(p.commune for p in products)])
        for product in products:
            product.place = places[product.commune_id]
        place = places[producer.commune_id]
        context = {
            "title": producer.name,
            "description": ngettext(
                "%(name)s (%(place)s): %(count)s certified OCOP product.",
                "%(name)s (%(place)s): %(count)s certified OCOP products.",
                len(products),
            )
            % {"name": producer.name, "place": place.text, "count": len(products)},
            "producer": producer,
            "place": place,
            "phone": producer.phone if producer.publish_phone else "",
            "products": products,
            "canonical": absolute(reverse("catalogue:producer_detail", args=[producer.pk])),
            "today": day,
        }
        return public(render(request, "catalogue/producer_detail.html", context))


class PhotoView(View):
    """A photo (or its thumbnail) of a product that may be opened publicly, from the files the
    registry stored (re-encoded JPEG without metadata)."""

    def get(self, request, pk, photo_id, size):
        if (
            size not in ("thumb", "full")
            or not selectors.reachable_products(stars=False).filter(pk=pk).exists()
        ):
            return HttpResponseNotFound()
        photo = ProductPhoto.objects.filter(product_id=pk, pk=photo_id).first()
        if photo is None:
            return HttpResponseNotFound()
        field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
        etag = f'"{photo.pk}-{size}-{field.name.rsplit("/", 1)[-1]}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            _photo_headers(not_modified, etag)
            return not_modified
        try:
            handle = field.open("rb")
        except (FileNotFoundError, ValueError):
            return HttpResponseNotFound()
        response = FileResponse(handle, content_type="image/jpeg")
        _photo_headers(response, etag)
        return response


def _photo_headers(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PHOTO_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"


class OpenDataView(View):
    """/catalogue/open-data/: the files, their schema and the licence."""

    def get(self, request):
        context = {
            "title": _("Open data"),
            "description": _("The public list of certified OCOP products as CSV and JSON, with its schema."),
            "fields": opendata.FIELDS,
            "csv_url": absolute(reverse("catalogue:open_data_csv")),
            "json_url": absolute(reverse("catalogue:open_data_json")),
            "canonical": absolute(reverse("catalogue:open_data")),
        }
        return public(render(request, "catalogue/open_data.html", context))


class _Echo:
    def write(self, value):
        return value


def _open_data_headers(response):
    public(response)
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class OpenDataCsvView(View):
    """All certified, published products as CSV (UTF-8 with BOM for Excel), streamed."""

    def get(self, request):
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(opendata.FIELD_NAMES)
            for row in opendata.rows():
                yield writer.writerow([opendata.csv_value(row[name]) for name in opendata.FIELD_NAMES])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ocop-products.csv"'
        return _open_data_headers(response)


class OpenDataJsonView(View):
    """All certified, published products as JSON: {"generated", "count", "products"}."""

    def get(self, request):
        products = [{k: opendata.json_value(v) for k, v in row.items()} for row in opendata.rows()]
        data = {
            "generated": timezone.localtime().isoformat(timespec="seconds"),
            "count": len(products),
            "products": products,
        }
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        return _open_data_headers(response)


class LanguageView(View):
    """Switch the language by a plain link (a GET): the public pages carry no CSRF token, so that
    they stay cacheable and set no cookie. Only the language cookie is set, then back to `next`."""

    def get(self, request):
        next_url = request.GET.get("next", "")
        if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("catalogue:product_list")
        response = HttpResponseRedirect(next_url)
        language = request.GET.get("language", "")
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        add_never_cache_headers(response)
        return response
