"""The UI shell: language, navigation by role, background tasks with progress, user admin forms."""

import pytest

from ocop.accounts.models import RoleAssignment, User
from ocop.core.models import TaskProgress
from tests.conftest import CHO_DON, HA_NOI, NA_RI

pytestmark = pytest.mark.django_db


def test_vietnamese_is_the_default_and_english_is_available(client, nari_officer):
    client.force_login(nari_officer)
    vi = client.get("/places/").content.decode()
    assert 'lang="vi"' in vi and "Đơn vị hành chính" in vi
    client.post("/i18n/setlang/", {"language": "en", "next": "/places/"})
    en = client.get("/places/").content.decode()
    assert 'lang="en"' in en and "Administrative units" in en


def test_menu_follows_the_role(client, nari_officer, db):
    from tests.factories import make_user

    client.force_login(nari_officer)
    officer_menu = client.get("/").context["ocop_menu"]
    producer = make_user("htx.b", "producer", CHO_DON)
    client.force_login(producer)
    producer_menu = client.get("/").context["ocop_menu"]

    def labels(menu):
        return {str(i["label"]) for g in menu for i in g["items"]}

    assert "Nhật ký hệ thống" in labels(officer_menu)
    assert "Nhật ký hệ thống" not in labels(producer_menu)
    assert "Đơn vị hành chính" in labels(producer_menu)


def test_the_kept_menu_follows_a_new_role_at_once_and_the_language(client, settings, province_admin):
    """The menu is kept under the data version: a second page asks neither permissions nor the
    council; a role granted (an audited write) shows at once; English has its own labels."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ocop.accounts import services
    from ocop.accounts.models import Role
    from tests.factories import make_user

    settings.OCOP_DATA_CACHE_SECONDS = 300
    cache.clear()
    user = make_user("htx.menu", "producer", CHO_DON)
    client.force_login(user)

    def labels():
        with CaptureQueriesContext(connection) as ctx:
            menu = client.get("/").context["ocop_menu"]
            names = {i["label"] for g in menu for i in g["items"]}
        council = [q for q in ctx.captured_queries if "evaluation_councilmember" in q["sql"]]
        return names, len(council)

    first, _ = labels()
    again, council_queries = labels()
    assert again == first and "Nhật ký hệ thống" not in first
    assert council_queries == 0
    services.grant_role(
        province_admin, user, Role.objects.get(code="province_officer"), province_admin_area(province_admin)
    )
    granted, _ = labels()
    assert "Hồ sơ sản phẩm" in granted and "Hồ sơ sản phẩm" not in first
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english, _ = labels()
    assert "Product dossiers" in english
    cache.clear()


def province_admin_area(admin):
    return admin.role_assignments.select_related("area").first().area


def test_reload_units_runs_as_a_background_task_with_progress(client, admin_user, nari_officer):
    client.force_login(admin_user)
    response = client.post("/places/reload/")
    assert response.status_code == 302
    progress = TaskProgress.objects.get(owner=admin_user)
    assert progress.state == TaskProgress.State.DONE and progress.percent == 100
    assert progress.result["created"] == 0 and progress.result["updated"] == 0
    page = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'data-state="done"' in page.content.decode()
    # Somebody else's task is not visible; a non-admin cannot start one.
    client.force_login(nari_officer)
    assert client.get(response["Location"]).status_code == 404
    assert client.post("/places/reload/").status_code == 403


def test_a_running_task_page_polls_itself(client, nari_officer):
    progress = TaskProgress.objects.create(
        owner=nari_officer, label="Nhập dữ liệu", done=30, total=120, state=TaskProgress.State.RUNNING
    )
    client.force_login(nari_officer)
    text = client.get(f"/tasks/{progress.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in text and "25%" in text


def test_province_admin_creates_a_user_through_the_form(client, province_admin, unit):
    client.force_login(province_admin)
    form = client.get("/accounts/users/new/").content.decode()
    assert 'name="area"' in form and "data-area-picker" in form
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "xa.nari.2",
            "full_name": "Lương Thị Mai",
            "email": "mai@example.vn",
            "password": "Mat-khau-manh-2026",
            "role": RoleAssignment._meta.get_field("role")
            .related_model.objects.get(code="commune_officer")
            .pk,
            "area": unit(NA_RI).pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="xa.nari.2")
    assert user.role_assignments.get().area == unit(NA_RI)


def test_user_form_errors_are_shown_in_vietnamese_and_nothing_is_written(client, province_admin, unit):
    client.force_login(province_admin)
    role = RoleAssignment._meta.get_field("role").related_model.objects.get(code="commune_officer")
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "ngoai.tinh",
            "full_name": "A",
            "password": "Mat-khau-manh-2026",
            "role": role.pk,
            "area": unit(HA_NOI).pk,
        },
    )
    assert response.status_code == 400
    assert "nằm ngoài địa bàn của bạn" in response.content.decode()
    response = client.post(
        "/accounts/users/new/",
        {"username": "x", "full_name": "", "password": "1", "role": role.pk, "area": 999999999},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"full_name", "area"} <= set(errors)
    assert not User.objects.filter(username__in=["ngoai.tinh", "x"]).exists()


def test_area_picker_search_returns_choices(client, province_admin):
    client.force_login(province_admin)
    text = client.get("/places/search/", {"field": "area", "area_search": "na ri"}).content.decode()
    assert "data-area-choice" in text and "Xã Na Rì" in text


def test_profile_shows_scope_and_creates_a_token_once(client, nari_officer):
    client.force_login(nari_officer)
    page = client.get("/accounts/me/").content.decode()
    assert "Xã Na Rì" in page
    response = client.post("/accounts/me/tokens/", {"name": "báo cáo tháng"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("ocop_") and raw in response.content.decode()
    assert raw not in client.get("/accounts/me/").content.decode()


def test_health_endpoint(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_responses_carry_a_request_id_that_the_audit_trail_keeps(client, nari_officer):
    from ocop.audit.models import AuditEvent

    response = client.post(
        "/accounts/login/",
        {"username": "xa.nari", "password": "wrong"},
        headers={"X-Request-ID": "req-12345"},
    )
    assert response["X-Request-ID"] == "req-12345"
    assert AuditEvent.objects.filter(action="login_failed", request_id="req-12345").exists()


def test_home_shows_the_home_area_and_its_former_provinces(client, nari_officer, settings):
    settings.OCOP_HOME_AREA = "19"
    client.force_login(nari_officer)
    response = client.get("/")
    assert response.context["home_area"].name == "Tỉnh Thái Nguyên"
    assert {p.name for p in response.context["former_provinces"]} == {"Tỉnh Bắc Kạn", "Tỉnh Thái Nguyên"}
    settings.OCOP_HOME_AREA = "VN"
    assert client.get("/").context["home_area"] is None


def test_pages_are_vietnamese_whatever_the_browser_says_until_the_user_switches(client, nari_officer):
    client.force_login(nari_officer)
    page = client.get("/places/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in page
    api = client.get("/api/v1/places/99999999", headers={"Accept-Language": "en"}).json()
    assert api["detail"] == "Not found."
    assert client.get("/api/v1/places/99999999").json()["detail"] == "Không tìm thấy."


def test_active_filter_reads_all_yes_no(client, province_admin, nari_officer):
    from ocop.accounts import services

    services.set_active(province_admin, nari_officer, False)
    client.force_login(province_admin)
    form = client.get("/accounts/users/").content.decode()
    assert "Tất cả" in form
    inactive = client.get("/accounts/users/", {"is_active": "false"}).context["rows"]
    assert [r["object"].username for r in inactive] == ["xa.nari"]


def test_client_address_behind_the_proxy_is_audited(client, nari_officer, settings):
    from ocop.audit.models import AuditEvent

    settings.OCOP_TRUST_X_FORWARDED_FOR = True
    client.post(
        "/accounts/login/",
        {"username": "xa.nari", "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7"},
    )
    assert "ip=198.51.100.7" in AuditEvent.objects.filter(action="login_failed").latest("seq").message


def test_our_own_static_files_are_found():
    from django.contrib.staticfiles import finders

    assert finders.find("ocop/ocop.css") and finders.find("ocop/ocop.js")
    assert finders.find("vendor/tabler/css/tabler.min.css") and finders.find("vendor/htmx/htmx.min.js")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/places/", {"parent": "9" * 25, "q": "x" * 500, "per_page": "abc", "page": "-1"}),
        ("/places/", {"valid_on": "2025-13-45", "sort": "-nonexistent"}),
        ("/accounts/users/", {"role": "9" * 25, "is_active": "maybe"}),
        ("/places/successions/", {"province": "abc"}),
        ("/places/9999999999999999999999/", {}),
        ("/api/v1/places/9999999999999999999999", {}),
        ("/audit/", {"since": "hôm qua", "action": "nope"}),
    ],
)
def test_malformed_input_never_breaks_a_page(client, admin_user, url, params):
    client.force_login(admin_user)
    response = client.get(url, params)
    assert response.status_code in (200, 404)
    if url.startswith("/api/"):
        assert response.json()["detail"]
