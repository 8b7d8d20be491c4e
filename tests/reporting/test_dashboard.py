"""The dashboard: figures from the summary rows, each linking to the records behind it, the areas
limited to the user's scope, a constant number of queries, the activities card."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.geo.models import AdminUnit
from ocop.planning import indicators
from tests.conftest import BAC_KAN_LEGACY, CHO_DON, NA_RI, THAI_NGUYEN
from tests.factories import make_user

from .helpers import plan_in_force, products, rebuild_home

pytestmark = pytest.mark.django_db


def listed(client, url: str) -> int:
    """How many records the list behind a link shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_demo_figures_link_to_their_records(client, built, province_officer, bac_kan):
    client.force_login(province_officer)
    response = client.get("/reports/", {"area": bac_kan.pk, "year": 2021})
    assert response.status_code == 200
    board = response.context["board"]
    html = response.content.decode()
    assert re.search(r'data-testid="products-total">155<', html)
    assert re.search(r'data-testid="products-5star">1<', html)
    assert re.search(r'data-testid="products-4star">11<', html)
    assert re.search(r'data-testid="products-3star">143<', html)
    assert re.search(r'data-testid="communes-without">58<', html)
    assert re.search(r'data-testid="communes-total">108<', html)
    assert "figures-as-of" in html
    # Every figure opens the list of its records, which shows the same number.
    assert listed(client, board.total.url) == 155
    for stars, expected in ((5, 1), (4, 11), (3, 143)):
        assert listed(client, board.stars[stars].url) == expected
    for link in board.by_place[:3] + board.by_category[:3]:
        assert listed(client, link.url) == link.value, link
    commune = next(c for c in board.communes if c["products"])
    assert listed(client, commune["url"]) == commune["products"]
    # Certificates ending soon, and the map page of the same figures.
    today = client.get("/reports/", {"area": bac_kan.pk})
    expiring = today.context["board"].expiring
    assert listed(client, expiring.url) == expiring.value
    map_page = client.get("/reports/map/", {"area": bac_kan.pk, "year": 2021})
    assert len(map_page.context["map_points"]) == 108
    assert map_page.content.decode().count('data-without="1"') == 58


def test_areas_are_limited_to_the_scope(client, chodon_officer, unit):
    rebuild_home()
    client.force_login(chodon_officer)
    response = client.get("/reports/")
    assert response.status_code == 200
    assert [u.path for u in response.context["area_choices"]] == [CHO_DON]
    for path in (NA_RI, BAC_KAN_LEGACY, THAI_NGUYEN):
        assert client.get("/reports/", {"area": unit(path).pk}).status_code == 404
        assert client.get("/reports/map/", {"area": unit(path).pk}).status_code == 404
    assert client.get("/reports/", {"area": "x"}).status_code == 404


def test_the_province_officer_picks_the_province_its_communes_and_former_districts(
    client, province_officer, unit
):
    rebuild_home()
    client.force_login(province_officer)
    choices = client.get("/reports/").context["area_choices"]
    paths = [u.path for u in choices]
    assert paths[0] == THAI_NGUYEN
    assert BAC_KAN_LEGACY in paths and "legacy/06/066/" in paths  # former province and district
    assert NA_RI in paths and CHO_DON in paths  # current communes
    assert not any(p.startswith("2025/01/") for p in paths)


def test_query_count_does_not_grow_with_rows(client, province_admin, province_officer):
    client.force_login(province_officer)

    def count(basis="current") -> int:
        rebuild_home()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/", {"basis": basis}).status_code == 200
        return len(ctx.captured_queries)

    products(province_admin, 2, NA_RI, prefix="A")
    few = count()
    products(province_admin, 6, CHO_DON, stars=4, prefix="B")
    products(province_admin, 3, "2025/19/02185/", stars=5, prefix="C")
    assert count() == few
    # By former units the page draws hundreds of communes (108 in former Bắc Kạn alone) and its
    # queries stay as few: nothing is fetched per commune.
    assert count("legacy") <= few + 5
    board = client.get("/reports/", {"basis": "current"}).context["board"]
    assert (board.total.value, board.stars[4].value, board.stars[5].value) == (11, 6, 3)


def test_the_activities_card_shows_the_counters_stored_at_rebuild(
    client, province_admin, province_officer, monkeypatch
):
    calls = []

    def participations(area, start, end):
        calls.append((area.path, start, end))
        return 7 if area.path == THAI_NGUYEN else 2

    monkeypatch.setitem(
        indicators._REGISTRY,
        "promotion_participations",
        indicators.Counter("promotion_participations", participations),
    )
    monkeypatch.setitem(
        indicators._REGISTRY,
        "support_amount",
        indicators.Counter("support_amount", lambda a, s, e: Decimal("1500000")),
    )
    rebuild_home()
    today = timezone.localdate()
    assert (THAI_NGUYEN, dt.date(today.year, 1, 1), today) in calls
    client.force_login(province_officer)
    calls.clear()
    html = client.get("/reports/").content.decode()
    assert calls == []  # the page reads the stored figure, it does not count
    assert re.search(r'data-testid="indicator-promotion_participations">\s*7\s*<', html)
    assert re.search(r'data-testid="indicator-support_amount">\s*1500000\s*<', html)


def test_home_page_shows_the_dashboard(client, province_admin, province_officer):
    products(province_admin, 2, NA_RI)
    rebuild_home()
    client.force_login(province_officer)
    response = client.get("/")
    assert response.context["dashboard"]["board"].total.value == 2
    assert 'data-testid="dashboard"' in response.content.decode()
    # Someone without the right sees the home page without a dashboard.
    nobody = make_user("khach", None, None)
    client.force_login(nobody)
    response = client.get("/")
    assert response.status_code == 200 and response.context["dashboard"] is None


def test_the_first_dashboard_builds_missing_summaries(client, province_admin, province_officer):
    from ocop.reporting.models import SummaryState

    products(province_admin, 1, NA_RI)
    assert not SummaryState.objects.exists()
    client.force_login(province_officer)
    board = client.get("/reports/").context["board"]
    assert board.total.value == 1 and board.built_at is not None
    assert AdminUnit.objects.get(pk=SummaryState.objects.get().province_id).path == THAI_NGUYEN


def test_targets_of_the_plan_in_force_are_summarised_with_their_light(
    client, province_admin, province_officer, unit
):
    from ocop.planning.models import Indicator, Target

    today = timezone.localdate()
    plan = plan_in_force("99/KH-UBND")
    Target.objects.create(
        plan=plan, indicator=Indicator.objects.get(code="new_products_3star"), area=unit(THAI_NGUYEN), value=4
    )
    products(province_admin, 2, NA_RI, issued=today - dt.timedelta(days=1) if today.day > 1 else today)
    rebuild_home()
    client.force_login(province_officer)
    response = client.get("/reports/")
    board = response.context["board"]
    assert board.plan == plan
    (row,) = board.targets
    assert (row["code"], row["target"], row["actual"]) == ("new_products_3star", 4, 2)
    assert row["light"] in ("green", "amber", "red")
    assert 'data-testid="target-row"' in response.content.decode()
    # A past year shows no target (targets are summarised for today).
    assert client.get("/reports/", {"year": today.year - 1}).context["board"].targets == []


def test_the_whole_country_adds_up_every_province(client, admin_user, province_admin, province_officer, unit):
    """A user whose scope is everything picks the whole country: the provinces' figures added up,
    places by province, the communes counted (not listed), no plan; a province officer may not."""
    from ocop.reporting.selectors import COUNTRY
    from ocop.reporting.summaries import rebuild

    products(province_admin, 2, NA_RI, stars=4, prefix="TN")
    products(admin_user, 3, "2025/01/00004/", stars=3, prefix="HN")
    rebuild_home()
    rebuild(unit("2025/01/"))
    supervisor = make_user("giam.sat", "supervisor", None)
    client.force_login(supervisor)
    choices = client.get("/reports/").context["area_choices"]
    assert choices[0].path == THAI_NGUYEN and choices[1] == COUNTRY  # the home province stays first
    assert {"2025/01/", THAI_NGUYEN} <= {u.path for u in choices}
    response = client.get("/reports/", {"area": "all", "basis": "current"})
    board = response.context["board"]
    html = response.content.decode()
    assert board.area == COUNTRY and re.search(r'data-testid="products-total">5<', html)
    assert (board.stars[4].value, board.stars[3].value) == (2, 3)
    assert {link.label: link.value for link in board.by_place} == {
        "Tỉnh Thái Nguyên": 2,
        "Thành phố Hà Nội": 3,
    }
    # Every figure still opens its records: the whole country's list has no area filter.
    assert "area=" not in board.total.url and listed(client, board.total.url) == 5
    for link in board.by_place:
        assert listed(client, link.url) == link.value
    # The communes of the country are counted; the table and map list the provinces.
    total = AdminUnit.objects.filter(edition="2025", level=3).count()
    assert board.communes_total == total and board.communes_without == total - 2
    assert board.map_level == "province" and {c["name"] for c in board.communes} == {
        "Tỉnh Thái Nguyên",
        "Thành phố Hà Nội",
    }
    assert "Bản đồ các tỉnh, thành phố" in html  # "Map of provinces"
    assert board.targets == [] and board.plan is None
    # The API gives the same figures.
    api = client.get("/api/v1/reporting/summary", {"national": "true", "basis": "current"})
    assert api.status_code == 200 and api.json()["area_id"] is None and api.json()["products"] == 5
    # A province officer has no whole country.
    client.force_login(province_officer)
    assert COUNTRY not in client.get("/reports/").context["area_choices"]
    assert client.get("/reports/", {"area": "all"}).status_code == 404
    assert client.get("/api/v1/reporting/summary", {"national": "true"}).status_code == 404


def test_the_whole_country_costs_the_same_queries_whatever_the_provinces(client, admin_user, unit):
    from ocop.reporting.summaries import rebuild

    supervisor = make_user("giam.sat", "supervisor", None)
    client.force_login(supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/", {"area": "all"}).status_code == 200
        return len(ctx.captured_queries)

    products(admin_user, 1, NA_RI, prefix="A")
    rebuild_home()
    client.get("/reports/", {"area": "all"})  # builds every missing province once
    few = count()
    products(admin_user, 2, "2025/01/00004/", prefix="B")
    products(admin_user, 2, "2025/01/00008/", stars=5, prefix="C")
    rebuild(unit("2025/01/"))
    assert count() == few


def test_a_province_shows_its_own_and_its_districts_targets_a_commune_its_own(client, province_officer, unit):
    from ocop.planning.models import Indicator, Target

    plan = plan_in_force("98/KH-UBND")
    indicator = Indicator.objects.get(code="new_products_3star")
    for path, value in ((THAI_NGUYEN, 10), ("legacy/06/066/", 3), (NA_RI, 1), (CHO_DON, 2)):
        Target.objects.create(plan=plan, indicator=indicator, area=unit(path), value=value)
    rebuild_home()
    client.force_login(province_officer)
    province = client.get("/reports/").context["board"]
    assert sorted(r["target"] for r in province.targets) == [3, 10]  # the province, a former district
    commune = client.get("/reports/", {"area": unit(NA_RI).pk}).context["board"]
    assert [r["target"] for r in commune.targets] == [1]


def test_kept_figures_follow_each_rebuild(client, settings, province_admin, province_officer):
    """With the data cache on, a dashboard's figures are kept until its province is rebuilt."""
    from django.core.cache import cache

    settings.OCOP_DATA_CACHE_SECONDS = 300
    cache.clear()
    products(province_admin, 2, NA_RI, prefix="A")
    rebuild_home()
    client.force_login(province_officer)

    def total() -> int:
        return client.get("/reports/", {"basis": "current"}).context["board"].total.value

    assert total() == 2
    with CaptureQueriesContext(connection) as ctx:
        assert total() == 2
    assert not any("reporting_productfigure" in q["sql"] for q in ctx.captured_queries)
    products(province_admin, 3, CHO_DON, prefix="B")
    rebuild_home()  # what the background task does after the writes
    assert total() == 5
    cache.clear()


def test_the_area_picker_and_commune_rows_write_what_the_templates_wrote():
    from django.template import Context, Template
    from django.utils.html import format_html

    from ocop.geo.models import AdminUnit
    from ocop.reporting.selectors import COUNTRY
    from ocop.reporting.templatetags.reporting_tags import area_options, commune_rows

    choices = [
        COUNTRY,
        *AdminUnit.objects.filter(path__startswith="legacy/06/", level__lte=2).order_by("path")[:5],
    ]
    choices += list(AdminUnit.objects.filter(path__startswith="2025/19/", level=3).order_by("path")[:3])
    selected = choices[2]
    legacy_loop = Template(
        '{% load i18n %}{% for u in area_choices %}<option value="{{ u.pk }}"{% if u.pk == board.area.pk %}'
        ' selected{% endif %}>{{ u.name }}{% if u.is_legacy %} ({% translate "before 01/07/2025" %})'
        "{% endif %}</option>{% endfor %}"
    ).render(Context({"area_choices": choices, "board": {"area": selected}}))
    assert area_options(choices, selected) == legacy_loop
    assert legacy_loop.count(" selected") == 1 and "trước 01/07/2025" in legacy_loop

    communes = [
        {"name": "Xã <Na Rì> & Cư Lễ", "url": "/registry/products/?commune=1&a=<b>", "products": 3},
        {"name": 'Xã "Côn Minh"', "url": "", "products": 0},
    ]
    expected = format_html(
        '<tr><td>{}</td><td class="text-end"><a href="{}">{}</a></td></tr>', *communes[0].values()
    ) + format_html(
        '<tr class="text-danger" data-without="1"><td>{}</td><td class="text-end">0</td></tr>',
        communes[1]["name"],
    )
    assert commune_rows(communes) == expected
