"""Builds the shipped Word templates of the dossier's documents (Decision 26/2026, Phụ lục III):

- ``mau-01-phieu-dang-ky.docx`` — Mẫu 01, the registration form;
- ``mau-02-bao-cao-tu-danh-gia.docx`` — Mẫu 02, the producer's self-assessment report;
- ``mau-03-bao-cao-danh-gia-cap-xa.docx`` — Mẫu 03, the commune's report;
- ``van-ban-de-nghi-cap-xa.docx`` — the commune's letter proposing the evaluation to the province.

The .docx files are committed; this script is how they were made, so that the layout can be changed
in code and rebuilt. A province that wants another wording opens the .docx in Word, edits it (the
``{{ … }}`` and ``{% … %}`` placeholders are listed in ``ocop/programme/documents.py``) and puts the
file, with the same name, in the directory named by ``OCOP_DOCUMENT_TEMPLATES_DIR``.

    .venv/bin/python -m ocop.programme.doc_templates.build_templates

The forms' fixed wording is the decision's; the layout follows Decree 30/2020/NĐ-CP (A4, Times New
Roman 13 pt, national title and motto, place and date in italics).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ocop.evaluation.doc_templates.build_templates import (
    _cell_margins,
    _cell_para,
    _font,
    _heading,
    _no_borders,
    _para,
    _repeat_header,
    _tag,
    _widths,
)

HERE = Path(__file__).resolve().parent
MAU_01 = "mau-01-phieu-dang-ky.docx"
MAU_02 = "mau-02-bao-cao-tu-danh-gia.docx"
MAU_03 = "mau-03-bao-cao-danh-gia-cap-xa.docx"
LETTER = "van-ban-de-nghi-cap-xa.docx"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, 13)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    doc.core_properties.title = title
    doc.core_properties.author = "OCOP"
    return doc


def _national(cell) -> None:
    _cell_para(cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER)
    _cell_para(cell, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _cell_para(cell, "---------------", align=CENTER)


def _national_only(doc) -> None:
    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER, space_after=0)
    _para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER, space_after=0)
    _para(doc, "---------------", align=CENTER)


def _issuer_heading(doc, number_line: str, subject: str | None = None) -> None:
    """The commune on the left (with the document's number), the national title on the right."""
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _widths(head, [70, 95])
    left, right = head.rows[0].cells
    _cell_para(left, "ỦY BAN NHÂN DÂN", bold=True, size=12, align=CENTER)
    _cell_para(left, "{{ commune_upper }}", bold=True, size=12, align=CENTER)
    _cell_para(left, "-------", align=CENTER)
    _cell_para(left, number_line, size=12, align=CENTER)
    if subject:
        _cell_para(left, subject, size=11, align=CENTER)
    _national(right)
    _cell_para(head.rows[1].cells[1], "{{ place_date }}", italic=True, align=CENTER)


def _signature(
    doc, title_lines: list[tuple[str, dict]], name: str, left_lines: list[tuple[str, dict]] | None = None
):
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [75, 90])
    left, right = table.rows[0].cells
    for text, style in left_lines or []:
        _cell_para(left, text, **style)
    for text, style in title_lines:
        _cell_para(right, text, align=CENTER, **style)
    for _ in range(4):
        _cell_para(right, "")
    _cell_para(right, name, bold=True, align=CENTER)
    return table


def _grid(doc, headers: list[str], fields: list[str], widths: list[float], loop: str, centred=(0,)):
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    _cell_margins(table, 1)
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_para(cell, text, bold=True, size=11, align=CENTER)
    _cell_para(table.rows[1].cells[0], f"{{%tr for r in {loop} %}}", size=11)
    for i, (cell, field) in enumerate(zip(table.rows[2].cells, fields, strict=True)):
        _cell_para(cell, f"{{{{ r.{field} }}}}", size=11, align=CENTER if i in centred else None)
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}", size=11)
    return table


def build_mau_01(path: Path) -> Path:
    doc = _document("Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)")
    _para(doc, "Mẫu số 01", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=11)
    _national_only(doc)
    _para(doc, "PHIẾU ĐĂNG KÝ", bold=True, size=14, align=CENTER, space_after=0)
    _para(doc, "Tham gia đánh giá, phân hạng sản phẩm OCOP", bold=True, align=CENTER, space_after=0)
    _para(doc, "của {{ province_lower }} năm {{ year }}", bold=True, align=CENTER, space_after=8)
    _para(doc, "1. Thông tin về đơn vị đăng ký:", bold=True)
    _para(doc, "- Tên đơn vị: {{ producer_name }}")
    _para(doc, "- Họ tên người đại diện pháp lý: {{ representative_name }}")
    _para(doc, "- Chức vụ: {{ representative_title }}")
    _para(doc, "- Địa chỉ liên hệ: {{ producer_address }}")
    _para(doc, "- Điện thoại: {{ producer_phone }}      Email: {{ producer_email }}")
    _para(doc, "2. Tên sản phẩm: {{ product_name }}", bold=True)
    _para(doc, "3. Nhóm sản phẩm đăng ký (Ngành, Nhóm, Phân nhóm¹):", bold=True)
    _para(doc, "Ngành: {{ product_sector }}; Nhóm: {{ product_group }}; Phân nhóm: {{ product_set }}.")
    _para(
        doc,
        "4. Lần đăng ký đánh giá: Lần đầu {{ box_first }}   Nâng hạng: {{ box_upgrade }}   Đánh giá "
        "lại: {{ box_reevaluation }}",
        bold=True,
    )
    _para(doc, "5. Tài liệu kèm theo:", bold=True)
    _para(doc, "- Báo cáo đánh giá về sản phẩm theo Bộ tiêu chí (bản gốc, bản điện tử).")
    _para(doc, "- Sản phẩm mẫu (số lượng): {{ samples }}")
    p = _para(
        doc,
        "Cam đoan những thông tin trong Phiếu đăng ký là đúng sự thật, chúng tôi xin cam kết tuân "
        "thủ các quy định "
        "về đánh giá, phân hạng sản phẩm OCOP, chịu trách nhiệm trước Hội đồng và pháp luật về Hồ sơ "
        "đăng ký đánh "
        "giá, phân hạng sản phẩm.",
        space_after=6,
    )
    p.alignment = JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)
    _signature(
        doc,
        [
            ("{{ place_date }}", {"italic": True}),
            ("ĐẠI DIỆN", {"bold": True}),
            ("(Ký, đóng dấu, ghi rõ họ tên)", {"italic": True}),
        ],
        "{{ representative_name }}",
    )
    _para(doc, "_____________________", space_after=0)
    _para(
        doc,
        "¹ Theo Phụ lục I về Danh mục phân loại sản phẩm tham gia đánh giá, phân hạng sản phẩm OCOP.",
        size=10,
    )
    _para(
        doc, "PHẦN DÀNH CHO CƠ QUAN QUẢN LÝ", bold=True, align=CENTER, space_after=4
    ).paragraph_format.space_before = Pt(8)
    for heading, number, day in (
        ("DÀNH CHO ỦY BAN NHÂN DÂN CẤP XÃ", "{{ receipt_number }}", "{{ received_on }}"),
        (
            "DÀNH CHO CƠ QUAN QUẢN LÝ OCOP CẤP TỈNH",
            "{{ province_receipt_number }}",
            "{{ province_received_on }}",
        ),
    ):
        _para(doc, heading, bold=True)
        _para(doc, f"Phiếu số: {number}")
        _para(doc, f"Ngày nhận: {day}")
        _para(doc, "Người tiếp nhận: …………………………………….. Chữ ký: …………………………")
        _para(doc, "Cơ quan tiếp nhận", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
        _para(
            doc, "(Ký, đóng dấu và ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=8
        )
    doc.save(path)
    return path


def build_mau_02(path: Path) -> Path:
    doc = _document("Báo cáo tự đánh giá về sản phẩm (Mẫu số 02)")
    _para(doc, "Mẫu số 02", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=11)
    _para(doc, "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM", bold=True, size=14, align=CENTER, space_after=0)
    _para(doc, "(Dành cho chủ thể có sản phẩm đăng ký)", italic=True, align=CENTER)
    _para(
        doc,
        "Sản phẩm: {{ product_name }} — {{ kind_label }} — hồ sơ {{ code }}, phiên bản {{ version }}",
        align=CENTER,
    )
    _tag(doc, "{%p if is_draft %}")
    _para(doc, "(BẢN NHÁP — chưa nộp)", italic=True, align=CENTER)
    _tag(doc, "{%p endif %}")
    _para(doc, "Phần I", bold=True, align=CENTER, space_after=0).paragraph_format.space_before = Pt(6)
    _para(doc, "THÔNG TIN CHUNG", bold=True, align=CENTER)
    _para(doc, "1. Tên chủ thể: {{ producer_name }}")
    _para(doc, "2. Loại hình tổ chức: {{ producer_kind }}")
    _para(doc, "3. Địa chỉ: {{ producer_address }}")
    _para(doc, "4. Điện thoại: {{ producer_phone }}      Email: {{ producer_email }}")
    _para(doc, "5. Tên người đại diện pháp luật:")
    _para(doc, "- Họ tên: {{ representative_name }}")
    _para(doc, "- Giới tính: {{ representative_gender }}; Dân tộc: {{ representative_ethnicity }}")
    _para(doc, "- Địa chỉ thường trú: {{ representative_address }}")
    _para(
        doc,
        "6. Ngày thành lập/đăng ký kinh doanh: {{ registration_date }}      Số giấy đăng ký (nếu "
        "có): {{ registration_number }}",
    )
    _para(doc, "7. Tên sản phẩm/dịch vụ, mô tả về quy cách sản phẩm, tiêu chuẩn: {{ product_name }}")
    _para(doc, "{{ product_description }}")
    _para(doc, "Đánh dấu (√) vào mục tương ứng:", italic=True)
    _para(doc, "a) Giấy đăng ký kinh doanh: {{ box.has_business_registration }}")
    _para(doc, "b) Đã công bố chất lượng sản phẩm theo quy định: {{ box.quality_declared }}")
    _para(doc, "c) Đã có các điều kiện sản xuất theo quy định:")
    _para(
        doc,
        "- Giấy chứng nhận cơ sở đủ điều kiện vệ sinh an toàn thực phẩm theo quy định của pháp luật "
        "cho sản xuất "
        "sản phẩm: {{ box.food_safety_certified }}",
    )
    _para(
        doc,
        "- Giấy chứng nhận cơ sở đủ điều kiện sản xuất bắt buộc theo quy định cho sản phẩm (đối với "
        "các sản phẩm "
        "bắt buộc theo quy định): {{ box.production_conditions_certified }}",
    )
    _para(doc, "d) Đã có đăng ký sở hữu trí tuệ: {{ box.ip_any }}")
    _para(doc, "+ Giấy chứng nhận đăng ký nhãn hiệu: {{ box.ip_trademark }}")
    _para(
        doc,
        "+ Văn bản ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận: "
        "{{ box.ip_collective }}",
    )
    _para(doc, "+ Bằng sáng chế: {{ box.ip_patent }}")
    _para(doc, "+ Bằng độc quyền kiểu dáng công nghiệp: {{ box.ip_design }}")
    _para(doc, "+ Giấy chứng nhận bản quyền tác giả: {{ box.ip_copyright }}")
    _para(doc, "+ Khác (ghi rõ): {{ box.ip_other }} {{ ip_other }}")
    _para(doc, "8. Lịch sử hình thành của chủ thể (nêu các giai đoạn hình thành và phát triển):")
    _para(doc, "{{ history }}")
    _para(doc, "9. Cơ cấu tổ chức của chủ thể:")
    _para(doc, "{{ organisation }}")

    _para(doc, "Phần II", bold=True, align=CENTER, space_after=0).paragraph_format.space_before = Pt(6)
    _para(doc, "KẾT QUẢ THỰC HIỆN PHƯƠNG ÁN SẢN XUẤT KINH DOANH", bold=True, align=CENTER)
    _para(doc, "- Tổ chức vùng nguyên liệu: {{ raw_materials }}")
    _para(doc, "- Công nghệ sản xuất, sơ chế, chế biến, đóng gói sản phẩm: {{ technology }}")
    _para(
        doc,
        "- Sự thay đổi về chất lượng sản phẩm (chất lượng, tiêu chuẩn chất lượng, bao bì, nhãn mác, "
        "hình thức đóng gói): {{ quality_changes }}",
    )
    _para(doc, "- Bao bì, nhãn mác: {{ packaging }}")
    _para(doc, "- Thị trường phân phối sản phẩm: {{ markets }}")
    _para(
        doc,
        "- Kết quả sản xuất, kinh doanh: sản lượng {{ output }}; doanh thu {{ revenue }}; lợi nhuận "
        "{{ profit }}.",
    )
    _tag(doc, "{%p if has_changes %}")
    _heading(doc, "NHỮNG THAY ĐỔI SO VỚI SẢN PHẨM OCOP ĐÃ ĐƯỢC CÔNG NHẬN")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if changes_summary %}")
    _para(doc, "{{ changes_summary }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if is_reevaluation %}")
    _para(doc, "- Công bố chất lượng: {{ quality_declaration_update }}")
    _para(doc, "- Các phiếu kiểm nghiệm định kỳ: {{ periodic_tests }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if changes %}")
    _para(
        doc,
        "Đối chiếu với hồ sơ đã được chấp nhận ({{ base_code }}, phiên bản {{ base_version }}):",
        italic=True,
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for c in changes %}")
    _para(doc, "- {{ c.label }}: {{ c.before }} → {{ c.after }}")
    _tag(doc, "{%p endfor %}")

    _para(doc, "Phần III", bold=True, align=CENTER, space_after=0).paragraph_format.space_before = Pt(6)
    _para(doc, "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN THEO BỘ TIÊU CHÍ SẢN PHẨM OCOP", bold=True, align=CENTER)
    _para(doc, "Bộ tiêu chí: {{ sheet_name }} ({{ rule_citation }}).", italic=True)
    _grid(
        doc,
        ["TT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Mô tả, minh chứng"],
        ["code", "label", "max", "points", "note"],
        [14, 68, 17, 20, 46],
        "criteria",
        centred=(0, 2, 3),
    )
    _para(doc, "")
    _tag(doc, "{%p for p in part_totals %}")
    _para(
        doc,
        "- Phần {{ p.code }}{% if p.title %} ({{ p.title }}){% endif %}: {{ p.points }}/{{ p.max }} điểm;",
    )
    _tag(doc, "{%p endfor %}")
    _para(
        doc,
        "Tổng điểm tự đánh giá: {{ total }}/{{ total_max }} điểm; hạng sao dự kiến: {{ stars }}.",
        bold=True,
    )
    _tag(doc, "{%p if minimum_note %}")
    _para(doc, "{{ minimum_note }}", italic=True)
    _tag(doc, "{%p endif %}")
    _para(doc, "Tài liệu minh chứng kèm theo:", bold=True)
    _grid(
        doc,
        ["TT", "Nội dung", "Tài liệu", "Hiệu lực"],
        ["number", "what", "title", "validity"],
        [12, 55, 68, 30],
        "evidence",
    )
    _para(doc, "Phần IV", bold=True, align=CENTER, space_after=0).paragraph_format.space_before = Pt(6)
    _para(doc, "KẾ HOẠCH SẢN XUẤT, KINH DOANH", bold=True, align=CENTER)
    _para(doc, "{{ plan_ahead }}")
    _para(doc, "")
    _signature(
        doc,
        [
            ("{{ place_date }}", {"italic": True}),
            ("ĐẠI DIỆN THEO PHÁP LUẬT CỦA CƠ SỞ", {"bold": True}),
            ("(Ký, họ tên, đóng dấu)", {"italic": True}),
        ],
        "{{ representative_name }}",
    )
    _para(doc, "Mã kiểm tra của phiên bản: {{ checksum }}", size=9, italic=True)
    doc.save(path)
    return path


def build_mau_03(path: Path) -> Path:
    doc = _document("Báo cáo đánh giá một số nội dung của hồ sơ (Mẫu số 03)")
    _para(doc, "Mẫu số 03", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=11)
    _issuer_heading(doc, "Số: {{ report_number }}")
    _para(doc, "")
    _para(doc, "BÁO CÁO", bold=True, size=14, align=CENTER, space_after=0)
    _para(
        doc,
        "Đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP",
        bold=True,
        align=CENTER,
        space_after=8,
    )
    _heading(doc, "I. THÔNG TIN CHUNG VỀ HỒ SƠ SẢN PHẨM")
    _para(doc, "1. Tên chủ thể: {{ producer_name }}")
    _para(doc, "2. Loại hình tổ chức: {{ producer_kind }}")
    _para(doc, "3. Địa chỉ: {{ producer_address }}")
    _para(doc, "4. Tên người đại diện pháp luật:")
    _para(doc, "- Họ tên: {{ representative_name }}")
    _para(doc, "- Giới tính: {{ representative_gender }}; Dân tộc: {{ representative_ethnicity }}")
    _para(doc, "- Địa chỉ thường trú: {{ representative_address }}")
    _para(
        doc,
        "5. Sản phẩm đăng ký đánh giá: {{ product_name }} ({{ kind_label }}; bộ sản phẩm: {{ "
        "product_set }}).",
    )
    _heading(doc, "II. ĐÁNH GIÁ MỘT SỐ NỘI DUNG CỦA HỒ SƠ SẢN PHẨM")
    for number, title, field in (
        ("1", "Về sử dụng nguyên liệu địa phương", "raw_materials"),
        ("2", "Về sử dụng lao động địa phương", "local_labour"),
        ("3", "Nguồn gốc ý tưởng sản phẩm", "idea_origin"),
        ("4", "Bản sắc/trí tuệ địa phương", "local_identity"),
    ):
        _para(doc, f"{number}. {title}:", bold=True)
        p = _para(doc, f"{{{{ {field} }}}}")
        p.alignment = JUSTIFY
    _tag(doc, "{%p if meeting_held %}")
    _para(
        doc,
        "Chủ tịch Ủy ban nhân dân xã đã tổ chức họp với các bộ phận liên quan để lấy ý kiến về nội "
        "dung đánh giá.",
        italic=True,
    )
    _tag(doc, "{%p endif %}")
    p = _para(
        doc,
        "Ủy ban nhân dân {{ commune_lower }} đề nghị Ủy ban nhân dân {{ province_lower }} đánh giá, "
        "phân hạng sản phẩm "
        "OCOP cho sản phẩm {{ product_name }} của {{ producer_name }}.",
        space_after=8,
    )
    p.alignment = JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)
    _signature(
        doc,
        [
            ("T.M ỦY BAN NHÂN DÂN {{ commune_upper }}", {"bold": True}),
            ("{{ signer_title_upper }}", {"bold": True}),
            ("(Ký tên và đóng dấu)", {"italic": True}),
        ],
        "{{ signer_name }}",
    )
    doc.save(path)
    return path


def build_letter(path: Path) -> Path:
    doc = _document("Văn bản đề nghị đánh giá, phân hạng sản phẩm OCOP")
    _issuer_heading(doc, "Số: {{ letter_number }}", "V/v đề nghị đánh giá, phân hạng sản phẩm OCOP")
    _para(doc, "")
    _para(doc, "Kính gửi: Ủy ban nhân dân {{ province_lower }}.", align=CENTER, space_after=6)
    p = _para(
        doc,
        "Căn cứ {{ rule_citation }} ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm "
        "mỗi xã một sản phẩm;",
    )
    p.alignment = JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)
    p = _para(
        doc,
        "Ngày {{ received_on }}, Ủy ban nhân dân {{ commune_lower }} đã tiếp nhận hồ sơ sản phẩm của "
        "{{ producer_name }}; "
        "sau khi kiểm tra thành phần hồ sơ và đánh giá một số nội dung (Báo cáo số {{ report_number }} ngày "
        "{{ report_date }}), Ủy ban nhân dân {{ commune_lower }} đề nghị Ủy ban nhân dân {{ "
        "province_lower }} tổ chức "
        "đánh giá, phân hạng sản phẩm OCOP đối với sản phẩm sau:",
    )
    p.alignment = JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)
    _grid(
        doc,
        ["TT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Loại đánh giá", "Sản phẩm mẫu"],
        ["number", "product", "producer", "product_set", "kind", "samples"],
        [10, 38, 38, 35, 24, 20],
        "rows",
        centred=(0, 5),
    )
    _para(doc, "")
    p = _para(
        doc,
        "Hồ sơ gửi kèm: Phiếu đăng ký (Mẫu số 01), Báo cáo tự đánh giá về sản phẩm (Mẫu số 02), Báo "
        "cáo đánh giá "
        "của Ủy ban nhân dân cấp xã (Mẫu số 03), {{ samples_text }}; gồm 01 bộ hồ sơ giấy và 01 bộ "
        "hồ sơ điện tử "
        "(hồ sơ {{ code }} trên hệ thống).",
    )
    p.alignment = JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)
    _para(
        doc,
        "Ủy ban nhân dân {{ commune_lower }} kính đề nghị Ủy ban nhân dân {{ province_lower }} xem xét./.",
    ).paragraph_format.first_line_indent = Mm(10)
    _signature(
        doc,
        [("TM. ỦY BAN NHÂN DÂN", {"bold": True}), ("{{ signer_title_upper }}", {"bold": True})],
        "{{ signer_name }}",
        left_lines=[
            ("Nơi nhận:", {"bold": True, "italic": True, "size": 11}),
            ("- Như trên;", {"size": 11}),
            ("- Cơ quan tham mưu quản lý OCOP cấp tỉnh;", {"size": 11}),
            ("- {{ producer_name }};", {"size": 11}),
            ("- Lưu: VT.", {"size": 11}),
        ],
    )
    doc.save(path)
    return path


BUILDERS = {MAU_01: build_mau_01, MAU_02: build_mau_02, MAU_03: build_mau_03, LETTER: build_letter}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else HERE
    target.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        print(build(target / name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
