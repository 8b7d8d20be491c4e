"""Criteria screens and API: rule versions and sheets for every signed-in user, export, the import →
preview → publish flow for the coordination office (a new version, the old one kept), refusals,
and query counts that do not grow with the number of sheets or criteria."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ocop.audit.models import AuditEvent
from ocop.evaluation import sheet_io
from ocop.evaluation.models import ScoreSheet
from ocop.evaluation.sheets import export_sheet, import_sheet
from tests.conftest import CHO_DON
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    settings.OCOP_IMPORT_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


def current(code="rau-cu-qua-hat-tuoi", rule_code="26-2026"):
    return ScoreSheet.objects.select_related("rule_version", "product_set").get(
        rule_version__code=rule_code, code=code, superseded_by__isnull=True
    )


def corrected_workbook(sheet) -> bytes:
    """The sheet's workbook with the text of option 1 of criterion 1.3 corrected."""
    book = load_workbook(io.BytesIO(sheet_io.build_xlsx(sheet)))
    ws = book["Tiêu chí"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "1.3":
            row[5].value = row[5].value + " (bản sửa)"
            break
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, rule="26-2026", name="phieu.xlsx"):
    return client.post(
        "/evaluation/criteria/import/",
        {"rule_version": rule, "file": SimpleUploadedFile(name, content)},
    )


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


# --- Reading ----------------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_rule_versions_and_sheets(client, chodon_officer):
    client.force_login(chodon_officer)
    page = client.get("/evaluation/criteria/")
    assert page.status_code == 200
    body = page.content.decode()
    for decision in ("26/2026/QĐ-TTg", "148/QĐ-TTg", "1048/QĐ-TTg"):
        assert decision in body
    assert "A: 40 · B: 25 · C: 35" in body and "A: 35 · B: 25 · C: 40" in body
    assert body.count('href="/evaluation/criteria/sheets/') == 27
    assert 'data-testid="sheet-import"' not in body  # no import for a commune officer
    sheet = current()
    detail = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Nguồn gốc sản phẩm" in text and "Yêu cầu: 100% sản phẩm được trồng trên địa bàn cấp tỉnh" in text
    assert "Hồ sơ bị loại khi: Giả mạo hồ sơ" in text
    assert 'data-testid="publish-correction"' not in text


def test_the_1048_sheet_shows_its_discrepancy(client, chodon_officer):
    client.force_login(chodon_officer)
    sheet = current(rule_code="1048-2019")
    body = client.get("/evaluation/criteria/").content.decode()
    assert 'data-testid="discrepancy-badge"' in body
    page = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/").content.decode()
    assert 'data-testid="discrepancies"' in page
    start = page.index('data-testid="discrepancies"')
    box = page[start : page.index("</ul>", start)]
    assert "36" in box and "35" in box
    badge = page[page.index('data-testid="part-maximum-A"') :][:200]
    assert (
        "35" in badge
        and "36" in badge
        and "bg-orange" in page[page.index('data-testid="part-maximum-A"') - 60 :][:60]
    )


def test_exports_download_the_json_tree_and_the_workbook(client, chodon_officer):
    client.force_login(chodon_officer)
    sheet = current()
    response = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/export.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "26-2026-rau-cu-qua-hat-tuoi-v1.json" in response["Content-Disposition"]
    assert json.loads(response.content) == export_sheet(sheet)
    response = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/export.xlsx")
    assert response.status_code == 200
    assert sheet_io.read_upload(response.content).data == export_sheet(sheet)
    assert client.get(f"/evaluation/criteria/sheets/{sheet.pk}/export.csv").status_code == 404
    assert client.get("/evaluation/criteria/sheets/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    sheet = current()
    for url in (
        "/evaluation/criteria/",
        f"/evaluation/criteria/sheets/{sheet.pk}/",
        f"/evaluation/criteria/sheets/{sheet.pk}/export.xlsx",
        "/evaluation/criteria/import/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# --- Publishing ---------------------------------------------------------------------------------------


def test_the_office_publishes_a_corrected_sheet_as_version_2(client, province_admin):
    client.force_login(province_admin)
    sheet = current()
    page = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/").content.decode()
    assert 'data-testid="publish-correction"' in page
    assert client.get("/evaluation/criteria/import/?rule=26-2026").status_code == 200
    token = token_of(upload(client, corrected_workbook(sheet)))

    preview = client.get(f"/evaluation/criteria/import/{token}/")
    assert preview.status_code == 200
    body = preview.content.decode()
    assert 'data-testid="publish-form"' in body and 'data-testid="problems"' not in body
    assert preview.context["diff"] == [
        {
            "kind": "changed",
            "where": "A 1.3",
            "what": preview.context["diff"][0]["what"],
            "before": "Sơ chế (rửa, làm sạch, phân loại, đóng gói...) thủ công",
            "after": "Sơ chế (rửa, làm sạch, phân loại, đóng gói...) thủ công (bản sửa)",
        }
    ]
    assert "(bản sửa)" in body  # the parsed tree is shown

    before = ScoreSheet.objects.count()
    refused = client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": ""})
    assert refused.status_code == 400 and ScoreSheet.objects.count() == before  # a note is needed

    response = client.post(
        f"/evaluation/criteria/import/{token}/publish/",
        {"note": "Sửa lỗi chính tả ở tiêu chí 1.3", "rule_version": "1048-2019", "product_set": "9"},
    )
    new = ScoreSheet.objects.get(rule_version__code="26-2026", code=sheet.code, version=2)
    assert response.status_code == 302 and response["Location"] == f"/evaluation/criteria/sheets/{new.pk}/"
    sheet.refresh_from_db()
    assert sheet.superseded_by == new and new.superseded_by is None
    assert (new.name, new.product_set, new.note) == (
        sheet.name,
        sheet.product_set,
        "Sửa lỗi chính tả ở tiêu chí 1.3",
    )
    assert ScoreSheet.objects.count() == before + 1
    event = AuditEvent.objects.filter(object_type="evaluation.scoresheet", object_id=str(new.pk)).get()
    assert event.action == "import" and event.actor == province_admin

    # publishing the same upload again creates nothing
    again = client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "lần nữa"})
    assert again.status_code == 302 and ScoreSheet.objects.count() == before + 1

    old_page = client.get(f"/evaluation/criteria/sheets/{sheet.pk}/").content.decode()
    assert 'data-testid="superseded-note"' in old_page and 'data-testid="publish-correction"' not in old_page
    new_page = client.get(f"/evaluation/criteria/sheets/{new.pk}/").content.decode()
    assert "(bản sửa)" in new_page and "Sửa lỗi chính tả ở tiêu chí 1.3" in new_page
    listing = client.get("/evaluation/criteria/").content.decode()
    assert f'href="/evaluation/criteria/sheets/{sheet.pk}/">v1</a>' in listing  # the old version is reachable


def test_an_unchanged_file_has_nothing_to_publish(client, province_admin):
    client.force_login(province_admin)
    sheet = current()
    token = token_of(upload(client, json.dumps(export_sheet(sheet)).encode(), name="phieu.json"))
    preview = client.get(f"/evaluation/criteria/import/{token}/")
    assert 'data-testid="unchanged"' in preview.content.decode()
    before = ScoreSheet.objects.count()
    assert client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "x"}).status_code == 400
    assert ScoreSheet.objects.count() == before


def test_a_sheet_that_does_not_add_up_cannot_be_published(client, province_admin):
    client.force_login(province_admin)
    data = export_sheet(current())
    data["sections"][2]["criteria"][0]["children"][0]["options"][-1]["points"] += 1
    token = token_of(upload(client, json.dumps(data).encode(), name="phieu.json"))
    preview = client.get(f"/evaluation/criteria/import/{token}/")
    body = preview.content.decode()
    assert 'data-testid="preview-discrepancies"' in body and 'data-testid="publish-blocked"' in body
    assert any("36" in d and "35" in d for d in preview.context["discrepancies"])
    before = ScoreSheet.objects.count()
    response = client.post(
        f"/evaluation/criteria/import/{token}/publish/", {"note": "x", "allow_discrepancy": "on"}
    )
    assert response.status_code == 400 and ScoreSheet.objects.count() == before


def test_problems_in_a_workbook_are_listed_by_sheet_row_and_column(client, province_admin):
    client.force_login(province_admin)
    book = load_workbook(io.BytesIO(sheet_io.build_xlsx(current())))
    book["Tiêu chí"]["G5"] = "ba điểm"
    out = io.BytesIO()
    book.save(out)
    token = token_of(upload(client, out.getvalue()))
    preview = client.get(f"/evaluation/criteria/import/{token}/")
    problems = preview.context["file_problems"]
    assert [(p["sheet"], p["row"], p["column"], p["code"]) for p in problems] == [
        ("Tiêu chí", 5, "Điểm", "bad_number")
    ]
    assert "ba điểm" in preview.content.decode()
    before = ScoreSheet.objects.count()
    assert client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "x"}).status_code == 400
    assert ScoreSheet.objects.count() == before


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "rong.xlsx"),
        (b"not a sheet at all", "x.xlsx"),
        (b"[1, 2]", "ca-bo.json"),
        (b"PK\x03\x04xx", "hong.xlsx"),
    ],
)
def test_unreadable_uploads_are_refused_on_the_form(client, province_admin, content, name, private_uploads):
    client.force_login(province_admin)
    before = ScoreSheet.objects.count()
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert ScoreSheet.objects.count() == before
    assert not private_uploads.exists() or not any(private_uploads.rglob("*.upload"))


def test_the_upload_is_kept_outside_the_served_media(client, province_admin, private_uploads, settings):
    client.force_login(province_admin)
    token = token_of(upload(client, corrected_workbook(current())))
    files = list(private_uploads.rglob("*.upload"))
    assert len(files) == 1
    assert not str(files[0]).startswith(str(settings.MEDIA_ROOT))
    assert token not in str(files[0])  # named by an HMAC of the token


def test_a_commune_officer_may_not_import_or_publish(client, chodon_officer, province_admin):
    client.force_login(province_admin)
    token = token_of(upload(client, corrected_workbook(current())))
    client.force_login(chodon_officer)
    before = ScoreSheet.objects.count()
    assert client.get("/evaluation/criteria/import/").status_code == 403
    assert upload(client, corrected_workbook(current())).status_code == 403
    assert client.get(f"/evaluation/criteria/import/{token}/").status_code == 403
    assert client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "x"}).status_code == 403
    assert ScoreSheet.objects.count() == before


def test_another_administrator_cannot_open_or_publish_my_upload(client, province_admin):
    client.force_login(province_admin)
    token = token_of(upload(client, corrected_workbook(current())))
    other = make_user("hn.vpdp", "province_admin", "2025/01/")
    client.force_login(other)
    assert client.get(f"/evaluation/criteria/import/{token}/").status_code == 404
    assert client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "x"}).status_code == 404
    assert client.get("/evaluation/criteria/import/not-a-token/").status_code == 404


def test_a_historical_sheet_may_be_corrected_with_its_discrepancy_recorded(client, province_admin):
    client.force_login(province_admin)
    sheet = current(rule_code="1048-2019")
    data = export_sheet(sheet)
    data["disqualifiers"] = ["Hồ sơ bị loại khi: giả mạo hồ sơ"]
    token = token_of(upload(client, json.dumps(data).encode(), rule="1048-2019", name="1048.json"))
    preview = client.get(f"/evaluation/criteria/import/{token}/")
    assert preview.context["allow_possible"] and preview.context["can_publish"]
    before = ScoreSheet.objects.count()
    assert (
        client.post(f"/evaluation/criteria/import/{token}/publish/", {"note": "bổ sung"}).status_code == 400
    )
    assert ScoreSheet.objects.count() == before  # not without saying so
    response = client.post(
        f"/evaluation/criteria/import/{token}/publish/", {"note": "bổ sung", "allow_discrepancy": "on"}
    )
    assert response.status_code == 302
    new = current(rule_code="1048-2019")
    assert (
        new.version == 2
        and new.discrepancies == sheet.discrepancies
        and new.disqualifiers == data["disqualifiers"]
    )


# --- API ----------------------------------------------------------------------------------------------


def test_api_lists_rules_and_sheets_and_gives_the_tree(client, chodon_officer):
    client.force_login(chodon_officer)
    rules = client.get("/api/v1/criteria/rules").json()
    assert rules["count"] == 3
    rule = next(r for r in rules["items"] if r["code"] == "26-2026")
    assert rule["part_maxima"] == {"A": 40, "B": 25, "C": 35} or rule["part_maxima"] == {
        "A": "40",
        "B": "25",
        "C": "35",
    }
    assert rule["province_stars"] == [3, 4] and rule["ministry_stars"] == [5]
    assert client.get("/api/v1/criteria/rules/1048-2019").json()["decision"] == "1048/QĐ-TTg"
    assert client.get("/api/v1/criteria/rules/nope").status_code == 404

    listing = client.get("/api/v1/criteria/sheets", {"rule_version": "26-2026", "page_size": 100}).json()
    assert listing["count"] == 26 and all(s["is_current"] for s in listing["items"])
    one = client.get("/api/v1/criteria/sheets", {"rule_version": "26-2026", "product_set": "7"}).json()
    assert [s["code"] for s in one["items"]] == ["che-bien-tu-rau-cu-qua-hat"]
    legacy = client.get("/api/v1/criteria/sheets", {"rule_version": "1048-2019"}).json()["items"]
    assert legacy[0]["discrepancies"] and legacy[0]["product_set"]["code"] == "1"

    sheet = current()
    tree = client.get(f"/api/v1/criteria/sheets/{sheet.pk}").json()
    assert tree == export_sheet(sheet)
    assert client.get("/api/v1/criteria/sheets/999999").status_code == 404


def test_api_lists_superseded_versions_on_request(client, chodon_officer):
    sheet = current()
    data = export_sheet(sheet)
    data["disqualifiers"] = [*data["disqualifiers"], "Hồ sơ bị loại khi: thêm"]
    new = import_sheet(sheet.rule_version, data, name=sheet.name, product_set=sheet.product_set)
    client.force_login(chodon_officer)
    old = client.get(
        "/api/v1/criteria/sheets", {"code": sheet.code, "rule_version": "26-2026", "current": "false"}
    ).json()["items"]
    assert [(s["id"], s["superseded_by_id"], s["is_current"]) for s in old] == [(sheet.pk, new.pk, False)]
    both = client.get("/api/v1/criteria/sheets", {"code": sheet.code, "rule_version": "26-2026"}).json()[
        "items"
    ]
    assert [s["version"] for s in both] == [2, 1]


def test_api_needs_authentication(client):
    assert client.get("/api/v1/criteria/rules").status_code == 401
    assert client.get("/api/v1/criteria/sheets").status_code == 401
    assert client.get(f"/api/v1/criteria/sheets/{current().pk}").status_code == 401


# --- Query counts -------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_rule_list_queries_do_not_grow_with_the_number_of_sheets(client, chodon_officer):
    client.force_login(chodon_officer)
    client.get("/evaluation/criteria/")  # warm the session and scope caches
    before = _count(client, "/evaluation/criteria/")
    for sheet in list(ScoreSheet.objects.select_related("rule_version").filter(rule_version__code="26-2026"))[
        :3
    ]:
        data = export_sheet(sheet)
        data["disqualifiers"] = [*data["disqualifiers"], f"thêm {sheet.code}"]
        import_sheet(sheet.rule_version, data, name=sheet.name, product_set=sheet.product_set)
    assert ScoreSheet.objects.count() == 30
    assert _count(client, "/evaluation/criteria/") == before


def test_sheet_detail_queries_do_not_grow_with_the_number_of_criteria(client, chodon_officer):
    client.force_login(chodon_officer)
    sheets = sorted(ScoreSheet.objects.filter(rule_version__code="26-2026"), key=lambda s: s.criteria.count())
    small, large = sheets[0], sheets[-1]
    assert large.criteria.count() > small.criteria.count() + 5
    client.get(f"/evaluation/criteria/sheets/{small.pk}/")
    assert _count(client, f"/evaluation/criteria/sheets/{small.pk}/") == _count(
        client, f"/evaluation/criteria/sheets/{large.pk}/"
    )
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/api/v1/criteria/sheets/{large.pk}")
    assert len(ctx.captured_queries) <= 10


def test_other_communes_officer_is_no_different(client):
    """Criteria are reference data: the same page for every area."""
    officer = make_user("xa.khac", "commune_officer", CHO_DON)
    client.force_login(officer)
    assert client.get("/evaluation/criteria/").status_code == 200
