"""The session's documents: the minutes (.docx), the results table (.xlsx), a member's scorecard
(PDF) — Vietnamese text with its diacritics, Vietnamese numbers and dates, no result shown for a
product that is not closed, a province's own Word template, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from ocop.evaluation import documents, services
from ocop.evaluation.scoring import SheetTree

from .doc_helpers import CENTRAL, NOT_ELIGIBLE, OPEN, RECOGNISED, build_doc_session
from .helpers import make_council, make_product, make_session

pytestmark = pytest.mark.django_db


# --- reading the files back ----------------------------------------------------------------------


def docx_blocks(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The document's paragraphs (tables' cells included, in order) and its tables as rows of cells."""
    doc = Document(io.BytesIO(data))
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            table = next(t for t in doc.tables if t._tbl is block)
            rows = [[cell.text for cell in row.cells] for row in table.rows]
            tables.append(rows)
            paragraphs.extend(text for row in rows for text in row)
    return paragraphs, tables


def pdf_text(data: bytes) -> str:
    """The PDF's text, NFC and with runs of whitespace made single spaces."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def results_table(tables):
    return next(t for t in tables if t[0][:2] == ["TT", "Tên sản phẩm"])


# --- formatting ----------------------------------------------------------------------------------


def test_dates_and_numbers_are_written_the_vietnamese_way():
    assert documents.long_date(dt.date(2026, 6, 20)) == "ngày 20 tháng 6 năm 2026"
    assert documents.long_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert documents.long_date(dt.date(2026, 11, 9)) == "ngày 09 tháng 11 năm 2026"
    with translation.override("vi"):
        assert documents.score_text(Decimal("74.75")) == "74,75"
        assert documents.score_text(Decimal("92")) == "92,00"
        assert documents.points_text(Decimal("0.50")) == "0,5"
        assert documents.points_text(Decimal("10.00")) == "10"
        assert documents.points_text(Decimal("1500000")) == "1.500.000"


# --- the minutes ---------------------------------------------------------------------------------


def test_minutes_in_the_official_format_with_results_only_for_closed_products(province_admin):
    d = build_doc_session(province_admin)
    with translation.override("en"):  # the reader's interface language changes nothing
        data = documents.minutes_docx(d.session)
    paragraphs, tables = docx_blocks(data)
    text = "\n".join(paragraphs)

    heading = tables[0]
    assert "UBND TỈNH THÁI NGUYÊN" in heading[0][0]
    assert "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in heading[0][0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[0][1]
    assert "Độc lập - Tự do - Hạnh phúc" in heading[0][1]
    assert "Thái Nguyên, ngày 20 tháng 6 năm 2026" in heading[1][1]
    assert "BIÊN BẢN" in paragraphs
    assert "Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP" in paragraphs
    assert "(DỰ THẢO — phiên đánh giá chưa kết thúc)" in paragraphs  # a product is still open

    # legal bases, time, place, mode
    assert (
        "Căn cứ Quyết định số 26/2026/QĐ-TTg ngày 22/05/2026 của Thủ tướng Chính phủ ban hành "
        "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP;" in paragraphs
    )
    assert any(
        p.startswith("Căn cứ Quyết định số 1234/QĐ-UBND ngày 01/06/2026 của Chủ tịch UBND tỉnh Thái Nguyên")
        for p in paragraphs
    )
    assert any("1235/QĐ-UBND ngày 02/06/2026 ban hành Quy chế hoạt động" in p for p in paragraphs)
    assert "2. Địa điểm: Hội trường UBND tỉnh Thái Nguyên." in paragraphs
    assert "3. Hình thức: họp Hội đồng." in paragraphs

    # attendance: every present member with role and organisation, the absent one with the reason
    present = d.council.members.exclude(full_name=d.absent_name)
    assert "1. Thành viên Hội đồng tham gia: 5/6 thành viên, gồm:" in paragraphs
    for member in present:
        assert any(p.startswith(f"- {member.full_name}") for p in paragraphs), member.full_name
    assert "- Nguyễn Văn Chủ, UBND tỉnh Thái Nguyên — Chủ tịch Hội đồng;" in paragraphs
    assert "- Thành viên 1, Sở Nông nghiệp và Môi trường — Thành viên;" in paragraphs
    assert f"- {d.absent_name} — Thành viên (lý do: Đi công tác);" in paragraphs
    assert "- Hoàng Văn Tư Vấn, Chi cục PTNT — Tổ trưởng;" in paragraphs

    # the advisory team's review and the conflict of interest
    assert any(
        p.startswith("- Miến dong Tài Hoan: đề nghị Hội đồng chấm điểm. Khảo sát thực tế: ngày 10/06/2026")
        for p in paragraphs
    )
    assert (
        f"- {d.conflicted_name} không chấm điểm sản phẩm Mơ vàng Bằng Phúc, "
        "lý do: Người thân là thành viên HTX;" in paragraphs
    )

    # the results table
    table = results_table(tables)
    assert table[0] == [
        "TT",
        "Tên sản phẩm",
        "Chủ thể",
        "Xã, phường",
        "Bộ sản phẩm",
        "Loại đánh giá",
        "Điểm",
        "Hạng sao",
        "Kết quả, đề nghị",
    ]
    rows = {row[1]: row for row in table[1:]}
    assert len(rows) == 6 and not any("{" in cell for row in table for cell in row)
    recognised = rows["Miến dong Tài Hoan"]
    assert recognised[:6] == [
        "1",
        "Miến dong Tài Hoan",
        "HTX Miến dong Tài Hoan",
        "Xã Na Rì",
        "Chế biến từ rau, củ, quả, hạt",
        "Đánh giá lần đầu",
    ]
    assert recognised[6:] == ["74,75", "4 sao", "Đề nghị UBND tỉnh Thái Nguyên công nhận sản phẩm OCOP 4 sao"]
    assert rows["Mơ vàng Bằng Phúc"][6:] == [
        "92,00",
        "5 sao",
        "Đề nghị Bộ Nông nghiệp và Môi trường đánh giá, phân hạng sản phẩm OCOP 5 sao",
    ]
    assert rows["Gạo nếp Khẩu Nua Lếch"][6:] == [
        "45,50",
        "2 sao",
        "Chưa đủ điều kiện công nhận sản phẩm OCOP (đạt 2 sao)",
    ]
    rejected = rows["Bánh gio Ngân Sơn"]
    assert rejected[6:8] == ["", ""]
    ground = d.ground.removeprefix("Hồ sơ bị loại khi: ")
    assert rejected[8].startswith("Hồ sơ bị loại, không chấm điểm: ")
    assert ground[1:] in rejected[8] and "(Giấy chứng nhận ATTP đã hết hạn)" in rejected[8]
    assert rows["Mật ong bạc hà Đồng Văn"][6:] == ["", "", "Rút khỏi phiên đánh giá: Chủ thể xin rút hồ sơ"]
    still_open = rows["Tương ớt Chợ Đồn"]
    assert still_open[6:] == ["", "", "Chưa kết luận (đang chấm điểm)"]
    open_average = documents.score_text(Decimal(sum(OPEN)) / len(OPEN))
    assert open_average not in text and "62" not in " ".join(still_open)

    # conclusion and signatures
    assert any(
        p.startswith(
            "Hội đồng thống nhất kết quả đánh giá, phân hạng 6 sản phẩm: đề nghị UBND tỉnh Thái Nguyên "
            "công nhận 1 sản phẩm OCOP (1 sản phẩm 4 sao); đề nghị Bộ Nông nghiệp và Môi trường đánh giá, "
            "phân hạng 5 sao 1 sản phẩm; 1 sản phẩm chưa đủ điều kiện công nhận (dưới 3 sao); 1 hồ sơ bị loại"
        )
        and p.endswith("1 sản phẩm chưa kết luận.")
        for p in paragraphs
    )
    signatures = tables[-1][0]
    assert signatures[0].startswith("THƯ KÝ") and signatures[0].rstrip().endswith("Lê Thị Thư Ký")
    assert signatures[1].startswith("CHỦ TỊCH HỘI ĐỒNG") and signatures[1].rstrip().endswith("Nguyễn Văn Chủ")

    # once every product is concluded and the session closed, the minutes are no longer a draft
    services.withdraw_product(province_admin, d.open, "Chủ thể xin rút hồ sơ")
    services.close_session(d.council.members.get(role="chair").user, d.session)
    paragraphs, tables = docx_blocks(documents.minutes_docx(d.session))
    assert not any("DỰ THẢO" in p for p in paragraphs)
    assert results_table(tables)[6][8] == "Rút khỏi phiên đánh giá: Chủ thể xin rút hồ sơ"


def test_names_with_xml_characters_and_a_presiding_vice_chair(province_admin):
    council = make_council(province_admin, members=1)
    member = council.members.get(role="member")
    services.update_member(
        province_admin, member, {"role": "vice_chair", "position": "Giám đốc Sở Nông nghiệp và Môi trường"}
    )
    product = make_product(province_admin, "Chè & mật ong <Đặc biệt>")
    session, _entries = make_session(province_admin, council, [product])
    chair = council.members.get(role="chair")
    services.set_attendance(province_admin, session, {chair.pk: False})
    paragraphs, tables = docx_blocks(documents.minutes_docx(session))
    assert results_table(tables)[1][1] == "Chè & mật ong <Đặc biệt>"
    assert "- Thành viên 1, Giám đốc Sở Nông nghiệp và Môi trường — Phó Chủ tịch Hội đồng;" in paragraphs
    assert "4. Chủ trì: Thành viên 1 — Phó Chủ tịch Hội đồng. Thư ký: Lê Thị Thư Ký." in paragraphs
    assert tables[-1][0][1].startswith("PHÓ CHỦ TỊCH HỘI ĐỒNG")


def test_a_province_replaces_the_minutes_template(province_admin, settings, tmp_path):
    council = make_council(province_admin, members=1)
    session, _entries = make_session(province_admin, council, [make_product(province_admin)])
    shipped = documents.template_path(documents.MINUTES_TEMPLATE)
    assert shipped == documents.SHIPPED_TEMPLATES / "bien-ban-hoi-dong.docx" and shipped.is_file()

    settings.OCOP_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    assert documents.template_path(documents.MINUTES_TEMPLATE) == shipped  # the directory lacks it
    own = Document()
    own.add_paragraph("BIÊN BẢN CỦA TỈNH — {{ council.name }} — {{ place_date }}")
    own.add_paragraph("{% for r in rows %}{{ r.number }}. {{ r.product }}: {{ r.outcome }}; {% endfor %}")
    own.save(tmp_path / "bien-ban-hoi-dong.docx")
    assert documents.template_path(documents.MINUTES_TEMPLATE) == tmp_path / "bien-ban-hoi-dong.docx"

    paragraphs, tables = docx_blocks(documents.minutes_docx(session))
    assert paragraphs == [
        "BIÊN BẢN CỦA TỈNH — Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên — "
        "Thái Nguyên, ngày 20 tháng 6 năm 2026",
        "1. Miến dong Tài Hoan: Chưa kết luận (đang chấm điểm); ",
    ]
    assert tables == []

    settings.OCOP_DOCUMENT_TEMPLATES_DIR = ""
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(docx_blocks(documents.minutes_docx(session))[0])


# --- the results table ---------------------------------------------------------------------------


def test_results_spreadsheet_holds_real_numbers(province_admin):
    d = build_doc_session(province_admin)
    wb = load_workbook(io.BytesIO(documents.results_xlsx(d.session)))
    ws = wb.active
    assert ws["A1"].value == "KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
    details = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(2, 9)}
    assert details["Hội đồng"] == "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên"
    assert details["Ngày"] == dt.datetime(2026, 6, 20)
    assert details["Địa điểm"] == "Hội trường UBND tỉnh Thái Nguyên"

    header_row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "TT")
    headers = [c.value for c in ws[header_row]]
    scorers = [m for m in d.council.members.order_by("sort_order") if m.scores]
    assert headers == [
        "TT",
        "Tên sản phẩm",
        "Chủ thể",
        "Xã, phường",
        "Bộ sản phẩm",
        "Loại đánh giá",
        "Nguyễn Văn Chủ (Chủ tịch Hội đồng)",
        "Thành viên 1 (Thành viên)",
        "Thành viên 2 (Thành viên)",
        "Thành viên 3 (Thành viên)",
        "Thành viên 4 (Thành viên)",
        "Điểm trung bình",
        "Độ lệch",
        "Hạng sao",
        "Kết quả, đề nghị",
    ]
    assert len(scorers) == 5
    rows = {
        ws.cell(row=r, column=2).value: [c.value for c in ws[r]]
        for r in range(header_row + 1, ws.max_row + 1)
    }
    assert len(rows) == 6

    def number(value):
        assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool), value
        return Decimal(str(value))

    recognised = rows["Miến dong Tài Hoan"]
    assert recognised[0] == 1
    assert [number(v) for v in recognised[6:10]] == [Decimal(t) for t in RECOGNISED]
    assert recognised[10] is None  # absent
    assert number(recognised[11]) == Decimal("74.75")
    assert number(recognised[12]) == Decimal(6)
    assert recognised[13] == 4
    assert recognised[14] == "Đề nghị UBND tỉnh Thái Nguyên công nhận sản phẩm OCOP 4 sao"
    central = rows["Mơ vàng Bằng Phúc"]
    assert central[7] is None  # declared a conflict of interest
    assert "xung đột lợi ích" in ws.cell(row=header_row + 2, column=8).comment.text
    assert [number(central[i]) for i in (6, 8, 9)] == [Decimal(t) for t in CENTRAL]
    assert (number(central[11]), central[13]) == (Decimal("92.00"), 5)
    not_eligible = rows["Gạo nếp Khẩu Nua Lếch"]
    assert number(not_eligible[11]) == Decimal(sum(NOT_ELIGIBLE)) / 4 and not_eligible[13] == 2
    for name in ("Bánh gio Ngân Sơn", "Mật ong bạc hà Đồng Văn", "Tương ớt Chợ Đồn"):
        assert rows[name][6:14] == [None] * 8, name
    assert rows["Tương ớt Chợ Đồn"][14] == "Chưa kết luận (đang chấm điểm)"
    assert rows["Bánh gio Ngân Sơn"][14].startswith("Hồ sơ bị loại, không chấm điểm: ")
    assert ws.cell(row=header_row + 1, column=12).number_format == "0.00"

    assert ws.freeze_panes == f"C{header_row + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.column_dimensions["B"].width >= 20


# --- a member's scorecard ------------------------------------------------------------------------


def test_scorecard_pdf_shows_the_whole_sheet_with_vietnamese_text(province_admin):
    d = build_doc_session(province_admin)
    card = d.draft
    tree = SheetTree.load(card.sheet)
    first = tree.scorable[0]
    services.save_answer(
        card.member.user,
        card,
        first.id,
        first.options[0][0],
        comment="Nguyên liệu mua ngoài tỉnh một phần",
        evidence_url="https://example.org/minh-chung/1",
    )
    data = documents.scorecard_pdf(card)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP",
        "Bộ sản phẩm: Chế biến từ rau, củ, quả, hạt",
        "Tên sản phẩm: Tương ớt Chợ Đồn",
        "Tên chủ thể sản xuất: HTX Tương ớt Chợ Đồn",
        f"Thành viên chấm: {card.member.full_name} — Thành viên, Sở Nông nghiệp và Môi trường",
        "Bản nháp",
        "TỔ CHỨC SẢN XUẤT",
        "Nguồn nguyên liệu",
        "Nguồn gốc ý tưởng sản phẩm",
        "Nhận xét: Nguyên liệu mua ngoài tỉnh một phần",
        "https://example.org/minh-chung/1",
        "THÀNH VIÊN HỘI ĐỒNG",
    ):
        assert phrase in text, phrase
    for code, title in tree.part_titles.items():
        assert f"Phần {code}: {title}" in text
    assert "Cộng phần A" in text and "TỔNG ĐIỂM" in text
    card.refresh_from_db()
    assert f"TỔNG ĐIỂM 100 {documents.points_text(card.total)}" in text
    assert "☒" in text and "☐" in text  # the chosen option is marked, the others are not
    assert "Đã nộp lúc" not in text

    submitted = d.recognised.scorecards.select_related("member").get(member__role="chair")
    text = pdf_text(documents.scorecard_pdf(submitted))
    assert "Nguyễn Văn Chủ" in text and "Chủ tịch Hội đồng" in text
    assert "Đã nộp lúc" in text and "nháp" not in text.lower()
    assert f"TỔNG ĐIỂM 100 {RECOGNISED[0]}" in text


# --- queries -------------------------------------------------------------------------------------


def _queries(build, *args) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build(*args)
    return len(ctx.captured_queries)


def test_documents_read_a_bounded_number_of_queries(province_admin):
    d = build_doc_session(province_admin)
    small_council = make_council(province_admin, members=1, name="Hội đồng nhỏ")
    small, _entries = make_session(
        province_admin, small_council, [make_product(province_admin, "Trà hoa vàng")]
    )
    for build in (documents.minutes_docx, documents.results_xlsx):
        big = _queries(build, d.session)  # six products, six members, reviews and conflicts
        assert big == _queries(build, small) <= 8, build.__name__
    assert _queries(documents.scorecard_pdf, d.draft) <= 6
