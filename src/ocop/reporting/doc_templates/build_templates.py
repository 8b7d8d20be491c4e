"""Builds the shipped Word template of a periodic report (`bao-cao-dinh-ky.docx`).

The .docx is committed and this script is how it was made; a province edits the .docx in Word and
puts it, with the same name, in ``OCOP_DOCUMENT_TEMPLATES_DIR`` (docs/document-templates.md lists
the placeholders: `ocop.reporting.reports.report_context`).

    .venv/bin/python -m ocop.reporting.doc_templates.build_templates
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ocop.evaluation.doc_templates.build_templates import (
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
REPORT = "bao-cao-dinh-ky.docx"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def build_report(path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(3)
    props = doc.core_properties
    props.title = "Báo cáo kết quả thực hiện Chương trình OCOP"
    props.author = "OCOP"
    props.last_modified_by = "OCOP"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1

    # Quốc hiệu, tiêu ngữ; the issuing body and the number (Decree 30/2020/NĐ-CP, Phụ lục I).
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _widths(head, [66, 99])
    left, right = head.rows[0].cells
    _cell_para(left, "{{ issuer_parent }}", size=13, align=CENTER)
    _cell_para(left, "{{ issuer }}", bold=True, size=13, align=CENTER)
    _cell_para(left, "-------", align=CENTER)
    _cell_para(left, "Số: {{ number }}", size=13, align=CENTER)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, align=CENTER)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _cell_para(right, "---------------", align=CENTER)
    _cell_para(head.rows[1].cells[1], "{{ place_date }}", italic=True, align=CENTER)

    _para(doc, "", space_after=6)
    _para(doc, "BÁO CÁO", bold=True, size=14, align=CENTER, space_after=0)
    _para(doc, "{{ title }}", bold=True, align=CENTER, space_after=12)

    _para(doc, "{{ introduction }}", align=JUSTIFY)
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _para(doc, "1. Sản phẩm OCOP", bold=True)
    _para(doc, "{{ products_sentence }}", align=JUSTIFY)
    _para(doc, "{{ period_sentence }}", align=JUSTIFY)
    _para(doc, "{{ communes_sentence }}", align=JUSTIFY)

    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    _widths(table, [60, 25, 25, 25, 30])
    for cell, text in zip(
        table.rows[0].cells, ["Thời điểm", "5 sao", "4 sao", "3 sao", "Tổng số"], strict=True
    ):
        _cell_para(cell, text, bold=True, size=12, align=CENTER)
    _repeat_header(table.rows[0])
    _cell_para(table.rows[1].cells[0], "{%tr for r in star_rows %}", size=12)
    cells = table.rows[2].cells
    _cell_para(cells[0], "{{ r.label }}", size=12)
    for cell, key in zip(cells[1:], ["s5", "s4", "s3", "total"], strict=True):
        _cell_para(cell, "{{ r." + key + " }}", size=12, align=CENTER)
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}", size=12)

    _para(doc, "", space_after=3)
    _tag(doc, "{%p if targets %}")
    _para(doc, "2. Thực hiện các chỉ tiêu của {{ plan_title }}", bold=True)
    targets = doc.add_table(rows=4, cols=5)
    targets.style = "Table Grid"
    _widths(targets, [70, 30, 25, 25, 15])
    for cell, text in zip(
        targets.rows[0].cells, ["Chỉ tiêu", "Địa bàn", "Kế hoạch", "Thực hiện", "Tỷ lệ"], strict=True
    ):
        _cell_para(cell, text, bold=True, size=12, align=CENTER)
    _repeat_header(targets.rows[0])
    _cell_para(targets.rows[1].cells[0], "{%tr for t in targets %}", size=12)
    cells = targets.rows[2].cells
    _cell_para(cells[0], "{{ t.indicator }}", size=12)
    _cell_para(cells[1], "{{ t.area }}", size=12)
    _cell_para(cells[2], "{{ t.target }}", size=12, align=CENTER)
    _cell_para(cells[3], "{{ t.actual }}", size=12, align=CENTER)
    _cell_para(cells[4], "{{ t.ratio }}", size=12, align=CENTER)
    _cell_para(targets.rows[3].cells[0], "{%tr endfor %}", size=12)
    _tag(doc, "{%p endif %}")

    _para(
        doc,
        "Số liệu chi tiết theo địa bàn tại Phụ lục 1 (sản phẩm mới) và Phụ lục 2 (củng cố, nâng cấp "
        "sản phẩm) kèm theo.",
        italic=True,
        align=JUSTIFY,
    )
    _heading(doc, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    _para(doc, "{{ shortcomings }}", align=JUSTIFY)
    _heading(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    _para(doc, "{{ next_steps }}", align=JUSTIFY)
    _para(doc, "", space_after=6)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, [80, 85])
    left, right = sign.rows[0].cells
    _cell_para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _cell_para(left, "{%p for r in recipients %}", size=11)
    _cell_para(left, "{{ r }}", size=11)
    _cell_para(left, "{%p endfor %}", size=11)
    _cell_para(right, "{{ signer_title }}", bold=True, align=CENTER)
    _cell_para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12, align=CENTER)
    _para(doc, "", space_after=12)
    _para(doc, "{{ generated_line }}", italic=True, size=10)
    doc.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else HERE
    target.mkdir(parents=True, exist_ok=True)
    print(build_report(target / REPORT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
