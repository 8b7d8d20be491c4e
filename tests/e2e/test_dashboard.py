"""The dashboard end to end in Chromium: the demo registry as of 31/12/2021 shows the figures of
the source documents (155 products: 1 five-star, 11 four-star, 143 three-star; 58 of the 108
communes of the former Bắc Kạn without a product), ECharts draws the charts, the Leaflet map
draws a marker per commune on the configured tile server and falls back to the table of communes
offline. Screenshots of the dashboard and the map are saved under var/screenshots/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ocop.geo.models import AdminUnit
from tests.conftest import BAC_KAN_LEGACY, THAI_NGUYEN
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TILES = "http://tiles.ocop.test/{z}/{x}/{y}.png"


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (233, 236, 239)).save(out, "PNG")
    return out.getvalue()


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_demo_dashboard_and_map_of_2021(
    units_loaded, criteria_loaded, live_server, page, output_dir, settings
):
    from ocop.registry import demo

    settings.OCOP_MAP_TILES = TILES
    settings.OCOP_MAP_ATTRIBUTION = "Bản đồ nền thử nghiệm"
    make_user("canbo.tinh", "province_officer", THAI_NGUYEN, full_name="Lý Thị Mai")
    demo.load_registry_demo()  # committed: the summaries are rebuilt after it (the audit receiver)
    bac_kan = AdminUnit.objects.get(path=BAC_KAN_LEGACY)
    png = tile_png()
    page.route(
        "http://tiles.ocop.test/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=png),
    )

    sign_in(page, live_server, "canbo.tinh")
    # The home page shows the dashboard of the user's area (the new Thái Nguyên) today.
    assert page.locator("[data-testid=dashboard]").count() == 1
    # Pick the former Bắc Kạn, as of 31/12/2021.
    page.select_option("[data-testid=dashboard-area]", str(bac_kan.pk))
    page.select_option("[data-testid=dashboard-year]", "2021")
    page.click("[data-testid=dashboard-show]")
    page.wait_for_url("**/reports/?*")
    assert page.inner_text("[data-testid=products-total]") == "155"
    assert page.inner_text("[data-testid=products-5star]") == "1"
    assert page.inner_text("[data-testid=products-4star]") == "11"
    assert page.inner_text("[data-testid=products-3star]") == "143"
    assert page.inner_text("[data-testid=communes-without]") == "58"
    assert page.inner_text("[data-testid=communes-total]") == "108"
    assert "31/12/2021" in page.inner_text("[data-testid=figures-as-of]")
    # ECharts drew the charts (SVG), and the map its markers on the tile server's background.
    page.wait_for_selector("[data-chart=stars] svg")
    page.wait_for_selector("#communes-map[data-tiles-loaded='1']")
    assert page.get_attribute("#communes-map", "data-markers") == "108"
    assert page.locator("#communes-map path.leaflet-interactive").count() == 108
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-2021.png"), full_page=True)
    page.screenshot(path=str(output_dir / "dashboard-2021.png"), full_page=True)

    # A figure opens its records: the 4★ products on 31/12/2021.
    page.click("[data-testid=figure-stars-4]")
    page.wait_for_url("**/registry/products/?*")
    assert "stars=4" in page.url and "on=2021-12-31" in page.url

    # The map page.
    page.goto(f"{live_server.url}/reports/map/?area={bac_kan.pk}&year=2021")
    page.wait_for_selector("#communes-map[data-tiles-loaded='1']")
    page.locator("#communes-map").screenshot(path=str(SCREENSHOTS / "map-2021.png"))
    page.screenshot(path=str(output_dir / "map-2021.png"), full_page=True)

    # Offline (no tile server reachable): the map gives way to the table of communes.
    page.unroute("http://tiles.ocop.test/**")
    page.route("http://tiles.ocop.test/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/reports/map/?area={bac_kan.pk}&year=2021")
    page.wait_for_selector("#communes-map[data-offline='1']", state="attached")
    assert page.is_visible("[data-testid=communes-table]")
    assert page.locator("[data-testid=communes-table] tr[data-without='1']").count() == 58
