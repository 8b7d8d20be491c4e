"""Browsing and searching places in the UI; exports of the same filtered list."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.conftest import BAC_KAN_LEGACY, CON_MINH_LEGACY, CON_MINH_NEW, THAI_NGUYEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, nari_officer):
    client.force_login(nari_officer)
    return client


def test_search_without_diacritics_finds_cho_don(officer_client):
    response = officer_client.get("/places/search/", {"q": "cho don"})
    text = response.content.decode()
    assert "Huyện Chợ Đồn" in text and "Xã Chợ Đồn" in text
    assert "Tỉnh Bắc Kạn" in text  # the legacy district's province is shown for context


def test_search_needs_every_word_and_matches_the_parent_too(officer_client):
    text = officer_client.get("/places/search/", {"q": "con minh na ri"}).content.decode()
    assert "Xã Côn Minh" in text and "Xã Na Rì" not in text


def test_search_ranks_name_matches_before_parent_matches(officer_client):
    response = officer_client.get("/places/search/", {"q": "cho don"})
    names = [u.name for u in response.context["results"]]
    assert names[:2] == ["Huyện Chợ Đồn", "Xã Chợ Đồn"]
    assert "Xã Bằng Lãng" in names  # a legacy commune of Huyện Chợ Đồn, matched through its parent


def test_list_filters_by_edition_and_date(officer_client, unit):
    response = officer_client.get(
        "/places/", {"edition": "legacy", "parent": unit(BAC_KAN_LEGACY).pk, "level": 2}
    )
    assert response.context["paginator"].count == 8
    on_2026 = officer_client.get("/places/", {"valid_on": "2026-01-01", "level": 1})
    assert on_2026.context["paginator"].count == 34
    on_2024 = officer_client.get("/places/", {"valid_on": "2024-06-01", "level": 1})
    assert on_2024.context["paginator"].count == 63


def test_invalid_filter_gives_an_empty_list_and_a_message(officer_client):
    response = officer_client.get("/places/", {"valid_on": "31/02/2025", "level": 9})
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    assert response.context["filterset"].errors


def test_htmx_gets_only_the_table(officer_client):
    response = officer_client.get(
        "/places/", {"q": "na ri"}, headers={"HX-Request": "true", "HX-Target": "object-table"}
    )
    text = response.content.decode()
    assert "<html" not in text and 'data-testid="object-table"' in text
    assert "Huyện Na Rì" in text


def test_sorting_by_a_column(officer_client, unit):
    response = officer_client.get(
        "/places/", {"parent": unit(BAC_KAN_LEGACY).pk, "level": 2, "sort": "-name"}
    )
    names = [row["object"].name for row in response.context["rows"]]
    assert names == sorted(names, reverse=True)


def test_detail_shows_successors_and_predecessors(officer_client, unit):
    legacy = officer_client.get(f"/places/{unit(CON_MINH_LEGACY).pk}/").content.decode()
    assert "Xã Côn Minh" in legacy and "Huyện Na Rì" in legacy
    assert f'href="/places/{unit(CON_MINH_NEW).pk}/"' in legacy
    new = officer_client.get(f"/places/{unit(CON_MINH_NEW).pk}/")
    assert unit(CON_MINH_LEGACY) in [s.predecessor for s in new.context["predecessions"]]


def test_unknown_place_is_a_404(officer_client):
    assert officer_client.get("/places/99999999/").status_code == 404


def test_csv_export_has_vietnamese_headers_and_diacritics(officer_client, unit):
    response = officer_client.get(
        "/places/", {"parent": unit(BAC_KAN_LEGACY).pk, "level": 2, "export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã", "Tên"]
    assert len(rows) == 1 + 8
    assert "Huyện Chợ Đồn" in {r[1] for r in rows}
    assert "30/06/2025" in rows[1]


def test_xlsx_export_is_the_same_filtered_list(officer_client, unit):
    response = officer_client.get("/places/", {"parent": unit(THAI_NGUYEN).pk, "q": "xa", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Mã", "Tên", "Loại"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Xã Côn Minh" in names and all(n.startswith("Xã") for n in names)
    assert sheet.cell(row=2, column=6).number_format == "dd/mm/yyyy"  # "Valid from" is a real date


def test_export_is_audited(officer_client, nari_officer):
    from ocop.audit.models import AuditEvent

    officer_client.get("/places/", {"q": "na ri", "export": "csv"})
    event = AuditEvent.objects.filter(action="export", actor=nari_officer).get()
    assert "csv" in event.message and "q=na+ri" in event.message


@pytest.mark.parametrize("url", ["/places/", "/places/successions/", "/accounts/users/", "/audit/"])
def test_list_query_count_does_not_grow_with_page_size(client, admin_user, url):
    client.force_login(admin_user)
    counts = []
    for per_page in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": per_page}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_words_match_from_their_start(officer_client):
    names = [u.name for u in officer_client.get("/places/search/", {"q": "na ri"}).context["results"]]
    assert "Xã Na Rì" in names and "Huyện Na Rì" in names
    assert not any("Triệu" in n for n in names)  # "ri" must start a word
    by_code = officer_client.get("/places/search/", {"q": "02185"}).context["results"]
    assert "Xã Côn Minh" in [u.name for u in by_code] and {u.code for u in by_code} == {"02185"}
