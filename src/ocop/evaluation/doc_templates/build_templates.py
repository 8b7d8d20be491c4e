"""Builds the shipped Word template of the council's minutes (`bien-ban-hoi-dong.docx`).

The .docx is committed; this script is how it was made, so that the layout can be changed in code
and rebuilt. A province that wants another wording or layout does not run it: it opens the .docx in
Word, edits it (the ``{{ … }}`` and ``{% … %}`` placeholders are described in
docs/document-templates.md) and puts the file, with the same name, in the directory named by the
``OCOP_DOCUMENT_TEMPLATES_DIR`` setting.

    .venv/bin/python -m ocop.evaluation.doc_templates.build_templates

The layout follows the administrative style of Decree 30/2020/NĐ-CP: A4, Times New Roman 13 pt,
the issuing body on the left and the national title and motto on the right, then the place and
date in italics.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
MINUTES = "bien-ban-hoi-dong.docx"
FONT = "Times New Roman"


def _font(style_or_run, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str = "", *, bold=False, italic=False, align=None, size=None, space_after=3):
    p = container.add_paragraph()
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    return p


def _run(p, text: str, *, bold=False, italic=False, size=None):
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    return run


def _cell_para(cell, text: str = "", **kwargs):
    """The cell's first (empty) paragraph, then new ones."""
    p = cell.paragraphs[-1]
    if p.text or len(cell.paragraphs) > 1 or getattr(cell, "_used", False):
        p = cell.add_paragraph()
    cell._used = True
    align = kwargs.pop("align", None)
    if text:
        _run(p, text, **kwargs)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # the schema's order inside w:tblPr (Word refuses elements out of order)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def _widths(table, widths_mm) -> None:
    """Fixed column widths, in the grid (what Word and LibreOffice lay out) and in every cell."""
    table.autofit = False  # w:tblLayout w:type="fixed"
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_margins(table, mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(mm * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _heading(doc, text: str) -> None:
    _para(doc, text, bold=True, space_after=4).paragraph_format.space_before = Pt(6)


def _tag(doc, tag: str):
    """A paragraph holding only a docxtpl block tag ({%p … %}): docxtpl removes the paragraph."""
    return _para(doc, tag, space_after=0)


def build_minutes(path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, 13)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    doc.core_properties.title = "Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP"
    doc.core_properties.author = "OCOP"

    # The heading: issuing body (left), national title and motto (right), place and date.
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _widths(head, [66, 99])
    left, right = head.rows[0].cells
    _cell_para(left, "{{ issuer }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(left, "{{ council_heading }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(left, "-------", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(right, "---------------", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(head.rows[1].cells[1], "{{ place_date }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, "", space_after=6)
    _para(doc, "BIÊN BẢN", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(
        doc,
        "Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    _para(doc, "{{ session.title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _tag(doc, "{%p if is_draft %}")
    _para(
        doc,
        "(DỰ THẢO — phiên đánh giá chưa kết thúc)",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _tag(doc, "{%p endif %}")
    _para(doc, "", space_after=3)

    _tag(doc, "{%p for basis in legal_bases %}")
    _para(doc, "{{ basis }}", italic=True).paragraph_format.first_line_indent = Mm(10)
    _tag(doc, "{%p endfor %}")

    _heading(doc, "I. THỜI GIAN, ĐỊA ĐIỂM, HÌNH THỨC")
    _para(doc, "1. Thời gian: {{ session.date_long }}.")
    _para(doc, "2. Địa điểm: {{ session.place }}.")
    _para(doc, "3. Hình thức: {{ session.mode_label }}.")

    _heading(doc, "II. THÀNH PHẦN")
    _para(
        doc,
        "1. Thành viên Hội đồng tham gia: {{ present|length }}/{{ members_total }} thành viên, gồm:",
    )
    _tag(doc, "{%p for m in present %}")
    _para(doc, "- {{ m.name }}{% if m.position_org %}, {{ m.position_org }}{% endif %} — {{ m.role }};")
    _tag(doc, "{%p endfor %}")
    _para(doc, "2. Thành viên vắng mặt:{% if not absent %} không có.{% endif %}")
    _tag(doc, "{%p for m in absent %}")
    _para(doc, "- {{ m.name }} — {{ m.role }}{% if m.note %} (lý do: {{ m.note }}){% endif %};")
    _tag(doc, "{%p endfor %}")
    _para(doc, "3. Tổ tư vấn:{% if not advisors %} không có.{% endif %}")
    _tag(doc, "{%p for a in advisors %}")
    _para(
        doc,
        "- {{ a.name }}{% if a.organisation %}, {{ a.organisation }}{% endif %}"
        "{% if a.is_leader %} — Tổ trưởng{% endif %};",
    )
    _tag(doc, "{%p endfor %}")
    _para(doc, "4. Chủ trì: {{ presiding.name }} — {{ presiding.role }}. Thư ký: {{ secretary.name }}.")

    _heading(doc, "III. NỘI DUNG")
    _para(
        doc,
        "Hội đồng đánh giá, phân hạng {{ rows|length }} sản phẩm theo {{ rule.title }} ban hành kèm theo "
        "{{ rule.citation }}.",
    )
    _para(doc, "1. Báo cáo của Tổ tư vấn về hồ sơ sản phẩm:{% if not reviews %} không có.{% endif %}")
    _tag(doc, "{%p for r in reviews %}")
    _para(
        doc,
        "- {{ r.product }}: {{ r.recommendation }}."
        "{% if r.site_survey %} Khảo sát thực tế: {{ r.site_survey }}.{% endif %}"
        "{% if r.extra_tests %} Kiểm nghiệm bổ sung: {{ r.extra_tests }}.{% endif %}"
        " {{ r.report }}",
    )
    _tag(doc, "{%p endfor %}")
    _para(
        doc,
        "2. Khai báo xung đột lợi ích:{% if not conflicts %} không có thành viên nào khai báo.{% endif %}",
    )
    _tag(doc, "{%p for c in conflicts %}")
    _para(doc, "- {{ c.member }} không chấm điểm sản phẩm {{ c.product }}, lý do: {{ c.reason }};")
    _tag(doc, "{%p endfor %}")
    _para(doc, "3. Kết quả đánh giá, phân hạng:")

    headers = [
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
    fields = ["number", "product", "producer", "commune", "product_set", "kind", "score", "stars", "outcome"]
    widths = [9, 25, 23, 17, 19, 15, 13, 12, 32]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    _cell_margins(table, 1)
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_para(cell, text, bold=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(table.rows[1].cells[0], "{%tr for r in rows %}", size=10)
    for i, (cell, field) in enumerate(zip(table.rows[2].cells, fields, strict=True)):
        center = i in (0, 6, 7)
        _cell_para(
            cell,
            f"{{{{ r.{field} }}}}",
            size=10,
            align=WD_ALIGN_PARAGRAPH.CENTER if center else None,
        )
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}", size=10)

    _heading(doc, "IV. KẾT LUẬN")
    _para(doc, "{{ conclusion }}").paragraph_format.first_line_indent = Mm(10)
    _para(
        doc,
        "Biên bản được lập vào {{ session.date_long }}, đã được đọc lại và các thành viên Hội đồng "
        "tham gia thống nhất thông qua.",
    ).paragraph_format.first_line_indent = Mm(10)
    _para(doc, "", space_after=6)

    signatures = doc.add_table(rows=1, cols=2)
    _no_borders(signatures)
    _widths(signatures, [80, 85])
    clerk, chair = signatures.rows[0].cells
    _cell_para(clerk, "THƯ KÝ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(clerk, "(Ký, ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(chair, "{{ presiding.signature_title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(chair, "(Ký, ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell in (clerk, chair):
        for _ in range(4):
            _cell_para(cell, "")
    _cell_para(clerk, "{{ secretary.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_para(chair, "{{ presiding.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    doc.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else HERE
    target.mkdir(parents=True, exist_ok=True)
    print(build_minutes(target / MINUTES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
