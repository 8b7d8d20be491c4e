"""Periodic reports: the figures inside the generated .docx and .xlsx, byte-for-byte
reproducibility (only the generation time differs), validation (scope, empty periods) with
nothing written, replaceable templates, downloads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from ocop.certification.models import Certificate
from ocop.core.models import TaskProgress
from ocop.geo.selectors import within
from ocop.reporting import reports, services
from ocop.reporting.models import Report, ReportState
from tests.conftest import BAC_KAN_LEGACY, CHO_DON, NA_RI, THAI_NGUYEN

from .helpers import products

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reports_dir(settings, tmp_path):
    settings.OCOP_REPORTS_DIR = str(tmp_path / "reports")
    return tmp_path / "reports"


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def new_in(area, start, end) -> int:
    """Products whose first 3★+ certificate was issued in the period, counted independently."""
    firsts = (
        Certificate.objects.filter(within(area, "product__commune__"), stars__gte=3)
        .values("product_id")
        .annotate(first=Min("issued_on"))
    )
    return sum(1 for r in firsts if start <= r["first"] <= end)


def test_the_annual_report_of_2021_holds_the_published_figures(demo_registry, province_officer, bac_kan):
    report = services.request_report(province_officer, {"kind": "annual", "area": bac_kan, "year": 2021})
    report.refresh_from_db()
    assert report.state == ReportState.DONE and report.task.state == TaskProgress.State.DONE
    assert (report.start, report.end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    new_2021 = new_in(bac_kan, report.start, report.end)
    assert new_2021 > 0

    text = docx_text(report.docx.read())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH BẮC KẠN" in text and "Số:" in text and "/BC-UBND" in text and "Nơi nhận:" in text
    assert "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) năm 2021" in text
    assert (
        "Tính đến ngày 31/12/2021, toàn tỉnh có 155 sản phẩm OCOP còn hiệu lực (gồm 01 sản phẩm 5 sao, "
        "11 sản phẩm 4 sao, 143 sản phẩm 3 sao)." in text
    )
    assert "Số xã chưa có sản phẩm OCOP: 58/108 xã." in text
    assert f"Trong kỳ có {reports.two(new_2021)} sản phẩm được công nhận mới" in text
    assert "Cuối kỳ (31/12/2021) | 1 | 11 | 143 | 155" in text
    assert "Số liệu trích từ Hệ thống thông tin OCOP lúc" in text

    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    assert wb.sheetnames == ["Phụ lục 1", "Phụ lục 2", "Thông tin"]
    p1 = list(wb["Phụ lục 1"].iter_rows(min_row=6, values_only=True))
    assert p1[-1][1] == "Tổng cộng" and p1[-1][5] == new_2021
    assert sum(r[5] for r in p1[:-1]) == new_2021
    p2 = list(wb["Phụ lục 2"].iter_rows(min_row=6, values_only=True))
    assert p2[-1][1:6] == ("Tổng cộng", 1, 11, 143, 155)
    assert sum(r[5] for r in p2[:-1]) == 155
    districts = {r[1] for r in p2[:-1]}
    assert "Huyện Na Rì" in districts and all(n.startswith(("Huyện", "Thành phố")) for n in districts)
    assert wb["Phụ lục 1"]["A1"].value == "PHỤ LỤC 1"
    assert report.pdf.read().startswith(b"%PDF-")


def test_the_same_report_is_byte_for_byte_reproducible(province_admin, unit):
    issued = dt.date(2025, 3, 10)
    products(province_admin, 3, NA_RI, issued=issued, prefix="R")
    products(province_admin, 2, CHO_DON, stars=4, issued=issued, prefix="S")
    area = unit(THAI_NGUYEN)
    at = dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC)
    first = reports.build_all(reports.gather("annual", area, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), at)
    second = reports.build_all(reports.gather("annual", area, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), at)
    assert first == second
    # Another generation time changes the documents in the one place that shows it, and nowhere else.
    later = reports.build_all(
        reports.gather("annual", area, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), at + dt.timedelta(hours=5)
    )
    for fmt, stamp, changed in (
        ("docx", "10:02 04/05/2026", "word/document.xml"),
        ("xlsx", "10:02 04/05/2026", "xl/worksheets/sheet3.xml"),
    ):
        a, b = zipfile.ZipFile(io.BytesIO(first[fmt])), zipfile.ZipFile(io.BytesIO(later[fmt]))
        assert a.namelist() == b.namelist()
        differing = [n for n in a.namelist() if a.read(n) != b.read(n)]
        assert differing == [changed]
        masked = a.read(changed).decode().replace(stamp, "15:02 04/05/2026")
        assert masked == b.read(changed).decode()
        assert all(info.date_time == reports.ZIP_TIME for info in a.infolist())
    xlsx = load_workbook(io.BytesIO(first["xlsx"]))
    p1 = list(xlsx["Phụ lục 1"].iter_rows(min_row=6, values_only=True))
    assert p1[-1][2:6] == (0, 2, 3, 5)


@pytest.mark.usefixtures("english")
def test_a_report_outside_the_scope_is_refused_and_nothing_written(chodon_officer, province_admin, unit):
    products(province_admin, 1, NA_RI, prefix="N")
    with pytest.raises(ValidationError) as refused:
        services.request_report(chodon_officer, {"kind": "annual", "area": unit(NA_RI), "year": 2025})
    assert "outside your area" in " ".join(refused.value.messages)
    assert not Report.objects.exists() and not TaskProgress.objects.exists()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "annual", "year": 2010}, "There are no OCOP data"),
        ({"kind": "quarterly", "year": 2025}, "needs a year and a quarter"),
        ({"kind": "six_month", "year": 2025}, "needs a year and a half-year"),
        (
            {"kind": "review", "start": dt.date(2025, 6, 1), "end": dt.date(2025, 1, 1)},
            "ends before it starts",
        ),
        ({"kind": "annual", "year": timezone.localdate().year + 1}, "has not started"),
    ],
)
def test_bad_requests_get_a_clear_message(client, province_admin, province_officer, unit, data, message):
    products(province_admin, 1, NA_RI, prefix="V")
    with pytest.raises(ValidationError) as refused:
        services.request_report(province_officer, {"area": unit(THAI_NGUYEN), **data})
    assert message in " ".join(refused.value.messages)
    # The same through the screen: the form again, with the message, and nothing written.
    client.force_login(province_officer)
    post = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    response = client.post("/reports/reports/new/", {"area": unit(THAI_NGUYEN).pk, **post})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Report.objects.exists() and not TaskProgress.objects.exists()


def test_request_through_the_screen_and_download(client, province_admin, province_officer, unit):
    products(province_admin, 2, NA_RI, issued=dt.date(2025, 8, 1), prefix="Q")
    client.force_login(province_officer)
    response = client.post(
        "/reports/reports/new/",
        {"kind": "quarterly", "year": 2025, "quarter": 3, "area": unit(THAI_NGUYEN).pk},
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/reports/{report.pk}/"
    assert (report.start, report.end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="report-docx"' in page
    download = client.get(f"/reports/reports/{report.pk}/docx/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    text = docx_text(b"".join(download.streaming_content))
    assert "quý III năm 2025" in text and "Trong kỳ có 02 sản phẩm được công nhận mới" in text
    assert client.get(f"/reports/reports/{report.pk}/exe/").status_code == 404
    listing = client.get("/reports/reports/")
    assert report.title in listing.content.decode()


def test_a_province_replaces_the_word_template(settings, tmp_path, province_admin, unit):
    from docx import Document as NewDocument

    custom = tmp_path / "templates"
    custom.mkdir()
    doc = NewDocument()
    doc.add_paragraph("MẪU RIÊNG CỦA TỈNH: {{ products_sentence }}")
    doc.save(custom / reports.REPORT_TEMPLATE)
    settings.OCOP_DOCUMENT_TEMPLATES_DIR = str(custom)
    products(province_admin, 2, NA_RI, issued=dt.date(2025, 8, 1), prefix="T")
    data = reports.gather("annual", unit(THAI_NGUYEN), dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    text = docx_text(reports.build_docx(data, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    assert text.startswith("MẪU RIÊNG CỦA TỈNH: Tính đến ngày 31/12/2025, toàn tỉnh có 02 sản phẩm OCOP")


@pytest.mark.usefixtures("english")
def test_the_api_requests_and_lists_reports(client, province_admin, province_officer, unit, chodon_officer):
    products(province_admin, 1, NA_RI, issued=dt.date(2025, 2, 1), prefix="P")
    client.force_login(province_officer)
    response = client.post(
        "/api/v1/reporting/reports",
        {"kind": "annual", "area_id": unit(THAI_NGUYEN).pk, "year": 2025},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["state"] == "done"
    assert client.get("/api/v1/reporting/reports").json()["count"] == 1
    summary = client.get("/api/v1/reporting/summary", {"area_id": unit(NA_RI).pk})
    assert summary.status_code == 200 and summary.json()["products"] == 1
    refused = client.post(
        "/api/v1/reporting/reports",
        {"kind": "annual", "area_id": unit(BAC_KAN_LEGACY).pk, "year": 2010},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "There are no OCOP data" in refused.json()["errors"][0]["message"]
    assert Report.objects.count() == 1


def test_report_list_queries_do_not_grow_with_rows(client, province_admin, province_officer, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    products(province_admin, 1, NA_RI, issued=dt.date(2025, 2, 1), prefix="L")
    client.force_login(province_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/reports/", {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    services.request_report(province_officer, {"kind": "annual", "area": unit(THAI_NGUYEN), "year": 2025})
    few = count()
    services.request_report(
        province_officer, {"kind": "quarterly", "area": unit(NA_RI), "year": 2025, "quarter": 1}
    )
    for _ in range(3):
        services.request_report(
            province_officer, {"kind": "six_month", "area": unit(THAI_NGUYEN), "year": 2025, "half": 1}
        )
    assert Report.objects.count() == 5
    assert count() == few
