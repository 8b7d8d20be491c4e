"""The planning screens: the list (filters, export, query counts), the plan page (progress per
area with lights and links, the current-commune view, tasks), the targets grid, the records behind
an actual, the indicator library, entered values, and the demo plan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ocop.planning import services
from ocop.planning.models import EnteredValue, Indicator, Plan, PlanTask, Target
from tests.conftest import BAC_KAN_LEGACY, CON_MINH_LEGACY, CON_MINH_NEW, NA_RI, NA_RI_DISTRICT, THAI_NGUYEN

from .factories import indicator, make_plan, set_target
from .helpers import certify, producer, product, unit

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plan(province_admin):
    plan = make_plan(province_admin, BAC_KAN_LEGACY, number="180/KH-UBND")
    set_target(province_admin, plan, "new_products_3star", BAC_KAN_LEGACY, 20)
    set_target(province_admin, plan, "new_products_3star", NA_RI_DISTRICT, 3)
    owner = producer(CON_MINH_LEGACY)
    certify(product(owner, "Miến dong Côn Minh"), 3, D(2024, 4, 1))
    return plan


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"per_page": 100}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/planning/plans/", "/planning/entered/"])
def test_list_queries_do_not_grow_with_rows(client, province_admin, url):
    client.force_login(province_admin)

    def add(n):
        for i in range(n):
            p = make_plan(province_admin, THAI_NGUYEN, number=f"{i}/KH-{n}")
            set_target(province_admin, p, "new_products_3star", THAI_NGUYEN, 1)
            services.add_task(province_admin, p, {"title": "Nhiệm vụ", "responsible": "Sở"})
            services.enter_value(
                province_admin,
                {
                    "indicator": indicator("ocop_workers"),
                    "area": unit(NA_RI),
                    "period_start": D(2025, 7, 1),
                    "period_end": D(2025, 9, 30),
                    "value": i,
                },
            )

    add(1)
    few = _count(client, url)
    add(6)
    assert _count(client, url) <= few


def test_plan_list_filters(client, province_admin, plan):
    other = make_plan(
        province_admin,
        THAI_NGUYEN,
        kind="resolution",
        number="05-NQ/TU",
        period_start=D(2025, 7, 1),
        period_end=D(2026, 12, 31),
    )
    client.force_login(province_admin)

    def listed(**query):
        body = client.get("/planning/plans/", query).content.decode()
        return [p.number for p in (plan, other) if p.number in body]

    assert listed() == ["180/KH-UBND", "05-NQ/TU"]
    assert listed(kind="resolution") == ["05-NQ/TU"]
    assert listed(year=2024) == ["180/KH-UBND"]
    assert listed(year=2026) == ["05-NQ/TU"]
    assert listed(area=unit(BAC_KAN_LEGACY).pk) == ["180/KH-UBND"]
    assert listed(state="in_force") == []
    response = client.get("/planning/plans/", {"export": "csv"})
    assert "180/KH-UBND" in response.content.decode("utf-8-sig")


def test_plan_detail_shows_progress_per_area_with_lights_and_links(client, province_admin, plan):
    client.force_login(province_admin)
    body = client.get(
        reverse("planning:plan_detail", args=[plan.pk]), {"as_of": "2024-12-31"}
    ).content.decode()
    assert 'data-light="red"' in body  # 1 of 20 for the province
    assert 'data-light="amber"' not in body
    assert "Huyện Na Rì" in body and "33.3" in body  # 1 of 3 for the district
    link = (
        "/planning/records/?indicator=new_products_3star&amp;start=2024-01-01&amp;end=2024-12-31"
        f"&amp;area={unit(NA_RI_DISTRICT).pk}"
    )
    assert link in body
    records = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Miến dong Côn Minh" in records and 'data-testid="records-total">1<' in records
    # The same plan by current commune: the legacy Côn Minh's product counts in the new Côn Minh.
    current = client.get(
        reverse("planning:plan_detail", args=[plan.pk]), {"as_of": "2024-12-31", "view": "current"}
    ).content.decode()
    assert 'data-testid="current-breakdown"' in current and unit(CON_MINH_NEW).name in current


def test_progress_export(client, province_admin, plan):
    client.force_login(province_admin)
    url = reverse("planning:plan_progress_export", args=[plan.pk, "xlsx"])
    response = client.get(url, {"as_of": "2024-12-31"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 10 and len(rows) == 3  # the header, the province, the district
    data = {r[3]: r for r in rows[1:]}
    assert data["Huyện Na Rì"][4] == 3 and data["Huyện Na Rì"][6] == 1
    assert data["Tỉnh Bắc Kạn"][4] == 20
    assert client.get(reverse("planning:plan_progress_export", args=[plan.pk, "pdf"])).status_code == 404


def test_target_grid(client, province_admin, plan):
    client.force_login(province_admin)
    url = reverse("planning:plan_targets", args=[plan.pk])
    page = client.get(url).content.decode()
    new = indicator("new_products_3star")
    districts = list(unit(BAC_KAN_LEGACY).children.all())
    assert len(districts) == 8 and all(f'name="t-{new.pk}-{d.pk}"' in page for d in districts)
    linked = indicator("producers_linked")
    province = unit(BAC_KAN_LEGACY)
    # One bad cell: nothing written, the message shown, the entered values kept.
    response = client.post(url, {f"t-{linked.pk}-{province.pk}": "25", f"t-{new.pk}-{province.pk}": "abc"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a number" in body and 'value="25"' in body
    assert not Target.objects.filter(indicator=linked).exists()
    hanoi = unit("2025/01/")
    response = client.post(url, {f"t-{linked.pk}-{hanoi.pk}": "1"})
    assert response.status_code == 400 and "outside the plan&#x27;s area" in response.content.decode()
    response = client.post(url, {f"t-{linked.pk}-{province.pk}": "25", f"t-{new.pk}-{province.pk}": ""})
    assert response.status_code == 302
    assert plan.targets.get(indicator=linked, area=province).value == 25
    assert not plan.targets.filter(indicator=new, area=province).exists()


def test_tasks_through_the_screens(client, province_admin, plan):
    client.force_login(province_admin)
    response = client.post(
        reverse("planning:task_create", args=[plan.pk]),
        {
            "number": "1",
            "title": "Tập huấn",
            "responsible": "VPĐP",
            "deadline": "2024-06-30",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    task = PlanTask.objects.get()
    client.post(
        reverse("planning:task_report", args=[task.pk]),
        {"date": "2024-06-01", "progress": "40", "text": "Hai lớp"},
    )
    task.refresh_from_db()
    assert task.progress == 40 and task.reports.count() == 1
    body = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="overdue"' in body and "Hai lớp" in body
    response = client.post(reverse("planning:task_report", args=[task.pk]), {"progress": "40", "text": ""})
    assert task.reports.count() == 1
    response = client.post(reverse("planning:plan_state", args=[plan.pk, "in-force"]))
    plan.refresh_from_db()
    assert plan.state == "in_force"


def test_plan_forms(client, province_admin):
    client.force_login(province_admin)
    data = {
        "kind": "plan",
        "number": "7/KH-UBND",
        "title": "Kế hoạch OCOP 2026",
        "issuing_body": "UBND tỉnh Thái Nguyên",
        "issued_on": "2026-02-01",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "area": unit(THAI_NGUYEN).pk,
        "legal_bases": "Quyết định 26/2026/QĐ-TTg",
    }
    response = client.post(reverse("planning:plan_create"), {**data, "period_end": "2025-01-01"})
    assert response.status_code == 400 and not Plan.objects.exists()
    response = client.post(reverse("planning:plan_create"), data)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    response = client.post(reverse("planning:plan_edit", args=[plan.pk]), {**data, "title": "Kế hoạch sửa"})
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch sửa"


def test_indicator_library_and_entered_values(client, nari_officer):
    client.force_login(nari_officer)
    body = client.get(reverse("planning:indicator_list")).content.decode()
    for code in Indicator.objects.values_list("code", flat=True):
        assert code in body
    revenue = indicator("ocop_revenue")
    data = {
        "indicator": revenue.pk,
        "area": unit(NA_RI).pk,
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
        "value": "2500000000",
        "note": "Báo cáo xã",
    }
    assert (
        client.post(reverse("planning:entered_create"), {**data, "period_end": "2025-01-01"}).status_code
        == 400
    )
    assert client.post(reverse("planning:entered_create"), data).status_code == 302
    entry = EnteredValue.objects.get()
    assert entry.entered_by == nari_officer and entry.value == 2_500_000_000
    assert "Báo cáo xã" in client.get(reverse("planning:entered_list")).content.decode()


def test_the_demo_plan_loads_and_its_progress_is_computed(province_admin):
    from ocop.planning import demo
    from ocop.planning.selectors import progress

    shown = product(producer(CON_MINH_LEGACY), "Sản phẩm minh họa 001", is_illustrative=True)
    certify(shown, 3, D(2023, 1, 1))
    line = demo.load()
    assert "180/KH-UBND" in line
    shown.refresh_from_db()
    assert shown.traceability_system == demo.TRACE_MARK  # the illustrative registry details
    assert "already loaded" in demo.load()
    plan = demo.demo_plan()
    assert plan.issued_on == D(2024, 3, 22) and len(plan.legal_basis_list) == 4
    assert "MINH HỌA" in plan.note
    province = {
        t.indicator.code: t.value for t in plan.targets.filter(area=plan.area).select_related("indicator")
    }
    assert province == {
        "new_products_3star": 20,
        "producers_strengthened": 8,
        "new_producers": 8,
        "products_traceable": 20,
        "producers_linked": 25,
        "products_advanced_quality": 37,
        "articles_published": 24,
    }
    for code, total in province.items():
        districts = plan.targets.filter(indicator__code=code).exclude(area=plan.area)
        if code != "articles_published":
            assert districts.count() == 8 and sum(t.value for t in districts) == total
    assert plan.tasks.first().responsible == "Văn phòng Điều phối nông thôn mới tỉnh"
    owner = producer(CON_MINH_LEGACY)
    certify(product(owner), 3, D(2024, 4, 1))
    rows = progress(plan, as_of=D(2024, 12, 31))
    traced = next(r for r in rows if r.indicator.code == "products_traceable" and r.area == plan.area)
    assert traced.actual == 1
    assert len(rows) == 7 + 6 * 8
    new = {r.area.path: r for r in rows if r.indicator.code == "new_products_3star"}
    assert new[BAC_KAN_LEGACY].actual == 1 and new[NA_RI_DISTRICT].actual == 1
    demo.reset()
    assert demo.demo_plan() is None and not Target.objects.exists()
    shown.refresh_from_db()
    assert shown.traceability_system == "" and not shown.standards.exists()


def test_records_of_communes_and_of_the_whole_country(client, province_admin, admin_user):
    certify(product(producer(CON_MINH_LEGACY)), 3, D(2023, 1, 1))
    client.force_login(province_admin)
    query = {"indicator": "communes_with_product", "start": "2024-01-01", "end": "2024-12-31"}
    body = client.get("/planning/records/", {**query, "area": unit(NA_RI_DISTRICT).pk}).content.decode()
    assert unit(CON_MINH_LEGACY).name in body and 'data-testid="records-total">1<' in body
    assert client.get("/planning/records/", query).status_code == 403  # the whole country
    assert client.get("/planning/records/", {**query, "indicator": "nope"}).status_code == 404
    assert client.get("/planning/records/", {**query, "end": "2023-01-01"}).status_code == 404
    client.force_login(admin_user)
    body = client.get("/planning/records/", query).content.decode()
    assert unit(CON_MINH_NEW).name in body


def test_the_forms_render_with_their_values(client, province_admin, plan):
    task = services.add_task(
        province_admin, plan, {"title": "Nhiệm vụ tuyên truyền", "responsible": "Sở VHTTDL"}
    )
    client.force_login(province_admin)
    edit = client.get(reverse("planning:plan_edit", args=[plan.pk])).content.decode()
    assert 'value="180/KH-UBND"' in edit and 'value="2024-01-01"' in edit
    assert (
        "Nhiệm vụ tuyên truyền" in client.get(reverse("planning:task_edit", args=[task.pk])).content.decode()
    )
    for name, args in (
        ("planning:task_create", [plan.pk]),
        ("planning:plan_create", []),
        ("planning:entered_create", []),
    ):
        assert 'data-testid="object-form"' in client.get(reverse(name, args=args)).content.decode(), name
    grid = client.get(
        reverse("planning:plan_targets", args=[plan.pk]), {"add_area": unit(CON_MINH_LEGACY).pk}
    )
    assert unit(CON_MINH_LEGACY).name in grid.content.decode()
    # An area outside the plan is not offered as a column.
    grid = client.get(reverse("planning:plan_targets", args=[plan.pk]), {"add_area": unit("2025/01/").pk})
    assert unit("2025/01/").name not in grid.content.decode().split('data-testid="target-grid"')[1]
