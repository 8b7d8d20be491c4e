"""A person signs in, sees their scope and finds a place by typing without diacritics."""

import pytest

from tests.conftest import NA_RI
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_scope_and_place_search(units_loaded, live_server, page, output_dir):
    make_user("xa.nari", "commune_officer", NA_RI, full_name="Hoàng Văn Đức")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url  # everything needs a sign-in

    # A wrong password first: a clear message in Vietnamese, still on the login page.
    page.fill("input[name=username]", "xa.nari")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("form[data-testid=login-form] button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.inner_text("[data-testid=form-errors]")

    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    scope = page.inner_text("[data-testid=my-scope]")
    assert "Xã Na Rì" in scope and "Cán bộ cấp xã" in scope

    page.goto(f"{live_server.url}/places/")
    page.fill("[data-testid=place-search]", "cho don")
    results = page.locator("[data-testid=place-results] [data-testid=place-result]")
    results.first.wait_for()
    names = results.all_inner_texts()
    assert "Huyện Chợ Đồn" in names[0] and "Xã Chợ Đồn" in names[1]
    page.screenshot(path=str(output_dir / "place-search.png"), full_page=True)

    results.first.click()
    page.wait_for_url("**/places/*/")
    assert "Huyện Chợ Đồn" in page.inner_text("h1")
    assert "Tỉnh Bắc Kạn" in page.inner_text(".breadcrumb")
    page.screenshot(path=str(output_dir / "place-detail.png"), full_page=True)

    # The htmx-driven table: filter the list and page through it without a full reload.
    page.goto(f"{live_server.url}/places/?q=na+ri")
    table = page.locator("[data-testid=object-table]")
    assert "Huyện Na Rì" in table.inner_text()
    assert (output_dir / "place-search.png").stat().st_size > 10_000
